package sim

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"pipesim/sim/config"
	"pipesim/sim/metric"
)

// Random sequences of a presenter's commands, applied at random simulated
// seconds, deterministically: after every second no nominal count of
// copies caught exceeds the copies injected, however the sampling ratio
// changed under records already made, and every identity holds on the
// counts. (The dashboard's property test does the same through the keys,
// on wall-clock timing; this one found a minute's average weight given to
// each of its lines.)
func TestCommandSequencesKeepCountsTrue(t *testing.T) {
	cfg, err := config.ParseFile("../config.yml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Glue.Schedule = 10 * time.Minute
	all := []Command{{Kind: CmdRateUp}, {Kind: CmdRateDown},
		{Kind: CmdScenario, Arg: "1k"}, {Kind: CmdScenario, Arg: "1M"}, {Kind: CmdScenario, Arg: "1B"},
		{Kind: CmdShardsUp}, {Kind: CmdShardsDown}, {Kind: CmdInjectBurst}, {Kind: CmdCompact},
		{Kind: CmdToggleFault, Fault: LedgerDown}, {Kind: CmdCycleSwitch, Arg: "ledger.on_failure"}, {Kind: CmdCycleSwitch, Arg: "pipeline.mode"}, {Kind: CmdCycleSwitch, Arg: "glue.dedupe"},
		{Kind: CmdToggleFault, Fault: Poison}, {Kind: CmdToggleFault, Fault: Malformed}, {Kind: CmdToggleFault, Fault: Late},
		{Kind: CmdToggleFault, Fault: LambdaDown},
		{Kind: CmdCycleSwitch, Arg: "glue.partitioning"}, {Kind: CmdCycleSwitch, Arg: "glue.engine"},
		{Kind: CmdSetFault, Fault: LedgerDown, On: true}, {Kind: CmdSetFault, Fault: LedgerDown}, {Kind: CmdSetShards, N: 3},
		{Kind: CmdSetSwitch, Arg: "glue.dedupe", Value: "batch"}, {Kind: CmdSetSwitch, Arg: "pipeline.mode"}}
	for seed := uint64(1); seed <= 6; seed++ {
		rng := rand.New(rand.NewPCG(seed, 3))
		ctx := context.Background()
		e, err := New(ctx, cfg, Options{Scenario: "1M", Seed: seed, Out: t.TempDir(), Start: faultStart})
		if err != nil {
			t.Fatal(err)
		}
		var done []Command
		for range 10 {
			c := all[rng.IntN(len(all))]
			e.apply(c)
			done = append(done, c)
			for range 1 + rng.IntN(120) {
				if err := e.step(ctx); err != nil {
					t.Fatal(err)
				}
				n := e.counts.total.Nominal
				if caught := n[metric.DuplicatesDroppedLambda] + n[metric.DuplicatesDroppedGlue] + n[metric.DuplicatesLeaked]; caught > n[metric.DuplicatesInjected] {
					t.Fatalf("seed %d after %v at %s: %d copies caught or leaked of %d injected", seed, done, e.simTime().Format("15:04:05"), caught, n[metric.DuplicatesInjected])
				}
				for _, id := range metric.Identities {
					if whole, parts := id.Sides(e.counts.total.Counts); whole != parts {
						t.Fatalf("seed %d after %v at %s: %s identity %d ≠ %d", seed, done, e.simTime().Format("15:04:05"), id.Name, whole, parts)
					}
				}
			}
		}
		e.glue.stop()
		e.Close()
	}
}

// The Set commands land in the same state however often they are sent,
// and "" puts a switch back to the run's own value.
func TestSetCommandsAreAbsolute(t *testing.T) {
	cfg := testConfig(t)
	e, err := New(context.Background(), cfg, Options{Scenario: "1M", Seed: 1, Out: t.TempDir(), Start: faultStart})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for range 2 {
		e.apply(Command{Kind: CmdSetFault, Fault: LedgerDown, On: true})
		e.apply(Command{Kind: CmdSetSwitch, Arg: "glue.dedupe", Value: "batch"})
		e.apply(Command{Kind: CmdSetShards, N: 4})
	}
	if !e.manual[LedgerDown] || e.cfg.Glue.Dedupe != "batch" || len(e.stream.open()) != 4 {
		t.Errorf("sent twice: ledger down %v, dedupe %s, %d shards; want true, batch, 4", e.manual[LedgerDown], e.cfg.Glue.Dedupe, len(e.stream.open()))
	}
	e.apply(Command{Kind: CmdSetFault, Fault: LedgerDown})
	e.apply(Command{Kind: CmdSetSwitch, Arg: "glue.dedupe"})
	e.apply(Command{Kind: CmdSetShards, N: 1 << 20})
	if e.manual[LedgerDown] || e.cfg.Glue.Dedupe != cfg.Glue.Dedupe || len(e.stream.open()) != cfg.Kinesis.MaxShards {
		t.Errorf("set back: ledger down %v, dedupe %s, %d shards; want false, %s, %d", e.manual[LedgerDown], e.cfg.Glue.Dedupe, len(e.stream.open()), cfg.Glue.Dedupe, cfg.Kinesis.MaxShards)
	}
	logged := 0
	for _, l := range e.cw.log {
		if strings.HasPrefix(l.Text, "design choice glue.dedupe") {
			logged++
		}
	}
	if logged != 2 {
		t.Errorf("glue.dedupe logged %d times, want 2 (a set to the value in force changes nothing)", logged)
	}
}
