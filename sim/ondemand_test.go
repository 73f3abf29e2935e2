package sim

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pipesim/sim/metric"
)

// An on-demand stream meeting a load four times its first capacity
// throttles, doubles its capacity a step at a time (each on_demand_scale
// after the peak it saw), and then stops throttling; the steps are in the
// snapshot. (Per-shard limits are scaled down so that 300k/h is the burst.)
func TestOnDemandScalesThroughABurst(t *testing.T) {
	cfg := testConfig(t)
	cfg.Kinesis.Mode = "on_demand"
	cfg.Kinesis.OnDemandShards = 1
	cfg.Kinesis.WriteRecordsPerSecond = 25 // 300k/h is 83 records a second
	cfg.Kinesis.WriteBytesPerSecond = 1 << 20
	cfg.Kinesis.OnDemandScale = 5 * time.Minute
	out := t.TempDir()
	s, e := runWithEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 300_000, Seed: 41, Start: faultStart,
		Duration: 40 * time.Minute, Out: out})
	checkIdentities(t, out, s)
	snap := e.Snapshot()
	steps := snap.OnDemand.Steps
	if len(steps) < 2 || snap.Shards < 4 || snap.OnDemand.ScalesTo != 0 {
		t.Fatalf("scaled %v, %d shards, still scaling to %d; want at least two steps to 4+", steps, snap.Shards, snap.OnDemand.ScalesTo)
	}
	for i, st := range steps {
		prev := cfg.Kinesis.OnDemandShards
		if i > 0 {
			prev = steps[i-1].Shards
		}
		if st.Shards > 2*prev+1 || st.Shards <= prev {
			t.Errorf("step %d: %d → %d shards; want at most double (of the peak it saw)", i, prev, st.Shards)
		}
		if i > 0 && st.At.Sub(steps[i-1].At) < cfg.Kinesis.OnDemandScale {
			t.Errorf("step %d came %s after the one before; want at least %s", i, st.At.Sub(steps[i-1].At), cfg.Kinesis.OnDemandScale)
		}
	}
	// throttled while it scaled, not after
	last := steps[len(steps)-1].At
	var during, after int64
	for _, m := range snap.Minutes {
		if m.Start.Before(last) {
			during += m.Counts[metric.Throttled]
		} else if m.Start.After(last.Add(time.Minute)) {
			after += m.Counts[metric.Throttled]
		}
	}
	if during == 0 || after != 0 {
		t.Errorf("throttled %d while scaling, %d after the last step at %s; want some, then none", during, after, last.Format("15:04"))
	}
	if !hasLog(e, "on-demand stream scaled to ") {
		t.Error("no log line for a scaling step")
	}
	finals, _ := filepath.Glob(filepath.Join(out, "cloudwatch_reports", "*-final.md"))
	if len(finals) != 1 {
		t.Fatalf("final reports %v", finals)
	}
	report, err := os.ReadFile(finals[0])
	want := fmt.Sprintf("## On-demand capacity\n\n| from | shards |\n|---|---:|\n| 00:20 | 1 |\n| %s | %d |\n", steps[0].At.Format("15:04"), steps[0].Shards)
	if err != nil || !strings.Contains(string(report), want) {
		t.Errorf("the final report lacks the capacity curve %q (%v)", want, err)
	}
}
