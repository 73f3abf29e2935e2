package ui

import (
	"pipesim/sim"
	"pipesim/sim/metric"
)

// Counts at the nominal volume, as the engine publishes them: the panes
// choose how to show a figure, never how to scale it.

// minuteCount formats counter c of minute m at the nominal volume.
func minuteCount(m metric.Minute, c metric.Counter) string {
	return approx(m.Nominal[c], m.Sampled())
}

// minuteBytes is minuteCount for sizes.
func minuteBytes(m metric.Minute, c metric.Counter) string {
	if m.Sampled() {
		return "~" + metric.BytesSI(m.Nominal[c])
	}
	return metric.BytesSI(m.Nominal[c])
}

// approxBytes is a size, ~ when estimated from a sample.
func approxBytes(b int64, sampled bool) string {
	if sampled {
		return "~" + metric.BytesSI(b)
	}
	return metric.BytesSI(b)
}

// everSampled: some of what is on disk was written while sampling, so the
// Staging and Parquet panes' sizes are estimates (nominal, ~), and their
// titles say what is on disk as well. File counts are nominal as they
// are: a file a shard a minute, a file a Glue run and partition, and
// merges split by nominal size.
func everSampled(s *sim.Snapshot) bool {
	return sampled(s) || s.Totals.Sampled()
}
