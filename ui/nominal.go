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

// everSampled: some of what is on disk was written while sampling. The
// Staging and Parquet panes show files as they are on disk and say so
// then: a sampled file's nominal size (sim.ParquetFile.NominalBytes) is
// published, but at the nominal volume the same rows would be cut into
// other files, so neither the count nor the size of a file is its
// nominal figure.
func everSampled(s *sim.Snapshot) bool {
	return sampled(s) || s.Totals.Sampled()
}
