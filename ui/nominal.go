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

// everSampled: some of what is on disk was written while sampling. Staging
// and Parquet figures are shown as they are on disk (scaling old partitions
// by today's ratio would be wrong), so their panes say "on disk" then.
//
// (To show them at the nominal volume the contract would need the ratio per
// partition: sim.StagingPartition.SampleOneIn and nominal rows/bytes on
// sim.ParquetPartition.)
func everSampled(s *sim.Snapshot) bool {
	return sampled(s) || s.Totals.Sampled()
}
