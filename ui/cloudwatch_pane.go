package ui

import (
	tea "charm.land/bubbletea/v2"
)

// cloudwatchPane: the last minute's key metrics, the alarms and what just
// happened (Snapshot.Log, newest first). Wide panes put the log beside the
// metrics and alarms.
type cloudwatchPane struct{ base }

func newCloudWatchPane(sh *shared) *cloudwatchPane {
	return &cloudwatchPane{base{sh: sh}}
}

const twoColumnW = 100

func (p *cloudwatchPane) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		iw, ih := p.inner()
		total := len(p.lines(iw))
		if iw >= twoColumnW {
			total = len(p.logLines(iw - iw*2/5 - 3))
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
	if iw < twoColumnW {
		return p.list("CloudWatch", info, p.lines(iw))
	}
	lw := iw * 2 / 5
	rw := iw - lw - 3
	left := append(p.metricLines(lw), p.alarmLines(lw)...)
	logs := p.logLines(rw)
	off, end := window(len(logs), p.off, ih)
	p.off = off
	logs = logs[off:end]
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
	return st.frame("CloudWatch", info, scrollHint(off, end, len(p.logLines(rw))), lines, p.w, p.h, p.focused)
}

func (p *cloudwatchPane) lines(iw int) []string {
	out := p.metricLines(iw)
	out = append(out, p.alarmLines(iw)...)
	return append(out, p.logLines(iw)...)
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
		st.Strong.Render("minute " + m.Minute.UTC().Format("15:04")),
		kv("put", nomMinute(s, m, m.Put)),
		kv("bytes", nomMinuteBytes(s, m, m.PutBytes)),
		kv("throttled", nomMinute(s, m, m.Throttled)),
		kv("invocations", human(m.Invocations)),
		kv("iterator age", dur(m.IteratorAgeMax)),
		kv("dups in", nomMinute(s, m, m.DuplicatesInjected)),
		kv("ledger", nomMinute(s, m, m.DuplicatesLedger)),
		kv("glue", nomMinute(s, m, m.DuplicatesGlue)),
		kv("dead letters", nomMinute(s, m, m.DeadLettered)),
	}
	return wrapJoin(items, st.Muted.Render(" · "), iw)
}

func (p *cloudwatchPane) alarmLines(iw int) []string {
	s, st := p.snap, &p.sh.st
	if len(s.Alarms) == 0 {
		return []string{st.Muted.Render("no alarms configured")}
	}
	out := make([]string, 0, len(s.Alarms))
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
		out = append(out, trunc(line, iw))
	}
	return out
}

// logLines: newest first, warnings marked.
func (p *cloudwatchPane) logLines(iw int) []string {
	s, st := p.snap, &p.sh.st
	if len(s.Log) == 0 {
		return []string{st.Muted.Render("log is empty")}
	}
	layout := "15:04:05"
	if iw < 50 {
		layout = "15:04"
	}
	out := make([]string, 0, len(s.Log))
	for i := len(s.Log) - 1; i >= 0; i-- {
		l := s.Log[i]
		text := st.LogText.Render(l.Text)
		mark := "  "
		if l.Warn {
			text = st.LogWarn.Render(l.Text)
			mark = st.LogWarn.Render("! ")
		}
		out = append(out, st.Muted.Render(l.At.UTC().Format(layout))+" "+mark+text)
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
