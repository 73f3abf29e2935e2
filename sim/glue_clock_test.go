package sim

import (
	"context"
	"strings"
	"testing"
	"time"

	"pipesim/sim/metric"
)

// stepUntil steps e until done says so, at most limit simulated seconds.
func stepUntil(t *testing.T, e *Engine, limit int, done func() bool) {
	t.Helper()
	for range limit {
		if done() {
			return
		}
		if err := e.step(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if !done() {
		t.Fatalf("not there after %d simulated seconds, at %s", limit, e.simTime().Format("15:04:05"))
	}
}

// A scheduled run starts on the schedule, the clock moves on while it
// works, and it is published when its DPUs have read its staging at
// glue.read_per_dpu: the bill's seconds and the clock's agree. A run
// asked for meanwhile starts when it ends.
func TestGlueRunTakesSimulatedTime(t *testing.T) {
	cfg := testConfig(t)
	cfg.Glue.DPUs, cfg.Glue.ReadPerDPU = 2, 100_000 // ~10 MB of staging a 10 minutes at 1M/h: ~a minute and more
	e, err := New(context.Background(), cfg, Options{Scenario: "1M", Seed: 1, Out: t.TempDir(), Start: faultStart})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	start := e.simTime()
	stepUntil(t, e, 700, func() bool { return e.glueRun != nil })
	if got := e.simTime().Sub(start); got != cfg.Glue.Schedule {
		t.Fatalf("the first run started %s after the start, want the schedule's %s", got, cfg.Glue.Schedule)
	}
	started := e.simTime()
	e.apply(Command{Kind: CmdCompact})
	if e.glueNext != "on demand" {
		t.Errorf("c during a run: queued %q, want the on-demand run queued", e.glueNext)
	}
	stepUntil(t, e, 3600, func() bool { return e.counts.total.Counts[metric.GlueRuns] == 1 })
	published := e.simTime().Add(-time.Second) // a step publishes what ends at its start, then moves a second
	took := published.Sub(started)
	billed := time.Duration(e.counts.total.Counts[metric.GlueDPUSeconds]/int64(cfg.Glue.DPUs)) * time.Second
	if took != billed || took <= time.Minute {
		t.Errorf("the run was published %s after it started and billed for %s of %d DPUs; want the same, over the minute's least", took, billed, cfg.Glue.DPUs)
	}
	last := e.cw.log[len(e.cw.log)-1]
	if !last.At.Equal(published) || !strings.HasPrefix(last.Text, "Glue run 1:") {
		t.Errorf("log at %s: %q; want Glue run 1 at %s", last.At.Format("15:04:05"), last.Text, published.Format("15:04:05"))
	}
	if r := e.glueRun; r == nil || !r.started.Equal(published) || r.why != "on demand" || e.glueNext != "" {
		t.Errorf("after run 1: in flight %+v, queued %q; want the on-demand run started at %s", r, e.glueNext, published.Format("15:04:05"))
	}
}

// While the machine has not finished a run the clock has reached the end
// of, the snapshot says so, the keys that pace the clock are taken, and
// the others wait in order for the run to be published.
func TestClockWaitsForGlueAndSaysSo(t *testing.T) {
	e, err := New(context.Background(), testConfig(t), Options{Scenario: "1k", Seed: 1, Out: t.TempDir(), Start: faultStart, Speed: 60})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	// a Glue goroutine that has not finished: the test answers for it
	real := e.glue
	defer func() { e.glue = real }()
	fake := &glueWorker{started: make(chan glueStart), results: make(chan glueResult), progress: &glueProgress{}}
	fake.progress.begin(GlueRewriting, 10, 5000)
	fake.progress.add(4)
	e.glue = fake
	e.glueRun = &glueInFlight{why: "scheduled", started: e.simTime().Add(-time.Hour)}

	tended := make(chan error, 1)
	go func() { tended <- e.tendGlue(context.Background()) }()
	fake.started <- glueStart{number: 7, took: time.Minute}
	e.Send(Command{Kind: CmdSpeedUp})
	e.Send(Command{Kind: CmdInjectBurst})
	e.Send(Command{Kind: CmdTogglePause})
	waitSnap(t, e, func(s *Snapshot) bool { return s.Applied == 1 })
	s := e.Snapshot()
	if g := s.Glue; g == nil || !g.Waiting || g.Run != 7 || g.Step != GlueRewriting || g.Done != 4 || g.Of != 10 || g.Rows != 5000 {
		t.Fatalf("snapshot while waiting: %+v; want run 7 waiting, rewriting 4 of 10 (5000 rows)", g)
	}
	if s.Speed != 600 || s.Paused {
		t.Errorf("speed %v, paused %v: want the speed key taken (×600), the pause behind the burst left queued", s.Speed, s.Paused)
	}
	select {
	case err := <-tended:
		t.Fatalf("tendGlue returned before the run was published: %v", err)
	default:
	}
	fake.results <- glueResult{commit: true, now: e.glueRun.started, why: "scheduled", GlueRun: GlueRun{Number: 7}}
	if err := <-tended; err != nil {
		t.Fatal(err)
	}
	if e.glueRun != nil {
		t.Errorf("run still in flight after it was published")
	}
	e.applyCommands()
	if e.applied != 3 || !e.paused {
		t.Errorf("after the run: %d commands applied, paused %v; want all 3, paused", e.applied, e.paused)
	}
}

// waitSnap polls the engine's snapshot until ok; the engine publishes
// while it waits, every 100 ms at most.
func waitSnap(t *testing.T, e *Engine, ok func(*Snapshot) bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if s := e.Snapshot(); s != nil && ok(s) {
			return
		}
		select {
		case <-deadline:
			t.Fatalf("snapshot never got there: %+v", e.Snapshot().Glue)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// Straight after 1B/h, the shard load shown covers the time since the
// rate changed, not an average over minutes of the rate before.
func TestShardLoadAfterARateChange(t *testing.T) {
	e, err := New(context.Background(), testConfig(t), Options{Scenario: "1B", Seed: 1, Out: t.TempDir(), Start: faultStart, SampleOneIn: 20_000})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	stepUntil(t, e, 900, func() bool { return e.simTime().Sub(faultStart) >= 12*time.Minute+30*time.Second })
	e.apply(Command{Kind: CmdScenario, Arg: "1k"})
	stepUntil(t, e, 120, func() bool { return e.simTime().Sub(faultStart) >= 13*time.Minute+10*time.Second })
	e.publish()
	if w := e.Snapshot().ShardWindow; w != 40*time.Second {
		t.Errorf("the load is averaged over %s; want the 40 s since the change", w)
	}
}

// The monthly bill counts a Glue run as often as the schedule starts one:
// a run asked for two minutes in is one run an hour at glue.schedule 1h,
// not thirty.
func TestMonthlyGlueBillFollowsTheSchedule(t *testing.T) {
	cfg := testConfig(t)
	cfg.Glue.Schedule = time.Hour
	e, err := New(context.Background(), cfg, Options{Scenario: "1k", Seed: 1, Out: t.TempDir(), Start: faultStart})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	stepUntil(t, e, 200, func() bool { return e.simTime().Sub(faultStart) >= 2*time.Minute })
	e.apply(Command{Kind: CmdCompact})
	stepUntil(t, e, 600, func() bool { return e.counts.total.Counts[metric.GlueRuns] == 1 })
	dpuSeconds := e.counts.total.Nominal[metric.GlueDPUSeconds]
	want := float64(dpuSeconds) / 3600 * cfg.Prices.GlueDPUHour * HoursPerMonth
	if got := e.cost().PerMonth[StageGlue]; got < 0.999*want || got > 1.001*want {
		t.Errorf("Glue a month: $%.2f; want one run of %d DPU-seconds an hour, $%.2f", got, dpuSeconds, want)
	}
}
