package main

import (
	"fmt"
	"io"
	"pipesim/sim"
	"pipesim/sim/metric"
	"strings"
	"text/tabwriter"
	"time"
)

// writeProgress writes one progress line for a headless run: redrawn in
// place with a bar when bar is set (a terminal), a plain line otherwise.
func writeProgress(w io.Writer, s *sim.Snapshot, duration time.Duration, bar bool) {
	elapsed := s.SimTime.Sub(s.Start)
	state := "running"
	switch {
	case s.Err != nil:
		state = "stopped"
	case s.Done:
		state = "done"
	case duration > 0 && elapsed >= duration:
		state = "draining"
	}
	t := s.Totals.Counts
	line := fmt.Sprintf("%s  %s  sent %d  staged %d  processed %d  dup dropped %d  ×%.0f",
		s.SimTime.Format("2006-01-02 15:04:05"), state, t[metric.Sent], t[metric.Staged], t[metric.Processed],
		t[metric.DuplicatesDroppedLambda]+t[metric.DuplicatesDroppedGlue], s.AchievedSpeed)
	if !bar {
		fmt.Fprintln(w, line)
		return
	}
	frac := 1.0
	if duration > 0 {
		frac = min(1, float64(elapsed)/float64(duration))
	}
	const width = 24
	filled := int(frac * width)
	fmt.Fprintf(w, "\r\x1b[K[%s%s] %3.0f%%  %s", strings.Repeat("█", filled), strings.Repeat("░", width-filled), frac*100, line)
}

// writeSummary writes a run's summary as a readable table: the counts as
// materialised and, when sampled, at the scenario's volume beside them.
func writeSummary(w io.Writer, s sim.Summary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "pipesim run: scenario %s (%s events/h), %d shard(s) of %d needed, seed %d, %s → %s simulated, ledger %s\n",
		s.Scenario, metric.Compact(s.RatePerHour), s.Shards, s.ShardsNeeded, s.Seed, s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339), s.Ledger)
	fmt.Fprintf(w, "config: %s\n", s.Config)
	sampled := s.Sampled()
	if sampled {
		fmt.Fprintf(w, "sampled 1:%d: one materialised event stands for %d; nominal is what the scenario's volume does\n", s.SampleOneIn, s.SampleOneIn)
		fmt.Fprintf(tw, "  \tmaterialised\tnominal\t\n")
	}
	for _, c := range metric.Counters() {
		if sampled {
			fmt.Fprintf(tw, "  %s\t%d\t%d\t\n", c.Label(), s.Counts[c], s.Nominal[c])
		} else {
			fmt.Fprintf(tw, "  %s\t%d\t\n", c.Label(), s.Counts[c])
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "%.1f s wall, %.0f events per wall-second; files in %s\n", s.WallSeconds, s.EventsPerWallSecond, s.Out)
}
