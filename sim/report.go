package sim

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// writeReport writes a CloudWatch report for the run so far.
func (e *Engine) writeReport(final bool) error {
	name := "cloudwatch-" + strings.ReplaceAll(e.simTime().Format("2006-01-02T15:04:05Z"), ":", "-")
	if final {
		name += "-final"
	}
	path, err := e.lake.WriteReport(name+".md", e.report(final))
	if err != nil {
		return err
	}
	if !final {
		e.cw.logf(e.simTime(), false, "report written: %s", filepath.Base(path))
	}
	return nil
}

// report renders the run as Markdown. Every figure but the last section's
// comes from simulated time, so reruns give the same text there.
func (e *Engine) report(final bool) []byte {
	var b bytes.Buffer
	t := e.totals
	w := e.weight
	kind := ""
	if final {
		kind = " (final)"
	}
	fmt.Fprintf(&b, "# CloudWatch report — %s%s\n\n", e.simTime().Format("2006-01-02 15:04:05 UTC"), kind)
	fmt.Fprintf(&b, "Scenario %s: %s events/h, %d shard(s), seed %d, simulated %s → %s (%s).\n\n",
		e.scenario, formatCount(e.rate), len(e.stream.open()), e.opt.Seed,
		e.start.Format("2006-01-02 15:04:05"), e.simTime().Format("2006-01-02 15:04:05"), e.simTime().Sub(e.start))
	if w > 1 {
		fmt.Fprintf(&b, "> **Sampled 1:%d.** Counts are what was materialised; the *nominal* column scales each by the sampling ratio in force when it happened, and is a projection.\n\n", w)
	}
	b.WriteString("## Pipeline totals\n\n| metric | count | nominal |\n|---|---:|---:|\n")
	s := e.scaled
	rows := []struct {
		name     string
		mat, nom int64
	}{
		{"events produced", t.Produced, s.Produced},
		{"duplicate records injected", t.DuplicatesInjected, s.DuplicatesInjected},
		{"records put to Kinesis", t.Sent, s.Sent},
		{"put attempts throttled", t.Throttled, s.Throttled},
		{"Lambda invocations", t.LambdaInvocations, s.LambdaInvocations},
		{"dead-lettered", t.DeadLettered, s.DeadLettered},
		{"duplicates dropped by the ledger", t.DuplicatesDroppedLambda, s.DuplicatesDroppedLambda},
		{"staged (NDJSON lines)", t.Staged, s.Staged},
		{"Glue runs", t.GlueRuns, s.GlueRuns},
		{"duplicates dropped by Glue", t.DuplicatesDroppedGlue, s.DuplicatesDroppedGlue},
		{"processed (Parquet rows)", t.Processed, s.Processed},
		{"duplicates leaked into the lake", t.DuplicatesLeaked, s.DuplicatesLeaked},
		{"in flight", t.InFlight, s.InFlight},
		{"expired in the stream (lost)", t.Expired, s.Expired},
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d | %d |\n", r.name, r.mat, r.nom)
	}

	b.WriteString("\n## Where every record went\n\n")
	inStream := e.stream.inFlight()
	right := t.Staged + t.DuplicatesDroppedLambda + t.DeadLettered + t.Expired + inStream
	fmt.Fprintf(&b, "- sent %d = staged %d + dropped by the ledger %d + dead-lettered %d + expired %d + in the stream %d %s\n",
		t.Sent, t.Staged, t.DuplicatesDroppedLambda, t.DeadLettered, t.Expired, inStream, check(t.Sent == right))
	if e.done {
		right = t.Processed + t.DuplicatesDroppedGlue + e.glued.quarantined
		fmt.Fprintf(&b, "- staged %d = processed %d + dropped by Glue %d + quarantined %d %s\n",
			t.Staged, t.Processed, t.DuplicatesDroppedGlue, e.glued.quarantined, check(t.Staged == right))
	} else {
		fmt.Fprintf(&b, "- Glue has read %d staged lines so far: processed %d, dropped %d, quarantined %d\n",
			t.Processed+t.DuplicatesDroppedGlue+e.glued.quarantined, t.Processed, t.DuplicatesDroppedGlue, e.glued.quarantined)
	}

	b.WriteString("\n## Storage (now)\n\n| area | files | size | share of the limit |\n|---|---:|---:|---:|\n")
	limit := float64(e.cfg.CloudWatch.StorageLimit)
	fmt.Fprintf(&b, "| staging (NDJSON) | %d | %s | %.2f%% |\n", t.StagingFiles, formatBytes(t.StagingBytes), 100*float64(t.StagingBytes)/limit)
	fmt.Fprintf(&b, "| processed (Parquet) | %d | %s | %.2f%% |\n", t.ProcessedFiles, formatBytes(t.ProcessedBytes), 100*float64(t.ProcessedBytes)/limit)
	fmt.Fprintf(&b, "| total | %d | %s | %.2f%% of %s |\n", t.StagingFiles+t.ProcessedFiles, formatBytes(t.StagingBytes+t.ProcessedBytes),
		100*float64(t.StagingBytes+t.ProcessedBytes)/limit, formatBytes(e.cfg.CloudWatch.StorageLimit))

	b.WriteString("\n## Alarms\n\n| alarm | condition | last minute | state |\n|---|---|---:|---|\n")
	for i, a := range e.cw.alarms {
		c := e.cfg.CloudWatch.Alarms[i]
		state := "OK"
		if a.Firing {
			state = "**ALARM** since " + a.Since.Format("15:04")
		}
		fmt.Fprintf(&b, "| %s | %s %s %g for %d min | %s | %s |\n", a.Name, c.Metric, c.Comparison, c.Threshold, c.Minutes, formatMetric(c.Metric, a.Value), state)
	}

	b.WriteString("\n## Recent minutes (per 10 simulated minutes, nominal)\n\n| from | put | throttled | Lambda records | invocations | dropped by ledger | dead letters | max iterator age |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, g := range groupMinutes(e.cw.minutes, 10) {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d | %s |\n", g.Minute.Format("15:04"), g.Put, g.Throttled, g.LambdaRecords, g.Invocations, g.DuplicatesLedger, g.DeadLettered, g.IteratorAgeMax)
	}

	b.WriteString("\n## Log\n\n")
	for _, l := range e.cw.log {
		mark := ""
		if l.Warn {
			mark = "⚠ "
		}
		fmt.Fprintf(&b, "- %s %s%s\n", l.At.Format("15:04:05"), mark, l.Text)
	}
	return b.Bytes()
}

func check(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗ (does not add up)"
}

// groupMinutes sums consecutive minutes into groups of n, each minute's
// counts scaled by its own sampling ratio.
func groupMinutes(ms []MinuteMetrics, n int) []MinuteMetrics {
	var out []MinuteMetrics
	for i, m := range ms {
		if i%n == 0 || m.Minute.Sub(out[len(out)-1].Minute) >= time.Duration(n)*time.Minute {
			out = append(out, MinuteMetrics{Minute: m.Minute})
		}
		g, w := &out[len(out)-1], max(1, m.SampleOneIn)
		g.Put += m.Put * w
		g.Throttled += m.Throttled * w
		g.LambdaRecords += m.LambdaRecords * w
		g.Invocations += m.Invocations
		g.DuplicatesLedger += m.DuplicatesLedger * w
		g.DeadLettered += m.DeadLettered * w
		g.IteratorAgeMax = max(g.IteratorAgeMax, m.IteratorAgeMax)
	}
	return out
}
