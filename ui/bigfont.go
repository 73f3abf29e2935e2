package ui

import "strings"

// bigGlyphs is a 3×5 pixel font for the figures of the presenter's view:
// digits and what separates them. Each string is a pixel row, '#' on.
var bigGlyphs = map[rune][5]string{
	'0': {"###", "#.#", "#.#", "#.#", "###"},
	'1': {".#.", "##.", ".#.", ".#.", "###"},
	'2': {"###", "..#", "###", "#..", "###"},
	'3': {"###", "..#", "###", "..#", "###"},
	'4': {"#.#", "#.#", "###", "..#", "..#"},
	'5': {"###", "#..", "###", "..#", "###"},
	'6': {"###", "#..", "###", "#.#", "###"},
	'7': {"###", "..#", "..#", "..#", "..#"},
	'8': {"###", "#.#", "###", "#.#", "###"},
	'9': {"###", "#.#", "###", "..#", "###"},
	'.': {".", ".", ".", ".", "#"},
	',': {".", ".", ".", "#", "#"},
	'-': {"...", "...", "###", "...", "..."},
	' ': {".", ".", ".", ".", "."},
}

// bigRows draws s in the pixel font: scale 1 packs two pixel rows into a
// text row with half blocks (3 rows), scale 2 gives each pixel two columns
// of a full row (5 rows). ok is false if s has a rune the font lacks.
func bigRows(s string, scale int) (rows []string, ok bool) {
	var px [5]strings.Builder
	for i, r := range s {
		g, found := bigGlyphs[r]
		if !found {
			return nil, false
		}
		for y := range px {
			if i > 0 {
				px[y].WriteByte('.') // a pixel between glyphs
			}
			px[y].WriteString(g[y])
		}
	}
	if scale == 2 {
		for y := range px {
			rows = append(rows, strings.NewReplacer("#", "██", ".", "  ").Replace(px[y].String()))
		}
		return rows, true
	}
	for y := 0; y < 5; y += 2 {
		top, bottom := px[y].String(), strings.Repeat(".", px[y].Len())
		if y+1 < 5 {
			bottom = px[y+1].String()
		}
		var b strings.Builder
		for x := range top {
			switch {
			case top[x] == '#' && bottom[x] == '#':
				b.WriteString("█")
			case top[x] == '#':
				b.WriteString("▀")
			case bottom[x] == '#':
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
		rows = append(rows, b.String())
	}
	return rows, true
}
