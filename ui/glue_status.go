package ui

import (
	"pipesim/sim"
	"pipesim/sim/metric"
)

// glueStep says what a Glue run the clock waits for is doing:
// "rewriting ~1.2M rows into hour_event_type, 40%".
func glueStep(g *sim.GlueInFlight, sampled bool) string {
	done := func() string {
		if g.Of <= 0 {
			return "0%"
		}
		return pct(float64(g.Done) / float64(g.Of))
	}
	switch g.Step {
	case sim.GlueReading:
		return "reading staging, file " + metric.Thousands(g.Done) + " of " + metric.Thousands(g.Of)
	case sim.GlueWriting:
		return "closing Parquet files, " + metric.Thousands(g.Done) + " of " + metric.Thousands(g.Of)
	case sim.GlueRewriting:
		return "rewriting " + approx(g.Rows, sampled) + " rows into " + g.Layout + ", " + done()
	case sim.GlueMerging:
		return "merging " + approx(g.Rows, sampled) + " rows toward the file-size band, " + done()
	}
	return "starting"
}

// glueWaitForms are the header's words while the clock stands still for
// Glue, longest first.
func glueWaitForms(s *sim.Snapshot) []string {
	g := s.Glue
	run := "Glue run " + metric.Thousands(g.Run)
	if g.Run == 0 {
		run = "Glue"
	}
	step := glueStep(g, sampled(s))
	return []string{
		"⏳ clock waits for " + run + ": " + step,
		"⏳ waiting for " + run + ": " + step,
		"⏳ waiting for " + run,
		"⏳ Glue",
	}
}

// glueRunning is the Parquet pane's line for the run in flight: "Glue
// run 4 (scheduled) 02:00:00 → 02:01:40".
func glueRunning(g *sim.GlueInFlight) string {
	s := "Glue run"
	if g.Run > 0 {
		s += " " + metric.Thousands(g.Run)
	}
	s += " (" + g.Why + ") running since " + g.Started.Format("15:04:05")
	if !g.Ends.IsZero() {
		s += ", publishes " + g.Ends.Format("15:04:05")
	}
	if g.Next != "" {
		s += "; then the " + g.Next + " run asked meanwhile"
	}
	return s
}
