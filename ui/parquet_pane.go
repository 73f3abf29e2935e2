package ui

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"pipesim/sim"
	"pipesim/sim/metric"
	"pipesim/store"
)

// parquetPane: the processed lake's partitions (a day per language, or
// an hour per event type), newest first, each with its files, rows,
// average file size as a bar against the 100 MB – 1 GB target band (colour
// and a text marker: small / ok / big), the compression ratio against
// NDJSON, and what the current rate projects one partition per value to
// weigh. Rows and sizes are nominal (~ when sampled); the title says what
// is on disk.
type parquetPane struct{ listPane }

func newParquetPane(sh *shared) *parquetPane {
	p := &parquetPane{listPane{base: base{sh: sh}}}
	p.body = p.lines
	return p
}

// The bar's log scale.
const (
	scaleLo = 1_000_000 // 1 MB: bar empty at or below
	decades = 4.0       // 1 MB … 10 GB
	valueW  = 12        // the widest partition value shown whole
)

// sizeWord names a file size class on screen.
func sizeWord(c sim.SizeClass) string {
	return [...]string{sim.BelowBand: "small", sim.InBand: "ok", sim.AboveBand: "big"}[c]
}

// bandText is the band as the legend says it: "100 MB–1 GB".
func bandText(b sim.FileBand) string {
	short := func(n int64) string { return strings.Replace(metric.BytesSI(n), ".0 ", " ", 1) }
	return short(b.Lo) + "–" + short(b.Hi)
}

// fileMix says how a partition's files sit against the band: "ok" when
// all are in it, "9 small 2 ok" when they differ, each in its colour;
// short, only the class with the most files outside the band, against all
// of them: "9/11 small".
func (p *parquetPane) fileMix(n [3]int, short bool) (plain, styled string) {
	st := &p.sh.st
	all := n[0] + n[1] + n[2]
	if mixed := n[0] != all && n[1] != all && n[2] != all; short && mixed {
		c := sim.BelowBand
		if n[sim.AboveBand] > n[sim.BelowBand] {
			c = sim.AboveBand
		}
		w := itoa(n[c]) + "/" + itoa(all) + " " + sizeWord(c)
		return w, st.sized(c).Render(w)
	}
	var words, styledWords []string
	for c, k := range n {
		if k == 0 {
			continue
		}
		w := sizeWord(sim.SizeClass(c))
		if k != all {
			w = itoa(k) + " " + w
		}
		words = append(words, w)
		styledWords = append(styledWords, st.sized(sim.SizeClass(c)).Render(w))
	}
	return strings.Join(words, " "), strings.Join(styledWords, " ")
}

// barPos is where a size falls on a bar of w cells (log scale, 1 MB–10 GB).
func barPos(b int64, w int) float64 {
	if b <= scaleLo {
		return 0
	}
	f := math.Log10(float64(b)/scaleLo) / decades
	return math.Min(f, 1) * float64(w)
}

// sizeBar draws a file size on a log scale with the target band shaded.
func (p *parquetPane) sizeBar(b int64, band sim.FileBand, w int) string {
	st := &p.sh.st
	fill, cells := hbar(barPos(b, w)/float64(w), w)
	lo, hi := int(math.Round(barPos(band.Lo, w))), int(math.Round(barPos(band.Hi, w)))
	var rest strings.Builder
	for i := cells; i < w; i++ {
		if i >= lo && i < hi {
			rest.WriteString(st.BandEmpty.Render("░"))
		} else {
			rest.WriteString(st.BarEmpty.Render("·"))
		}
	}
	return st.sized(band.Classify(b)).Render(fill) + rest.String()
}

func (p *parquetPane) View() string {
	if p.snap == nil {
		return p.waiting("Parquet")
	}
	files, disk, nominal, nd := lakeTotals(p.snap)
	head := metric.Human(files) + " files · "
	candidates := []string{head + metric.BytesSI(disk) + " · " + ratio(nd, disk), head + metric.BytesSI(disk)}
	if everSampled(p.snap) {
		est := head + "~" + metric.BytesSI(nominal)
		candidates = []string{est + " · " + metric.BytesSI(disk) + " on disk", est}
	}
	info := firstFitting(candidates, p.w-2-width("Parquet")-7)
	lines := p.lines()
	_, ih := p.inner()
	off, end := window(len(lines), p.off, ih)
	p.off = off
	hint := scrollHint(off, end, len(lines))
	legend := "░ " + bandText(p.snap.FileBand)
	if hint == "" {
		hint = legend + " target"
	} else if p.w-2 >= width(hint)+width(legend)+10 {
		hint = legend + " · " + hint
	}
	return p.sh.st.frame("Parquet", info, hint, lines[off:end], p.w, p.h, p.focused)
}

// lakeTotals sums the lake's Parquet files: how many, their bytes on disk
// and at the nominal volume, and the NDJSON bytes they were made from.
func lakeTotals(s *sim.Snapshot) (files, disk, nominal, ndjson int64) {
	for _, pp := range s.Processed {
		for _, f := range pp.Files {
			files++
			disk += f.Bytes
			nominal += f.NominalBytes
		}
		ndjson += pp.NDJSONBytes
	}
	return
}

// partStats sums one partition's files: nominal bytes and rows, and the
// bytes on disk (for the compression ratio against the NDJSON on disk).
func partStats(pp sim.ParquetPartition) (bytes, rows, disk int64) {
	for _, f := range pp.Files {
		bytes += f.NominalBytes
		rows += f.NominalRows
		disk += f.Bytes
	}
	return
}

func (p *parquetPane) lines() []string {
	s := p.snap
	if s == nil {
		return nil
	}
	st := &p.sh.st
	iw, _ := p.inner()
	var running []string
	if g := s.Glue; g != nil {
		style := st.Label
		if g.Waiting {
			style = st.Warn
		}
		for _, l := range wrapWords(glueRunning(g), iw) {
			running = append(running, style.Render(l))
		}
	}
	if len(s.Processed) == 0 {
		why := "Glue has not run; c runs it now."
		if s.Totals.Counts[metric.GlueRuns] > 0 {
			why = "Glue found no closed minute yet."
		}
		if s.Glue != nil {
			why = "the first Glue run is under way."
		}
		out := append(running, st.Muted.Render("no Parquet yet:"), st.Muted.Render(why))
		if next := s.NextGlueRun; !next.IsZero() {
			out = append(out, st.Label.Render(fit("next scheduled run "+next.Format("15:04")+", in "+dur(next.Sub(s.SimTime)), iw)))
		}
		return out
	}
	out := running
	if s.Relayout != "" {
		for _, l := range wrapWords("next Glue run rewrites the lake as "+s.Relayout, iw) {
			out = append(out, st.Warn.Render(l))
		}
	}
	out = append(out, p.projection(iw)...)
	est := everSampled(s)

	// spans newest first; values by name within a span
	bySpan := map[int64][]sim.ParquetPartition{}
	var spans []int64
	valW := 3
	for _, pp := range s.Processed {
		d := pp.Start.Unix()
		if _, ok := bySpan[d]; !ok {
			spans = append(spans, d)
		}
		bySpan[d] = append(bySpan[d], pp)
		valW = max(valW, min(width(lang(pp.Value)), valueW))
	}
	slices.SortFunc(spans, func(a, b int64) int { return cmp.Compare(b, a) })

	// values wider than a language's drop the ratio and the file count
	// sooner, then are cut to leave the bar 4 cells
	wider := valW - 3
	showRatio := iw >= 50+wider
	rowsW, sizeW := 5, 7
	if est { // room for the ~
		rowsW, sizeW = 6, 8
	}
	showFiles := iw >= 36+wider
	fixedFor := func(short bool) (fixed, markerW int) {
		markerW = 5 // "small"
		for _, pp := range s.Processed {
			mix, _ := p.fileMix(s.FileBand.Count(pp.Files), short)
			markerW = max(markerW, width(mix))
		}
		fixed = valW + 2 + rowsW + 1 + 1 + sizeW + 1 + markerW
		if showFiles {
			fixed += 4
		}
		if showRatio {
			fixed += 7
		}
		return fixed, markerW
	}
	// the whole mix where it leaves the bar room, else its short form
	short := false
	fixed, markerW := fixedFor(short)
	if iw-fixed < 8 {
		short = true
		fixed, markerW = fixedFor(short)
	}
	if cut := min(fixed+4-iw, wider); cut > 0 {
		valW, fixed = valW-cut, fixed-cut
	}
	barW := clamp(iw-fixed, 4, 40)

	for _, d := range spans {
		parts := bySpan[d]
		slices.SortFunc(parts, func(a, b sim.ParquetPartition) int { return strings.Compare(a.Value, b.Value) })
		var dBytes, dRows, dDisk, dND int64
		merged := true
		for _, pp := range parts {
			b, r, d := partStats(pp)
			dBytes += b
			dRows += r
			dDisk += d
			dND += pp.NDJSONBytes
			merged = merged && pp.Merged
		}
		head := []string{
			st.Strong.Render(spanName(parts[0].Partition)),
			approx(dRows, est) + " rows",
			approxBytes(dBytes, est),
			ratio(dND, dDisk) + " vs ndjson",
		}
		if merged {
			head = append(head[:1], append([]string{st.OK.Render("merged")}, head[1:]...)...)
		}
		out = append(out, joinFit(head, st.Muted.Render(" · "), iw))
		for _, pp := range parts {
			b, r, d := partStats(pp)
			n := int64(len(pp.Files))
			avg := int64(0)
			if n > 0 {
				avg = b / n
			}
			mix, styledMix := p.fileMix(s.FileBand.Count(pp.Files), short)
			line := " " + padRight(fit(lang(pp.Value), valW), valW)
			if showFiles {
				line += st.Muted.Render(padLeft(itoa(int(n))+"f", 4))
			}
			line += " " + padLeft(approx(r, est), rowsW) + " " +
				p.sizeBar(avg, s.FileBand, barW) + " " +
				padLeft(approxBytes(avg, est), sizeW) + " " +
				styledMix + strings.Repeat(" ", markerW-width(mix))
			if showRatio {
				line += " " + st.Muted.Render(padLeft(ratio(pp.NDJSONBytes, d), 6))
			}
			out = append(out, line)
		}
	}
	return out
}

// spanName is a partition's time folders as a heading: day=2026-11-25,
// or 2026-11-25 hour=3.
func spanName(pp store.Partition) string {
	if pp.End.Sub(pp.Start) < 24*time.Hour {
		return pp.Start.Format("2006-01-02") + " hour=" + itoa(pp.Start.Hour())
	}
	return "day=" + pp.Start.Format("2006-01-02")
}

// projection: what one partition at the current rate would weigh per
// value (sim.Snapshot.Projected), and what to do once that passes the band.
func (p *parquetPane) projection(iw int) []string {
	s, st := p.snap, &p.sh.st
	ps := s.Projected
	if len(ps) == 0 {
		return nil
	}
	sep := st.Muted.Render(" · ")
	// language_id → language, langs; event_type → event type, types
	noun := strings.ReplaceAll(strings.TrimSuffix(s.Layout.Column, "_id"), "_", " ")
	plural := noun[strings.LastIndexByte(noun, ' ')+1:]
	plural = plural[:min(len(plural), 4)] + "s"
	// every language if they fit, else grouped by band: "10 langs 45 MB small"
	var each []string
	for _, pr := range ps {
		c := s.FileBand.Classify(pr.Bytes)
		each = append(each, lang(pr.Value)+" "+st.sized(c).Render(metric.BytesSI(pr.Bytes)+" "+sizeWord(c)))
	}
	line := strings.Join(each, sep)
	if width(line) > iw {
		var groups []string
		for _, c := range []sim.SizeClass{sim.AboveBand, sim.InBand, sim.BelowBand} {
			var in []sim.ProjectedPartition
			for _, pr := range ps {
				if s.FileBand.Classify(pr.Bytes) == c {
					in = append(in, pr)
				}
			}
			switch len(in) {
			case 0:
				continue
			case 1:
				groups = append(groups, lang(in[0].Value)+" "+st.sized(c).Render(metric.BytesSI(in[0].Bytes)+" "+sizeWord(c)))
			default:
				lo, hi := metric.BytesSI(in[len(in)-1].Bytes), metric.BytesSI(in[0].Bytes)
				size := lo
				if lo != hi {
					size = lo + "–" + hi
				}
				groups = append(groups, itoa(len(in))+" "+plural+" "+st.sized(c).Render(size+" "+sizeWord(c)))
			}
		}
		line = joinFit(groups, sep, iw)
	}
	span := "1 day"
	if s.Layout.Span < 24*time.Hour {
		span = "1 hour"
	}
	out := []string{
		st.Label.Render(span + " at " + metric.Rate(s.RatePerHour) + " → per " + noun + ":"),
		line,
	}
	if s.FileBand.Classify(ps[0].Bytes) != sim.AboveBand {
		return out
	}
	advice := st.Bad.Render("big:") + st.Label.Render(" merges split it into ≤1 GB files")
	if s.Layout.Name == store.DayLanguage.Name && s.Relayout == "" {
		// the original's advice for 1B/h (seed README, "Partitioning")
		advice = st.Bad.Render("big:") + st.Label.Render(" p partitions by hour + event type")
		if w := " (the original's advice)"; width(advice)+width(w) <= iw {
			advice += st.Muted.Render(w)
		}
	}
	return append(out, advice)
}
