package ui

import (
	"encoding/hex"
	"strings"

	"pipesim/sim"
	"pipesim/sim/metric"

	"charm.land/lipgloss/v2"
)

// tailLines is the tail of events as at most rows lines of iw columns: a
// heading, then the last events the stream's reader handled, newest first,
// each with when, its uuid (to find it in the files), what it was, where
// it came from and what became of it. Columns drop from the least telling
// (uuid, then time, shard, language) until a line fits.
func tailLines(st *Styles, s *sim.Snapshot, iw, rows int) []string {
	if rows <= 0 {
		return nil
	}
	head := "last events, newest first"
	if sampled(s) {
		head += " (sampled 1:" + metric.Human(s.SampleOneIn) + ")"
	}
	out := []string{st.Label.Render(fit(head, iw))}
	if len(s.Tail) == 0 {
		return append(out, st.Muted.Render(fit("no event read yet", iw)))
	}
	type row struct {
		cols [6]string
		fate lipgloss.Style
	}
	const uuidCol, timeCol, shardCol, langCol, nameCol, fateCol = 0, 1, 2, 3, 4, 5
	var rs []row
	var wide [6]int
	for i := len(s.Tail) - 1; i >= 0 && len(rs) < rows-1; i-- {
		ev := s.Tail[i]
		name := ev.Name
		if name == "" {
			name = "(unreadable)"
		}
		fate, style := fateOf(st, ev)
		r := row{[6]string{hex.EncodeToString(ev.UUID[:4]), ev.At.Format("15:04:05"), "shard " + shardNo(ev.Shard), lang(ev.Language), name, fate}, style}
		for c, v := range r.cols {
			wide[c] = max(wide[c], width(v))
		}
		rs = append(rs, r)
	}
	shown := [6]bool{true, true, true, true, true, true}
	total := func() (n int) {
		for c, on := range shown {
			if on {
				n += wide[c] + 1
			}
		}
		return n - 1
	}
	for _, c := range []int{uuidCol, timeCol, shardCol, langCol} {
		if total() <= iw {
			break
		}
		shown[c] = false
	}
	for _, r := range rs {
		var b strings.Builder
		for c := range nameCol {
			if shown[c] {
				b.WriteString(padRight(r.cols[c], wide[c]) + " ")
			}
		}
		left := st.Muted.Render(b.String()) + padRight(r.cols[nameCol], wide[nameCol]) + " "
		out = append(out, fit(left+r.fate.Render(r.cols[fateCol]), iw))
	}
	return out
}

// fateOf says what became of an event, and how loudly: a copy that got
// into staging is a duplicate on its way to the lake.
func fateOf(st *Styles, ev sim.TailEvent) (string, lipgloss.Style) {
	switch {
	case ev.Fate == sim.FateDeadLettered:
		return "DLQ " + string(ev.Reason), st.Bad
	case ev.Fate == sim.FateCaught:
		return "caught", st.Accent
	case ev.Copy:
		return string(ev.Fate) + ", a copy", st.Warn
	case ev.Fate == sim.FateStaged:
		return "staged", st.OK
	case ev.Fate == sim.FateUnchecked:
		return "unchecked", st.Warn
	}
	return string(ev.Fate), st.Muted
}
