package sim

import "sync/atomic"

// GlueStep is what a Glue run is doing, for the screen to say while the
// clock waits for it.
type GlueStep int32

const (
	GlueReading   GlueStep = iota + 1 // staging files, read of those closed
	GlueWriting                       // Parquet files, closed of the run's
	GlueRewriting                     // rows, rewritten into the layout in force
	GlueMerging                       // rows, folded toward the file-size band
)

// glueProgress is how far the Glue goroutine has got with its step; the
// engine reads it while it waits.
type glueProgress struct {
	step     atomic.Int32
	done, of atomic.Int64
	nominal  atomic.Int64 // the rows the step handles, at the nominal volume
}

func (p *glueProgress) begin(s GlueStep, of, nominal int64) {
	p.done.Store(0)
	p.of.Store(of)
	p.nominal.Store(nominal)
	p.step.Store(int32(s))
}

func (p *glueProgress) add(n int64) { p.done.Add(n) }
