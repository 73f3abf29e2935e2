package sim

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"pipesim/sim/metric"
	"strings"
	"time"
)

// writeReport writes a CloudWatch report for the run so far.
func (e *Engine) writeReport(final bool) error {
	var b bytes.Buffer
	e.report(&b, final)
	path, err := e.lake.WriteReport(e.simTime(), final, b.Bytes())
	if err != nil {
		return err
	}
	if final {
		e.finalReport = path
	} else {
		// its folder too, but not --out's path: the same seed writes the same reports anywhere
		e.cw.logf(e.simTime(), false, "report written: %s", filepath.Join(filepath.Base(filepath.Dir(path)), filepath.Base(path)))
	}
	return nil
}

// terms renders counters and their counts joined by +: "sent 5 + dropped at the producer (lost) 0".
func terms(cs []metric.Counter, t metric.Counts) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Label() + " " + metric.Thousands(t[c])
	}
	return strings.Join(out, " + ")
}

// report writes the run as Markdown. Every figure comes from simulated
// time, so a rerun with the same seed writes the same text.
func (e *Engine) report(b io.Writer, final bool) {
	t := e.counts.total.Counts
	kind := ""
	if final {
		kind = " (final)"
	}
	fmt.Fprintf(b, "# CloudWatch report — %s%s\n\n", e.simTime().Format("2006-01-02 15:04:05 UTC"), kind)
	fmt.Fprintf(b, "Scenario %s: %s events/h, %s, seed %d, simulated %s → %s (%s).\n\n",
		e.scenario, metric.Compact(e.rate), metric.Plural(len(e.stream.open()), "shard"), e.opt.Seed,
		e.start.Format("2006-01-02 15:04:05"), e.simTime().Format("2006-01-02 15:04:05"), e.simTime().Sub(e.start))
	if w := e.counts.weight; w > 1 {
		fmt.Fprintf(b, "> **Sampled 1:%d.** Counts are what was materialised; the *nominal* column scales each by the sampling ratio in force when it happened, and is a projection.\n\n", w)
	}
	io.WriteString(b, "## Pipeline totals\n\n| metric | count | nominal |\n|---|---:|---:|\n")
	for _, c := range metric.Counters() {
		fmt.Fprintf(b, "| %s | %s | %s |\n", c.Label(), metric.Thousands(t[c]), metric.Thousands(e.counts.total.Nominal[c]))
	}

	io.WriteString(b, "\n## Where every record went\n\n")
	for _, id := range metric.Identities {
		whole, parts := id.Sides(t)
		fmt.Fprintf(b, "- %s = %s %s\n", terms(id.Whole, t), terms(id.Parts, t), check(whole == parts))
	}

	io.WriteString(b, "\n## Storage (now)\n\n| area | files | size | share of the limit |\n|---|---:|---:|---:|\n")
	limit := float64(e.cfg.CloudWatch.StorageLimit)
	fmt.Fprintf(b, "| staging (NDJSON) | %d | %s | %.2f%% |\n", t[metric.StagingFiles], metric.BytesSI(t[metric.StagingBytes]), 100*float64(t[metric.StagingBytes])/limit)
	fmt.Fprintf(b, "| processed (Parquet) | %d | %s | %.2f%% |\n", t[metric.ProcessedFiles], metric.BytesSI(t[metric.ProcessedBytes]), 100*float64(t[metric.ProcessedBytes])/limit)
	fmt.Fprintf(b, "| total | %d | %s | %.2f%% of %s |\n", t[metric.StagingFiles]+t[metric.ProcessedFiles], metric.BytesSI(t[metric.StagingBytes]+t[metric.ProcessedBytes]),
		100*float64(t[metric.StagingBytes]+t[metric.ProcessedBytes])/limit, metric.BytesIEC(e.cfg.CloudWatch.StorageLimit))

	e.reportFileSizes(b)

	c := e.cost()
	fmt.Fprintf(b, "\n## Cost\n\nAt list prices in %s as of %s; a month is %d hours at the recent rate (the streaming stages' last 5 minutes, Glue's last hour).\n\n", c.Region, c.AsOf, HoursPerMonth)
	io.WriteString(b, "| stage | so far | a month at this rate |\n|---|---:|---:|\n")
	for _, s := range Stages() {
		fmt.Fprintf(b, "| %s | %s | %s |\n", s.Key(), metric.USD(c.USD[s]), metric.USD(c.PerMonth[s]))
	}
	fmt.Fprintf(b, "| **total** | **%s** | **%s** |\n", metric.USD(c.USD.Total()), metric.USD(c.PerMonth.Total()))

	io.WriteString(b, "\n## Alarms\n\n| alarm | condition | last minute | state |\n|---|---|---:|---|\n")
	for i, a := range e.cw.alarms {
		c := e.cfg.CloudWatch.Alarms[i]
		state := "OK"
		if a.Firing {
			state = "**ALARM** since " + a.Since.Format("15:04")
		}
		fmt.Fprintf(b, "| %s | %s %s %g for %d min | %s | %s |\n", a.Name, c.Metric, c.Comparison, c.Threshold, c.Minutes, metric.FormatAlarmValue(c.Metric, a.Value), state)
	}

	if od := e.onDemandInfo(); od.On {
		io.WriteString(b, "\n## On-demand capacity\n\n| from | shards |\n|---|---:|\n")
		fmt.Fprintf(b, "| %s | %d |\n", e.start.Format("15:04"), e.cfg.Kinesis.OnDemandShards)
		for _, st := range od.Steps {
			fmt.Fprintf(b, "| %s | %d |\n", st.At.Format("15:04"), st.Shards)
		}
		if od.ScalesTo > 0 {
			fmt.Fprintf(b, "| %s | %d (scaling) |\n", od.At.Format("15:04"), od.ScalesTo)
		}
	}

	io.WriteString(b, "\n## Recent minutes (per 10 simulated minutes, nominal)\n\n| from |")
	for _, c := range recentColumns {
		fmt.Fprintf(b, " %s |", c.Label())
	}
	io.WriteString(b, " max iterator age |\n|---|"+strings.Repeat("---:|", len(recentColumns)+1)+"\n")
	for _, g := range groupMinutes(e.cw.minutes, 10) {
		fmt.Fprintf(b, "| %s |", g.Start.Format("15:04"))
		for _, c := range recentColumns {
			fmt.Fprintf(b, " %s |", metric.Thousands(g.Nominal[c]))
		}
		fmt.Fprintf(b, " %s |\n", g.IteratorAgeMax)
	}

	io.WriteString(b, "\n## Log\n\n")
	for _, l := range e.cw.log {
		mark := ""
		if l.Warn {
			mark = "⚠ "
		}
		fmt.Fprintf(b, "- %s %s%s\n", l.At.Format("15:04:05"), mark, l.Text)
	}
}

// recentColumns are the counters the report shows per ten minutes.
var recentColumns = []metric.Counter{metric.Sent, metric.Throttled, metric.LambdaRecords,
	metric.LambdaInvocations, metric.DuplicatesDroppedLambda, metric.DeadLettered}

func check(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗ (does not add up)"
}

// groupMinutes sums consecutive minutes into groups of n.
func groupMinutes(ms []metric.Minute, n int) []metric.Minute {
	var out []metric.Minute
	for i, m := range ms {
		if i%n == 0 || m.Start.Sub(out[len(out)-1].Start) >= time.Duration(n)*time.Minute {
			out = append(out, metric.Minute{Start: m.Start})
		}
		g := &out[len(out)-1]
		g.Plus(m.Tally)
		g.IteratorAgeMax = max(g.IteratorAgeMax, m.IteratorAgeMax)
	}
	return out
}

func (e *Engine) fileBand() FileBand {
	return FileBand{e.cfg.Glue.TargetFileBytes[0], e.cfg.Glue.TargetFileBytes[1]}
}

// reportFileSizes says how the lake's Parquet files sit against the size
// band merged files aim for (glue.target_file_bytes), at the nominal
// volume.
func (e *Engine) reportFileSizes(b io.Writer) {
	band := e.fileBand()
	var n [3]int
	var smallest, largest int64 = -1, 0
	for _, p := range e.processed {
		c := band.Count(p.Files)
		for i := range n {
			n[i] += c[i]
		}
		for _, f := range p.Files {
			if smallest < 0 || f.NominalBytes < smallest {
				smallest = f.NominalBytes
			}
			largest = max(largest, f.NominalBytes)
		}
	}
	below, in, above := n[BelowBand], n[InBand], n[AboveBand]
	if below+in+above == 0 {
		return
	}
	fmt.Fprintf(b, "\nParquet files against the %s–%s band: %d below, %d in, %d above (smallest %s, largest %s).\n",
		metric.BytesSI(band.Lo), metric.BytesSI(band.Hi), below, in, above, metric.BytesSI(smallest), metric.BytesSI(largest))
}
