// Package perevent reports a benchmark's figures per event, so that the
// budget of every stage of the pipeline reads in the same units: events
// per wall-second and heap allocations per event.
package perevent

import (
	"runtime"
	"testing"
)

// Counter measures one benchmark. Start it just before the b.Loop loop.
type Counter struct {
	b       *testing.B
	mallocs uint64
}

// Start begins counting allocations (of every goroutine: work a stage
// hands to another goroutine is part of its cost).
func Start(b *testing.B) *Counter {
	b.ReportAllocs()
	return &Counter{b: b, mallocs: mallocs()}
}

// Done reports events/s and allocs/event for the events the loop handled.
func (c *Counter) Done(events int64) {
	if events <= 0 {
		c.b.Fatalf("perevent: the benchmark handled %d events", events)
	}
	c.b.ReportMetric(float64(events)/c.b.Elapsed().Seconds(), "events/s")
	c.b.ReportMetric(float64(mallocs()-c.mallocs)/float64(events), "allocs/event")
}

func mallocs() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Mallocs
}
