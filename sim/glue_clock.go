package sim

import (
	"context"
	"time"

	"pipesim/sim/metric"
)

// A Glue run takes simulated time, as the real job does: it starts when
// scheduled or asked for, reads and writes on the Glue goroutine while
// the clock moves on, and is published at the instant its model says it
// ends (glueJob.took: its DPUs at glue.read_per_dpu, at least a minute).
// What the run holds is fixed when it starts, so its files are the same
// whatever the machine's speed; only when the machine has not finished
// by that instant does the clock wait for it, and the snapshot says so.
// One run at a time, as a Glue job's default concurrency of 1: a run
// asked for meanwhile starts when this one ends.

// glueInFlight is the run Glue is publishing.
type glueInFlight struct {
	why     string
	started time.Time
	number  int64     // 0 until the goroutine has read what the run holds
	ends    time.Time // zero until then
	result  *glueResult
	waiting bool // the clock stands at ends (or the least a run takes) until the machine is done
}

// runGlue starts a Glue run of the partitions closed by now, or, while
// one runs, queues one to start when it ends.
func (e *Engine) runGlue(now time.Time, why string) error {
	if r := e.glueRun; r != nil {
		if e.glueNext == "" {
			e.glueNext = why
			e.cw.logf(now, false, "Glue run %s is still running: the %s run starts when it ends", r.name(), why)
		}
		return nil
	}
	// only what closeMinute has closed: what it has not is counted as
	// still being written
	e.glue.submit(glueRequest{now: now, closedBefore: e.closedUpTo, commit: true, why: why, cfg: e.cfg.Glue})
	e.glueRun = &glueInFlight{why: why, started: now}
	e.closedSinceRun = false
	return nil
}

func (r *glueInFlight) name() string {
	if r.number == 0 {
		return "(reading)"
	}
	return metric.Thousands(r.number)
}

// tendGlue publishes the run in flight once the clock has reached its
// end, waiting for the Glue goroutine if the machine is behind, and then
// starts a run that was asked for meanwhile.
func (e *Engine) tendGlue(ctx context.Context) error {
	if err := e.pollGlue(); err != nil {
		return err
	}
	r := e.glueRun
	if r == nil {
		return nil
	}
	if r.ends.IsZero() {
		if e.simTime().Before(r.started.Add(leastRun(e.cfg.Glue))) {
			return nil // until then the run's end need not be known
		}
		s, ok := await(e, ctx, e.glue.started)
		if !ok {
			return nil // interrupted: flush takes in what the goroutine finishes
		}
		if err := r.begin(s); err != nil {
			return err
		}
	}
	if e.simTime().Before(r.ends) {
		return nil
	}
	if r.result == nil {
		res, ok := await(e, ctx, e.glue.results)
		if !ok {
			return nil
		}
		if !res.commit {
			return res.err
		}
		r.result = &res
	}
	e.glueRun = nil
	if err := e.collect(*r.result); err != nil {
		return err
	}
	if why := e.glueNext; why != "" {
		e.glueNext = ""
		return e.runGlue(e.simTime(), why)
	}
	return nil
}

func (r *glueInFlight) begin(s glueStart) error {
	if s.err != nil {
		return s.err
	}
	r.number, r.ends = s.number, r.started.Add(s.took)
	return nil
}

// finishGlue publishes the run in flight and any run queued behind it
// now, however far the clock is from their ends: at the end of a run,
// and at --pause-at, a picture where what Glue was asked to do is done.
func (e *Engine) finishGlue(ctx context.Context) error {
	for e.glueRun != nil {
		r := e.glueRun
		if r.ends.IsZero() {
			s, ok := await(e, ctx, e.glue.started)
			if !ok {
				return nil
			}
			if err := r.begin(s); err != nil {
				return err
			}
		}
		r.ends = e.simTime()
		if err := e.tendGlue(ctx); err != nil || ctx.Err() != nil {
			return err
		}
	}
	return nil
}

// pollGlue takes what the Glue goroutine has reported without waiting:
// the run in flight's length and result, kept for the instant it ends,
// and the error of reading a closed minute, at once.
func (e *Engine) pollGlue() error {
	for {
		select {
		case s := <-e.glue.started:
			if err := e.glueRun.begin(s); err != nil {
				return err
			}
		case r := <-e.glue.results:
			if !r.commit {
				return r.err
			}
			e.glueRun.result = &r
		default:
			return nil
		}
	}
}

// await holds the clock until the Glue goroutine sends on ch. Meanwhile
// the snapshot says what the clock waits for, and the keys that only pace
// the clock (pause, speed) are taken as they come; the others wait for
// the run, so that they apply at the instant they would on a faster
// machine. ok is false when ctx ended first.
func await[T any](e *Engine, ctx context.Context, ch <-chan T) (v T, ok bool) {
	e.glueRun.waiting = true
	defer func() { e.glueRun.waiting = false }()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		e.publish()
		select {
		case v := <-ch:
			return v, true
		case <-ctx.Done():
			return v, false
		case <-e.wake:
			e.applyPaceCommands()
		case <-tick.C:
		}
	}
}

// collect takes in a published run, or its error.
func (e *Engine) collect(r glueResult) error {
	if r.err != nil {
		return r.err
	}
	e.countGlueRun(r.GlueRun)
	if !r.TimedOut {
		e.published(r.GlueRun)
	}
	warn := r.TimedOut || r.Counts[metric.DuplicatesLeaked] > 0 || r.Counts[metric.Quarantined] > 0
	e.cw.logf(e.simTime(), warn, "%s (%s, started %s)", r.GlueRun, r.why, r.now.Format("15:04:05"))
	return nil
}

// collectAll takes in everything the stopped Glue goroutine reported: the
// files of a run it finished are on disk, so the books count them.
func (e *Engine) collectAll() error {
	for {
		if r := e.glueRun; r != nil && r.result != nil {
			e.glueRun = nil
			if err := e.collect(*r.result); err != nil {
				return err
			}
		}
		select {
		case r := <-e.glue.results:
			if !r.commit {
				return r.err
			}
			if err := e.collect(r); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}
