package ui

import (
	"time"

	"pipesim/sim"
	"pipesim/sim/metric"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// pane is what the root model asks of each pane. Panes render exactly
// w×h cells (border included) and never see keys unless focused.
type pane interface {
	SetSize(w, h int)
	SetFocused(bool)
	SetSnapshot(*sim.Snapshot)
	Update(tea.Msg) tea.Cmd
	View() string
}

// shared is what every pane reads: the current styles and key map. The root
// model owns it and rebuilds the styles when the background is reported.
type shared struct {
	st     Styles
	keys   KeyMap
	events bool // the Staging pane shows the last events only (the w key)
}

// base holds what most panes have in common: size, focus, the snapshot and
// a scroll offset over a list of lines.
type base struct {
	sh      *shared
	w, h    int
	focused bool
	snap    *sim.Snapshot
	off     int
}

// listPane is a pane whose body is a list of lines that keys scroll.
type listPane struct {
	base
	body func() []string
}

func (p *listPane) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		p.scrollKey(k, len(p.body()), p.h-2)
	}
	return nil
}

func (b *base) SetSize(w, h int)            { b.w, b.h = w, h }
func (b *base) SetFocused(f bool)           { b.focused = f }
func (b *base) SetSnapshot(s *sim.Snapshot) { b.snap = s }

// inner is the size inside the border.
func (b *base) inner() (int, int) { return max(b.w-2, 0), max(b.h-2, 0) }

// scrollKey moves the offset of a list of total lines shown rows at a time.
// It reports whether the key was a scroll key.
func (b *base) scrollKey(msg tea.KeyPressMsg, total, rows int) bool {
	k := b.sh.keys
	switch {
	case key.Matches(msg, k.Up):
		b.off--
	case key.Matches(msg, k.Down):
		b.off++
	case key.Matches(msg, k.PageUp):
		b.off -= max(rows-1, 1)
	case key.Matches(msg, k.PageDown):
		b.off += max(rows-1, 1)
	case key.Matches(msg, k.Top):
		b.off = 0
	case key.Matches(msg, k.Bottom):
		b.off = total
	default:
		return false
	}
	b.off, _ = window(total, b.off, rows)
	return true
}

// list frames a list of lines scrolled to the pane's offset.
func (b *base) list(title, info string, lines []string) string {
	_, ih := b.inner()
	off, end := window(len(lines), b.off, ih)
	b.off = off
	return b.sh.st.frame(title, info, scrollHint(off, end, len(lines)), lines[off:end], b.w, b.h, b.focused)
}

// waiting is the body of a pane before the first snapshot.
func (b *base) waiting(title string) string {
	return b.sh.st.frame(title, "", "", []string{b.sh.st.Muted.Render("waiting for the engine…")}, b.w, b.h, b.focused)
}

// ---- sampling: scaled figures are marked with "~" ----

// sampled: one materialised event stands for more than one now.
func sampled(s *sim.Snapshot) bool { return s != nil && s.SampleOneIn > 1 }

// completeMinutes drops the minute still being filled (if the engine
// publishes it), so the newest bar of each chart is a whole minute.
func completeMinutes(s *sim.Snapshot) []metric.Minute {
	ms := s.Minutes
	if n := len(ms); n > 0 && !s.Done && s.SimTime.Before(ms[n-1].Start.Add(time.Minute)) {
		ms = ms[:n-1]
	}
	return ms
}

// approx formats a count already at the nominal volume, "~" when sampled.
func approx(n int64, sampled bool) string {
	if sampled {
		return "~" + metric.Human(n)
	}
	return metric.Human(n)
}
