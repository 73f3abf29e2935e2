package sim

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteProgress writes one progress line for a headless run: redrawn in
// place with a bar when bar is set (a terminal), a plain line otherwise.
func WriteProgress(w io.Writer, s *Snapshot, duration time.Duration, bar bool) {
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
	line := fmt.Sprintf("%s  %s  sent %d  staged %d  processed %d  dup dropped %d  ×%.0f",
		s.SimTime.Format("2006-01-02 15:04:05"), state, s.Totals.Sent, s.Totals.Staged, s.Totals.Processed,
		s.Totals.DuplicatesDroppedLambda+s.Totals.DuplicatesDroppedGlue, s.AchievedSpeed)
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

// WriteSummary writes a run's summary as a readable table.
func WriteSummary(w io.Writer, s Summary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "pipesim run: scenario %s (%s events/h), %d shard(s), seed %d, %s → %s simulated, ledger %s\n",
		s.Scenario, formatCount(s.RatePerHour), s.Shards, s.Seed, s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339), s.Ledger)
	if s.SampleOneIn > 1 {
		fmt.Fprintf(w, "sampled 1:%d: the counts below are materialised; each stands for %d events\n", s.SampleOneIn, s.SampleOneIn)
	}
	rows := []struct {
		name string
		v    int64
	}{
		{"produced", s.Produced}, {"duplicates injected", s.DuplicatesInjected}, {"sent", s.Sent},
		{"throttled", s.Throttled}, {"lambda invocations", s.LambdaInvocations}, {"dead-lettered", s.DeadLettered},
		{"duplicates dropped (ledger)", s.DuplicatesDroppedLambda}, {"staged", s.Staged}, {"glue runs", s.GlueRuns},
		{"duplicates dropped (glue)", s.DuplicatesDroppedGlue}, {"processed", s.Processed},
		{"duplicates leaked", s.DuplicatesLeaked}, {"in flight", s.InFlight}, {"expired", s.Expired},
		{"staging files", s.StagingFiles}, {"staging bytes", s.StagingBytes},
		{"processed files", s.ProcessedFiles}, {"processed bytes", s.ProcessedBytes},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "  %s\t%d\t\n", r.name, r.v)
	}
	tw.Flush()
	fmt.Fprintf(w, "%.1f s wall, %.0f events per wall-second; files in %s\n", s.WallSeconds, s.EventsPerWallSecond, s.Out)
}
