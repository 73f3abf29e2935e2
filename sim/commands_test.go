package sim

import (
	"context"
	"math/rand/v2"
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
		{Kind: CmdCycleSwitch, Arg: "glue.partitioning"}, {Kind: CmdCycleSwitch, Arg: "glue.engine"}}
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
