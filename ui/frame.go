package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// frame draws a pane: a border of exactly w×h cells with the title (and a
// short info text on the right) set into the top edge, a scroll hint set
// into the bottom edge, and lines fitted to the inside. The focused pane
// gets a thick border and a highlighted title, so focus shows without
// colour too.
//
//	╭─ Staging ──────── 93 parts ─╮      ┏━ Staging ━━━━━━━━ 93 parts ━┓
//	│ …                           │      ┃ …                           ┃
//	╰────────────────── 1-9/93 ───╯      ┗━━━━━━━━━━━━━━━━━━ 1-9/93 ━━━┛
func (s *Styles) frame(title, info, hint string, lines []string, w, h int, focused bool) string {
	if w < 2 || h < 2 {
		return blank(w, h)
	}
	tl, tr, bl, br, hz, vt := "╭", "╮", "╰", "╯", "─", "│"
	bs, ts := s.Border, s.Title
	if focused {
		tl, tr, bl, br, hz, vt = "┏", "┓", "┗", "┛", "━", "┃"
		bs, ts = s.BorderFocus, s.TitleFocus
	}
	iw := w - 2

	out := make([]string, 0, h)
	out = append(out, s.edge(tl, tr, hz, title, info, iw, bs, ts))
	side := bs.Render(vt)
	for i := 0; i < h-2; i++ {
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		out = append(out, side+fit(line, iw)+side)
	}
	out = append(out, s.edge(bl, br, hz, "", hint, iw, bs, ts))
	return strings.Join(out, "\n")
}

// edge is a horizontal border line with an optional label on the left
// ("─ Title ") and on the right (" info ─").
func (s *Styles) edge(l, r, hz, left, right string, iw int, bs, ls lipgloss.Style) string {
	var b strings.Builder
	b.WriteString(bs.Render(l))
	used := 0
	if left != "" && iw >= 4 {
		left = trunc(left, iw-3)
		b.WriteString(bs.Render(hz) + " " + ls.Render(left) + " ")
		used = width(left) + 3
	}
	rightTxt := ""
	if right != "" && iw-used >= width(right)+4 {
		rightTxt = " " + s.Info.Render(right) + " " + bs.Render(hz)
		used += width(right) + 3
	}
	if fill := iw - used; fill > 0 {
		b.WriteString(bs.Render(strings.Repeat(hz, fill)))
	}
	b.WriteString(rightTxt)
	b.WriteString(bs.Render(r))
	return b.String()
}

// firstFitting is the first of the texts at most room cells wide (the
// last if none is): a pane's info from the most it can say to the least.
func firstFitting(texts []string, room int) string {
	for _, t := range texts {
		if width(t) <= room {
			return t
		}
	}
	return texts[len(texts)-1]
}

// blank is w×h spaces.
func blank(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	line := strings.Repeat(" ", w)
	lines := make([]string, h)
	for i := range lines {
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}

// window returns the slice of n rows starting at off, clamped, and the
// clamped offset.
func window(total, off, n int) (int, int) {
	if n <= 0 || total <= 0 {
		return 0, 0
	}
	if off > total-n {
		off = total - n
	}
	if off < 0 {
		off = 0
	}
	end := off + n
	if end > total {
		end = total
	}
	return off, end
}

// scrollHint is the bottom-edge text for a scrolled list: "1-9/93".
func scrollHint(off, end, total int) string {
	if total <= end-off || total == 0 {
		return ""
	}
	return itoa(off+1) + "-" + itoa(end) + "/" + itoa(total)
}
