package ui

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"testing"
	"time"

	"pipesim/sim"
	"pipesim/sim/config"
	"pipesim/sim/metric"
)

// percentRE finds the percentages a screen shows.
var percentRE = regexp.MustCompile(`(\d+(?:\.\d+)?)%`)

// Whatever a presenter presses, in any order: no percentage on screen
// passes 100, every part is at most its whole, throttled records were
// sent, dropped or are waiting, the duplicates rows add up to injected,
// and the books balance. Random sequences of commands on a real engine.
func TestCommandSequencesKeepFiguresTrue(t *testing.T) {
	commands := []sim.Command{
		{Kind: sim.CmdRateUp}, {Kind: sim.CmdRateUp}, {Kind: sim.CmdRateDown},
		{Kind: sim.CmdScenario, Arg: "1k"}, {Kind: sim.CmdScenario, Arg: "1M"}, {Kind: sim.CmdScenario, Arg: "1B"},
		{Kind: sim.CmdShardsUp}, {Kind: sim.CmdShardsDown},
		{Kind: sim.CmdInjectBurst}, {Kind: sim.CmdCycleDuplicateRate}, {Kind: sim.CmdCompact},
		{Kind: sim.CmdToggleFault, Fault: sim.LedgerDown}, {Kind: sim.CmdToggleFault, Fault: sim.LambdaDown},
		{Kind: sim.CmdToggleFault, Fault: sim.Malformed}, {Kind: sim.CmdToggleFault, Fault: sim.Late},
		{Kind: sim.CmdToggleFault, Fault: sim.Poison},
		{Kind: sim.CmdCycleSwitch, Arg: "glue.dedupe"}, {Kind: sim.CmdCycleSwitch, Arg: "ledger.on_failure"},
		{Kind: sim.CmdCycleSwitch, Arg: "glue.partitioning"}, {Kind: sim.CmdCycleSwitch, Arg: "pipeline.mode"},
	}
	cfg, err := config.ParseFile("../config.yml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Glue.Schedule = 10 * time.Minute
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run("seed "+strconv.FormatUint(seed, 10), func(t *testing.T) {
			e := startEngine(t, cfg, sim.Options{Scenario: "1M", Seed: seed, Speed: 3600})
			rng := rand.New(rand.NewPCG(seed, 9))
			var pressed []string
			for range 20 {
				c := commands[rng.IntN(len(commands))]
				e.Send(c)
				pressed = append(pressed, strconv.Itoa(int(c.Kind))+string(c.Fault)+c.Arg)
				time.Sleep(60 * time.Millisecond)
				s := e.Snapshot()
				if msg := untrue(s); msg != "" {
					t.Fatalf("after %v: %s", pressed, msg)
				}
				for _, size := range [][2]int{{80, 24}, {120, 40}} {
					m, _ := newTestModel(t, s, size[0], size[1])
					v := screen(m)
					for _, p := range percentRE.FindAllStringSubmatch(v, -1) {
						if f, _ := strconv.ParseFloat(p[1], 64); f > 100 {
							t.Fatalf("after %v, %d×%d shows %s:\n%s", pressed, size[0], size[1], p[0], v)
						}
					}
				}
			}
		})
	}
}

// untrue says what in a snapshot is not so, or "".
func untrue(s *sim.Snapshot) string {
	c, n := s.Totals.Counts, s.Totals.Nominal
	for _, id := range metric.Identities {
		if whole, parts := id.Sides(c); whole != parts {
			return id.Name + " identity off: " + strconv.FormatInt(whole, 10) + " vs " + strconv.FormatInt(parts, 10)
		}
	}
	if c[metric.Throttled] > c[metric.Sent]+c[metric.ProducerDropped]+c[metric.ProducerBuffered] {
		return "more records throttled than sent, dropped or waiting"
	}
	inj := n[metric.DuplicatesInjected]
	parts := []metric.Counter{metric.DuplicatesDroppedLambda, metric.DuplicatesDroppedGlue, metric.DuplicatesLeaked,
		metric.DuplicatesLost, metric.DuplicatesOnTheWay, metric.DuplicatesUnresolved}
	var sum int64
	for _, p := range parts {
		if n[p] < 0 || n[p] > inj {
			return p.Key() + " is " + strconv.FormatInt(n[p], 10) + " of " + strconv.FormatInt(inj, 10) + " injected"
		}
		sum += n[p]
	}
	if sum != inj {
		return "duplicates rows add up to " + strconv.FormatInt(sum, 10) + ", not the " + strconv.FormatInt(inj, 10) + " injected"
	}
	for _, u := range s.ShardUse {
		if u.RecordsUse > 1 || u.BytesUse > 1 {
			return u.ID + " over its limit"
		}
	}
	return ""
}
