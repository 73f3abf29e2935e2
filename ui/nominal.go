package ui

import "pipesim/sim"

// Counts at the nominal volume: what a sampled snapshot's materialised
// counts stand for.

// minuteScale is how many events one materialised event of minute m stands
// for: the ratio in force during that minute (the snapshot's ratio for a
// minute that does not say).
func minuteScale(s *sim.Snapshot, m sim.MinuteMetrics) int64 {
	if m.SampleOneIn > 0 {
		return m.SampleOneIn
	}
	return scale(s)
}

// nomMinute formats a count of minute m at the nominal volume.
func nomMinute(s *sim.Snapshot, m sim.MinuteMetrics, n int64) string {
	k := minuteScale(s, m)
	return approx(n*k, k > 1)
}

// nomMinuteBytes is nomMinute for sizes.
func nomMinuteBytes(s *sim.Snapshot, m sim.MinuteMetrics, n int64) string {
	k := minuteScale(s, m)
	if k > 1 {
		return "~" + bytesSI(n*k)
	}
	return bytesSI(n)
}

// everSampled: some of what is on disk was written while sampling. Staging
// and Parquet figures are shown as they are on disk (scaling old partitions
// by today's ratio would be wrong), so their panes say "on disk" then.
//
// (To show them at the nominal volume the contract would need the ratio per
// partition: sim.StagingPartition.SampleOneIn and nominal rows/bytes on
// sim.ParquetPartition.)
func everSampled(s *sim.Snapshot) bool {
	return sampled(s) || (s.Scaled != (sim.Totals{}) && s.Scaled != s.Totals)
}
