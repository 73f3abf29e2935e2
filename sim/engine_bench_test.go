package sim

import (
	"context"
	"os"
	"pipesim/sim/metric"
	"testing"
	"time"
)

// BenchmarkPipeline is `pipesim bench` in small: ten simulated minutes of
// the 1M/h scenario, unsampled, embedded ledger, every stage, files on disk.
func BenchmarkPipeline(b *testing.B) {
	cfg := benchConfig(b)
	var err error
	if m := os.Getenv("PIPESIM_BENCH_SET"); m != "" {
		if cfg, err = cfg.Set(m); err != nil {
			b.Fatal(err)
		}
	}
	var records int64
	start := time.Now()
	for b.Loop() {
		ctx := context.Background()
		e, err := New(ctx, cfg, Options{Scenario: "1M", SampleOneIn: 1, Seed: 1, Start: cfg.Start, Duration: 10 * time.Minute, Out: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		s, err := e.Run(ctx)
		e.Close()
		if err != nil {
			b.Fatal(err)
		}
		records += s.Counts[metric.Sent]
	}
	b.ReportMetric(float64(records)/time.Since(start).Seconds(), "events/s")
}
