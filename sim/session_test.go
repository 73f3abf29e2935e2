package sim

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pipesim/sim/metric"
)

// A restart replaces the run with a fresh one from its start in the same
// folder: the same seed and the settings in force, none of the last run's
// files, counters, alarms or log; the commands keep their numbers.
func TestSessionRestartsFromTheStart(t *testing.T) {
	cfg := testConfig(t)
	out := t.TempDir()
	s, err := StartSession(context.Background(), cfg, Options{Scenario: "1M", Seed: 7, Start: faultStart, Out: out, Speed: 0})
	if err != nil {
		t.Fatal(err)
	}
	waitSession := func(what string, ok func(*Snapshot) bool) *Snapshot {
		t.Helper()
		deadline := time.After(60 * time.Second)
		for {
			if snap := s.Snapshot(); snap != nil && ok(snap) {
				return snap
			}
			select {
			case <-deadline:
				t.Fatalf("%s: not within 60 s; at %+v", what, s.Snapshot().SimTime)
			case <-time.After(5 * time.Millisecond):
			}
		}
	}
	waitSession("the first run 20 minutes in", func(n *Snapshot) bool { return n.SimTime.Sub(n.Start) >= 20*time.Minute })
	s.Send(Command{Kind: CmdCycleSwitch, Arg: "glue.dedupe"})
	s.Send(Command{Kind: CmdShardsUp})
	waitSession("the switch and the reshard", func(n *Snapshot) bool { return n.Applied == 2 })
	s.Send(Command{Kind: CmdRestart})
	s.Send(Command{Kind: CmdSpeedDown}) // sent while restarting: for the new run
	fresh := waitSession("the fresh run", func(n *Snapshot) bool { return n.Applied == 4 && !n.Restarting })
	if age := fresh.SimTime.Sub(fresh.Start); age > 10*time.Minute || fresh.Totals.Counts[metric.GlueRuns] > 1 {
		t.Errorf("after the restart: %s into the run, %d Glue runs; want a fresh run", age, fresh.Totals.Counts[metric.GlueRuns])
	}
	if fresh.Shards != 2 || switchValue(fresh, "glue.dedupe") != "batch" || fresh.Speed == 0 {
		t.Errorf("after the restart: %d shards, glue.dedupe %s, speed %v; want the settings in force (2 shards, batch) and the held command applied (slower than max)",
			fresh.Shards, switchValue(fresh, "glue.dedupe"), fresh.Speed)
	}
	if len(fresh.Log) == 0 || !strings.HasPrefix(fresh.Log[0].Text, "config:") {
		t.Errorf("the fresh run's log: %v; want its own, from its start", fresh.Log)
	}
	sum, err := s.Stop()
	if err != nil {
		t.Fatal(err)
	}
	// the folder holds the fresh run only: one final report, and staging
	// from its own minutes
	finals, _ := filepath.Glob(filepath.Join(out, "cloudwatch_reports", "*-final.md"))
	if len(finals) != 1 || sum.Counts[metric.Staged] != countLines(t, filepath.Join(out, "datalake", "staging")) {
		t.Errorf("final reports %v; %d staged against the lines on disk", finals, sum.Counts[metric.Staged])
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
}

func switchValue(s *Snapshot, key string) string {
	for _, sw := range s.Switches {
		if sw.Key == key {
			return sw.Value
		}
	}
	return ""
}
