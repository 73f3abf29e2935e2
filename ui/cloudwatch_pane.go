package ui

import (
	"pipesim/sim/metric"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// cloudwatchPane: the last minute's key metrics, the alarms and what just
// happened (Snapshot.Log, newest first). Wide panes put the log beside the
// metrics and alarms.
type cloudwatchPane struct{ base }

func newCloudWatchPane(sh *shared) *cloudwatchPane {
	return &cloudwatchPane{base{sh: sh}}
}

// twoColumnW is the inner width from which the log goes beside the
// metrics and alarms, if they fit the height.
const twoColumnW = 100

// columns splits the inside into the metrics-and-alarms column and the log
// column, or reports that one scrolling list suits better: too narrow, or
// too short to show every metric and alarm beside the log.
func (p *cloudwatchPane) columns(iw, ih int) (left []string, lw, rw int, ok bool) {
	if iw < twoColumnW {
		return nil, 0, 0, false
	}
	// what each fault does goes under it where the height allows
	for _, try := range []struct {
		lw       int
		detailed bool
	}{{iw * 2 / 5, true}, {iw / 2, true}, {iw * 2 / 5, false}, {iw / 2, false}} { // wider wraps the metrics into fewer lines
		lw := try.lw
		left = p.leftLines(lw, try.detailed)
		if len(left) <= ih {
			if len(left) < ih && len(activeFaults(p.snap)) == 0 {
				left = append(left, p.faultLines(lw, false)...) // "no fault", where there is room
			}
			lw = 0 // as wide as the widest line: the rest is the log's
			for _, l := range left {
				lw = max(lw, width(l))
			}
			return left, lw, iw - lw - 3, true
		}
	}
	return nil, 0, 0, false
}

func (p *cloudwatchPane) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && p.snap != nil {
		iw, ih := p.inner()
		total := len(p.lines(iw))
		if _, _, rw, two := p.columns(iw, ih); two {
			total = len(p.logLines(rw))
		}
		p.scrollKey(k, total, ih)
	}
	return nil
}

func (p *cloudwatchPane) View() string {
	if p.snap == nil {
		return p.waiting("CloudWatch")
	}
	st := &p.sh.st
	iw, ih := p.inner()
	firing := 0
	for _, a := range p.snap.Alarms {
		if a.Firing {
			firing++
		}
	}
	info := itoa(len(p.snap.Alarms)) + " alarms · " + itoa(firing) + " firing"
	left, lw, rw, two := p.columns(iw, ih)
	if !two {
		return p.list("CloudWatch", info, p.lines(iw))
	}
	all := p.logLines(rw)
	off, end := window(len(all), p.off, ih)
	p.off = off
	logs := all[off:end]
	sep := st.Border.Render(" │ ")
	lines := make([]string, ih)
	for i := range lines {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(logs) {
			r = logs[i]
		}
		lines[i] = fit(l, lw) + sep + fit(r, rw)
	}
	return st.frame("CloudWatch", info, scrollHint(off, end, len(all)), lines, p.w, p.h, p.focused)
}

func (p *cloudwatchPane) lines(iw int) []string {
	_, ih := p.inner()
	out := p.leftLines(iw, true)
	if len(out) > ih {
		out = p.leftLines(iw, false) // the faults a line each, so that what follows them shows
	}
	if len(activeFaults(p.snap)) == 0 {
		out = append(out, p.faultLines(iw, false)...)
	}
	return append(out, p.logLines(iw)...)
}

// leftLines are the firing alarms (first: no banner may hide one), the
// faults in force, the last minute's metrics and the other alarms.
func (p *cloudwatchPane) leftLines(iw int, detailed bool) []string {
	firing, quiet := p.alarmLines(iw)
	out := append(p.metricLines(iw), quiet...)
	if len(activeFaults(p.snap)) > 0 {
		out = append(p.faultLines(iw, detailed), out...)
	}
	return append(firing, out...)
}

// faultLines: each fault in force, the key that ends it and (detailed)
// what it does, wrapped under it; or a line saying none is, and the keys
// that cause them (shown last, and beside the log only where there is room).
func (p *cloudwatchPane) faultLines(iw int, detailed bool) []string {
	s, st := p.snap, &p.sh.st
	act := activeFaults(s)
	if len(act) == 0 {
		return []string{st.Muted.Render(trunc("no fault injected · L ledger · X Lambda · M malformed · T late", iw))}
	}
	out := make([]string, 0, 2*len(act))
	for _, a := range act {
		head := "⚡ FAULT " + a.label()
		if u := a.until(); u != "" {
			head += " " + u
		}
		line := st.Bad.Render(head) + st.Muted.Render(" ("+a.key+")")
		if full := line + " " + st.Muted.Render(a.effect); !detailed && width(full) <= iw {
			line = full
		}
		out = append(out, trunc(line, iw))
		if detailed {
			for _, l := range wrapWords(a.effect, iw-2) {
				out = append(out, "  "+st.Muted.Render(l))
			}
		}
	}
	return out
}

// metricLines: the last complete minute, wrapped to the width.
func (p *cloudwatchPane) metricLines(iw int) []string {
	s, st := p.snap, &p.sh.st
	ms := completeMinutes(s)
	if len(ms) == 0 {
		return []string{st.Muted.Render("no complete minute yet")}
	}
	m := ms[len(ms)-1]
	kv := func(k, v string) string { return st.Label.Render(k+" ") + v }
	items := []string{
		st.Strong.Render("minute " + m.Start.UTC().Format("15:04")),
		kv("put", minuteCount(m, metric.Sent)),
		kv("bytes", minuteBytes(m, metric.SentBytes)),
		kv("throttled", minuteCount(m, metric.Throttled)),
		kv("invocations", minuteCount(m, metric.LambdaInvocations)),
		kv("iterator age", dur(m.IteratorAgeMax)),
		kv("dups in", minuteCount(m, metric.DuplicatesInjected)),
		kv("ledger", minuteCount(m, metric.DuplicatesDroppedLambda)),
		kv("glue", minuteCount(m, metric.DuplicatesDroppedGlue)),
		kv("dead letters", minuteCount(m, metric.DeadLettered)),
	}
	return wrapJoin(items, st.Muted.Render(" · "), iw)
}

// alarmLines: the firing alarms, and the others.
func (p *cloudwatchPane) alarmLines(iw int) (firing, quiet []string) {
	s, st := p.snap, &p.sh.st
	if len(s.Alarms) == 0 {
		return nil, []string{st.Muted.Render("no alarms configured")}
	}
	for _, a := range s.Alarms {
		state := st.OK.Render("● OK   ")
		if a.Firing {
			state = st.Bad.Render("▲ ALARM")
		}
		value := " " + metricValue(a.Value) + st.Muted.Render(" / "+metricValue(a.Threshold))
		if a.Firing && !a.Since.IsZero() {
			value += st.Muted.Render(" since " + a.Since.UTC().Format("15:04"))
		}
		line := state + " " + st.Strong.Render(a.Name) + value
		if withMetric := state + " " + st.Strong.Render(a.Name) + st.Muted.Render(" "+a.Metric) + value; width(withMetric) <= iw {
			line = withMetric
		}
		if a.Firing {
			firing = append(firing, trunc(line, iw))
		} else {
			quiet = append(quiet, trunc(line, iw))
		}
	}
	return firing, quiet
}

// logLines: newest first, warnings marked, each entry wrapped under its
// text rather than cut.
func (p *cloudwatchPane) logLines(iw int) []string {
	s, st := p.snap, &p.sh.st
	if len(s.Log) == 0 {
		return []string{st.Muted.Render("log is empty")}
	}
	layout := "15:04:05"
	if iw < 50 {
		layout = "15:04"
	}
	indent := strings.Repeat(" ", len(layout)+3) // time, space, mark
	out := make([]string, 0, len(s.Log))
	for i := len(s.Log) - 1; i >= 0; i-- {
		l := s.Log[i]
		style, mark := st.LogText, "  "
		if l.Warn {
			style, mark = st.LogWarn, st.LogWarn.Render("! ")
		}
		for j, part := range wrapWords(l.Text, iw-len(indent)) {
			lead := indent
			if j == 0 {
				lead = st.Muted.Render(l.At.UTC().Format(layout)) + " " + mark
			}
			out = append(out, lead+style.Render(part))
		}
	}
	return out
}

// wrapJoin joins items with sep into as many lines of width w as needed.
func wrapJoin(items []string, sep string, w int) []string {
	var out []string
	cur := ""
	for _, it := range items {
		if cur == "" {
			cur = it
			continue
		}
		if width(cur)+width(sep)+width(it) <= w {
			cur += sep + it
			continue
		}
		out = append(out, cur)
		cur = it
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}
