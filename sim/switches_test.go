package sim

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"pipesim/sim/metric"
)

// With the ledger down and ledger.on_failure: pass, the Lambda stages its
// batches unchecked: nothing waits in the stream, and the copies among them
// reach staging. Glue catches them with lookback and leaks them with batch,
// the inconsistency between the two stages the original warns of.
func TestLedgerFailsOpen(t *testing.T) {
	for _, dedupe := range []string{"lookback", "batch"} {
		t.Run(dedupe, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Ledger.OnFailure, cfg.Glue.Dedupe = "pass", dedupe
			cfg.Producer.RetryProbability = 0.2 // plenty of copies inside the outage
			out := t.TempDir()
			s, e := runWithEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 11, Start: faultStart,
				Duration: 30 * time.Minute, Out: out, Faults: faults(t, "ledger-down@5m+8m")})
			checkIdentities(t, out, s)
			c := s.Counts
			if c[metric.DuplicatesUnchecked] == 0 {
				t.Fatal("no duplicate was staged unchecked during the outage")
			}
			for _, m := range e.cw.minutes {
				if m.IteratorAgeMax > time.Minute {
					t.Fatalf("iterator age %s at %s: failing open, nothing should wait", m.IteratorAgeMax, m.Start.Format("15:04"))
				}
			}
			leaked := c[metric.DuplicatesLeaked]
			switch {
			case dedupe == "lookback" && leaked != 0:
				t.Errorf("lookback leaked %d of %d unchecked duplicates", leaked, c[metric.DuplicatesUnchecked])
			case dedupe == "batch" && leaked == 0:
				t.Errorf("batch leaked none of %d unchecked duplicates", c[metric.DuplicatesUnchecked])
			}
			if !hasLog(e, "the ledger does not answer: Lambda stages batches unchecked") {
				t.Error("no log line says the Lambda fails open")
			}
		})
	}
}

// The dashboard's switch takes effect at the simulated second it is
// pressed, is logged there, and shows in the snapshot.
func TestSwitchFlipsLive(t *testing.T) {
	cfg := testConfig(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, err := New(ctx, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 3, Start: faultStart,
		Duration: 10 * time.Minute, Out: t.TempDir(), PauseAt: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ran := make(chan error, 1)
	go func() {
		_, err := e.Run(ctx)
		ran <- err
	}()
	for !e.Snapshot().Paused {
		time.Sleep(5 * time.Millisecond)
	}
	e.Send(Command{Kind: CmdCycleSwitch, Arg: "ledger.on_failure"})
	e.Send(Command{Kind: CmdCycleSwitch, Arg: "glue.engine"})
	e.Send(Command{Kind: CmdCycleSwitch, Arg: "ledger.ttl"}) // from the test's 2m to the first of the cycle, 15m
	e.Send(Command{Kind: CmdCycleSwitch, Arg: "no.such"})
	e.Send(Command{Kind: CmdTogglePause})
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	want := faultStart.Add(5 * time.Minute)
	var flipped, refused bool
	for _, l := range e.cw.log {
		flipped = flipped || (l.At.Equal(want) && strings.HasPrefix(l.Text, "design choice ledger.on_failure = pass: a batch the ledger cannot check is staged unchecked"))
		refused = refused || (l.Warn && l.Text == `no switch "no.such"`)
	}
	// Glue, on its own goroutine, got the flip too: its next run is a Lambda's
	if !hasLog(e, "compaction Lambda 1: ") || hasLog(e, "Glue run") {
		t.Errorf("the runs after the flip were not compaction Lambdas:\n%v", e.cw.log)
	}
	if !flipped || !refused {
		t.Errorf("log at %s: flipped %v, refused %v:\n%v", want.Format("15:04:05"), flipped, refused, e.cw.log)
	}
	var state SwitchState
	for _, s := range e.Snapshot().Switches {
		if s.Key == "ledger.on_failure" {
			state = s
		}
	}
	if state != (SwitchState{"ledger.on_failure", "pass", "ledger fails open"}) || !e.lambda.passUnchecked {
		t.Errorf("snapshot says %+v, Lambda passes unchecked %v", state, e.lambda.passUnchecked)
	}
	if ttl := e.Snapshot().Ledger.TTL; ttl != 15*time.Minute || !hasLog(e, "design choice ledger.ttl = 15m: the ledger remembers a uuid 15 minutes") {
		t.Errorf("ledger TTL %v after the flip", ttl)
	}
}

func hasLog(e *Engine, prefix string) bool {
	for _, l := range e.cw.log {
		if strings.HasPrefix(l.Text, prefix) {
			return true
		}
	}
	return false
}

// Compaction as a scheduled Lambda writes the files Glue writes while its
// runs fit in 15 minutes (1M/h); at 1B/h every run times out, is counted
// and logged, and staging waits, with every line accounted for.
func TestCompactionAsLambda(t *testing.T) {
	run := func(t *testing.T, engine string, opt Options) (Summary, *Engine, string) {
		cfg := testConfig(t)
		// Glue runs every 10 minutes here: at 1B/h that is some 80 GB of
		// staging, which needs more than 15 minutes at 50 MB/s
		cfg.Glue.Engine, cfg.Glue.LambdaReadRate = engine, 50_000_000
		opt.Out, opt.Seed, opt.Start, opt.Duration = t.TempDir(), 5, faultStart, 12*time.Minute
		s, e := runWithEngine(t, cfg, opt)
		checkIdentities(t, opt.Out, s)
		return s, e, opt.Out
	}
	small := Options{Scenario: "1M", RatePerHour: 60_000}
	_, _, glue := run(t, "glue", small)
	s, _, lambda := run(t, "lambda", small)
	if s.Counts[metric.CompactionTimeouts] != 0 {
		t.Errorf("%d compaction Lambdas timed out at 60k/h", s.Counts[metric.CompactionTimeouts])
	}
	want, got := hashTree(t, filepath.Join(glue, "datalake", ".versions")), hashTree(t, filepath.Join(lambda, "datalake", ".versions"))
	if len(want) == 0 || !maps.Equal(want, got) {
		t.Errorf("the Lambda wrote other files than Glue: %d vs %d", len(got), len(want))
	}

	s, e, _ := run(t, "lambda", Options{Scenario: "1B"})
	if s.Counts[metric.CompactionTimeouts] < 2 || s.Counts[metric.GlueRuns] != 0 || s.Counts[metric.Processed] != 0 {
		t.Errorf("at 1B/h: %d timeouts, %d runs published, %d rows; want every run timed out", s.Counts[metric.CompactionTimeouts], s.Counts[metric.GlueRuns], s.Counts[metric.Processed])
	}
	if s.Counts[metric.StagedUncompacted] != s.Counts[metric.Staged] || s.Counts[metric.Staged] == 0 {
		t.Errorf("staged %d, uncompacted %d: all of it should wait", s.Counts[metric.Staged], s.Counts[metric.StagedUncompacted])
	}
	if !hasLog(e, "compaction Lambda 1 timed out after 15m: its ") {
		t.Error("no log line says the compaction Lambda timed out")
	}
}

// Every pair of design choices, each value with each value of every other
// switch, keeps the identities against the files, through a ledger outage
// and late copies; lookback never leaks a copy, whatever else is chosen.
// (All 128 combinations took 65 s; the pairs need a tenth of them.)
func TestEverySwitchCombinationKeepsTheIdentities(t *testing.T) {
	for _, sets := range allPairs(Switches) {
		t.Run(strings.Join(sets, ","), func(t *testing.T) {
			cfg := testConfig(t) // its ledger keeps 30 s buckets: every TTL of the cycle is a whole number of them
			for _, s := range sets {
				var err error
				if cfg, err = cfg.Set(s); err != nil {
					t.Fatal(err)
				}
			}
			out := t.TempDir()
			s := runEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 30_000, Seed: 8, Start: faultStart,
				Duration: 15 * time.Minute, Out: out, Faults: faults(t, "ledger-down@4m+3m", "late=2%")})
			checkIdentities(t, out, s)
			if cfg.Glue.Dedupe == "lookback" && s.Counts[metric.DuplicatesLeaked] != 0 {
				t.Errorf("lookback leaked %d copies", s.Counts[metric.DuplicatesLeaked])
			}
		})
	}
}

// Flipping the lake's layout mid-run: the dashboard is told the next run
// rewrites the lake, and that run does, in one commit: every row then in
// the partition of its own event hour and type, none lost or added.
func TestRelayoutRewritesTheLake(t *testing.T) {
	cfg := testConfig(t)
	out := t.TempDir()
	e, resume := runToPause(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 4, Start: faultStart,
		Duration: 25 * time.Minute, Out: out, PauseAt: 12 * time.Minute})
	before := processedFiles(t, out)
	e.Send(Command{Kind: CmdCycleSwitch, Arg: "glue.partitioning"})
	for e.Snapshot().Relayout == "" {
		time.Sleep(5 * time.Millisecond)
	}
	if s := e.Snapshot(); s.Relayout != "hour_event_type" || s.Layout.Name != "day_language" || len(before) == 0 {
		t.Fatalf("after the flip: layout %s, relayout %q, %d files", s.Layout.Name, s.Relayout, len(before))
	}
	s := resume()
	checkIdentities(t, out, s)
	after := e.Snapshot()
	if after.Layout.Name != "hour_event_type" || after.Relayout != "" {
		t.Errorf("after the run: layout %s, relayout %q", after.Layout.Name, after.Relayout)
	}
	for _, pp := range after.Processed {
		if pp.End.Sub(pp.Start) != time.Hour {
			t.Errorf("partition %s is not an hour", pp.Partition)
		}
	}
	if !hasLog(e, "design choice glue.partitioning = hour_event_type: Glue partitions the lake by event hour") ||
		!hasLog(e, "Glue run 2: ") {
		t.Errorf("log:\n%v", e.cw.log)
	}
	relaid := false
	for _, l := range e.cw.log {
		relaid = relaid || strings.Contains(l.Text, fmt.Sprintf(", rewrote the lake's %d files into layout hour_event_type", len(before)))
	}
	if !relaid {
		t.Errorf("no run says it rewrote the %d files:\n%v", len(before), e.cw.log)
	}
}

// allPairs picks, greedily from all combinations of the switches' values,
// combinations until every value of each switch has met every value of
// every other: a pairwise covering set, each combination as --set KEY=VALUE.
func allPairs(sws []SwitchSpec) [][]string {
	all := [][]string{{}}
	for _, sw := range sws {
		var next [][]string
		for _, c := range all {
			for _, v := range sw.Choice.Values {
				next = append(next, append(slices.Clone(c), sw.Choice.Key+"="+v))
			}
		}
		all = next
	}
	type pair struct{ a, b string }
	pairsOf := func(c []string) []pair {
		var out []pair
		for i := range c {
			for j := i + 1; j < len(c); j++ {
				out = append(out, pair{c[i], c[j]})
			}
		}
		return out
	}
	uncovered := map[pair]bool{}
	for _, c := range all {
		for _, p := range pairsOf(c) {
			uncovered[p] = true
		}
	}
	var out [][]string
	for len(uncovered) > 0 {
		best, bestN := 0, 0
		for i, c := range all {
			n := 0
			for _, p := range pairsOf(c) {
				if uncovered[p] {
					n++
				}
			}
			if n > bestN {
				best, bestN = i, n
			}
		}
		for _, p := range pairsOf(all[best]) {
			delete(uncovered, p)
		}
		out = append(out, all[best])
	}
	return out
}
