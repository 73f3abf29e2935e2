package sim

import (
	"sync"
	"time"
)

// glueWorker runs Glue jobs one after another on their own goroutine, so
// compaction uses the second core while the engine simulates on. A run
// reads only partitions closed before it was asked for, so its output does
// not depend on when it gets the CPU.
type glueWorker struct {
	job     *glueJob
	reqs    chan glueRequest
	results chan glueResult
	pending sync.WaitGroup
	once    sync.Once
}

// glueRequest asks for the partitions closed before closedBefore to be
// read; with commit set, for the run to be made visible at now.
type glueRequest struct {
	now, closedBefore time.Time
	commit            bool
	why               string
}

type glueResult struct {
	GlueRun
	now time.Time
	why string
	err error
}

// glueTotals adds up the runs that have finished.
type glueTotals struct {
	runs int64
	GlueRun
}

func (t *glueTotals) add(r GlueRun) {
	t.runs++
	t.Read += r.Read
	t.Written += r.Written
	t.Duplicates += r.Duplicates
	t.Leaked += r.Leaked
	t.Quarantined += r.Quarantined
}

func startGlue(job *glueJob) *glueWorker {
	w := &glueWorker{job: job, reqs: make(chan glueRequest, 1024), results: make(chan glueResult, 1024)}
	go func() {
		for r := range w.reqs {
			err := job.ingest(r.closedBefore)
			if r.commit || err != nil {
				var res GlueRun
				if err == nil {
					res, err = job.commit(r.now)
				}
				w.results <- glueResult{GlueRun: res, now: r.now, why: r.why, err: err}
			}
			w.pending.Done()
		}
	}()
	return w
}

func (w *glueWorker) submit(r glueRequest) {
	w.pending.Add(1)
	w.reqs <- r
}

// wait returns once every submitted run has finished.
func (w *glueWorker) wait() { w.pending.Wait() }

// stop waits for the runs asked for and ends the goroutine.
func (w *glueWorker) stop() {
	w.once.Do(func() {
		w.wait()
		close(w.reqs)
	})
}
