package sim

import (
	"errors"
	"sync"
	"time"

	"pipesim/sim/config"
)

// glueWorker runs Glue jobs one after another on their own goroutine, so
// compaction uses the second core while the engine simulates on. A run
// reads only partitions closed before it was asked for, so its output does
// not depend on when it gets the CPU.
type glueWorker struct {
	job      *glueJob
	reqs     chan glueRequest
	started  chan glueStart // one per commit request, once its reading is done
	results  chan glueResult
	progress *glueProgress
	once     sync.Once
	done     chan struct{}
}

// glueRequest asks for the partitions closed before closedBefore to be
// read; with commit set, for the run to be made visible at now. staged is
// the minute that just closed, if any: what its lines stand for.
type glueRequest struct {
	now, closedBefore time.Time
	commit            bool
	why               string
	staged            StagingPartition
	files             []stagedFile // what staging files written since the last request hold
	cfg               config.Glue  // the settings in force when it was asked (switches change some)
}

// glueStart says how long a run takes in simulated time, known once the
// goroutine has read what the run holds.
type glueStart struct {
	number int64
	took   time.Duration
	err    error
}

// glueResult is a published run (commit set), or the error of reading a
// closed minute (commit unset).
type glueResult struct {
	GlueRun
	now    time.Time
	why    string
	commit bool
	err    error
}

func startGlue(job *glueJob) *glueWorker {
	w := &glueWorker{job: job, reqs: make(chan glueRequest, 1024), started: make(chan glueStart, 1024),
		results: make(chan glueResult, 1024), progress: &job.progress, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		var failed error // after a failure the engine stops; what is queued is not read
		for r := range w.reqs {
			if r.staged.Lines > 0 {
				job.staged[r.staged.Minute] = r.staged
			}
			for _, f := range r.files {
				job.files[f.key] = f
			}
			if failed != nil {
				if r.commit {
					w.started <- glueStart{err: failed}
				}
				continue
			}
			job.cfg = r.cfg
			err := job.ingest(r.closedBefore)
			switch {
			case r.commit:
				w.started <- glueStart{number: job.wm.Runs + 1, took: job.took(), err: err}
				var res GlueRun
				if err == nil {
					res, err = job.commit(r.now)
				}
				failed = err
				w.results <- glueResult{GlueRun: res, now: r.now, why: r.why, commit: true, err: err}
			case err != nil:
				failed = err
				w.results <- glueResult{now: r.now, err: err}
			}
		}
		// a run read but not published is dropped, its staging read again
		// next time; after a crash its hidden files stay, as a killed
		// process leaves them, for the next start to clear
		if !errors.Is(failed, ErrCrashed) {
			job.abort()
		}
	}()
	return w
}

func (w *glueWorker) submit(r glueRequest) { w.reqs <- r }

// stop lets the goroutine finish the requests made, drops an unpublished
// run and ends the goroutine.
func (w *glueWorker) stop() {
	w.once.Do(func() {
		close(w.reqs)
		<-w.done
	})
}
