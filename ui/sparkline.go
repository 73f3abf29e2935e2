package ui

import (
	"math"
	"strings"
)

// Block-rune charts. They render the same everywhere (no braille, no
// terminal graphics) and take plain numbers, so tests can check them.

var sparkRunes = []rune("▁▂▃▄▅▆▇█")

// sparkline draws the last width values, newest at the right, each scaled
// against the largest shown. Zero is drawn as a dot so that an all-zero
// series ("nothing throttled") still reads as a line; missing history is
// blank on the left.
func sparkline(vals []float64, width int) string {
	return sparklineFloor(vals, width, 0)
}

// sparklineFloor is sparkline with a smallest full scale, so that a steady
// small share (2% duplicates) draws low instead of filling the cells.
func sparklineFloor(vals []float64, width int, floor float64) string {
	if width <= 0 {
		return ""
	}
	if len(vals) > width {
		vals = vals[len(vals)-width:]
	}
	max := floor
	for _, v := range vals {
		if v > max {
			max = v
		}
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", width-len(vals)))
	for _, v := range vals {
		switch {
		case v <= 0 || max <= 0 || math.IsNaN(v):
			b.WriteRune('·')
		default:
			i := int(math.Ceil(v/max*float64(len(sparkRunes)))) - 1
			b.WriteRune(sparkRunes[clamp(i, 0, len(sparkRunes)-1)])
		}
	}
	return b.String()
}

var eighths = []rune("▏▎▍▌▋▊▉")

// hbar draws a horizontal bar of frac (0..1) over width cells with
// eighth-cell resolution and returns the filled part and the number of
// cells it takes, so callers can style the rest.
func hbar(frac float64, width int) (string, int) {
	if width <= 0 {
		return "", 0
	}
	if math.IsNaN(frac) || frac < 0 {
		frac = 0
	}
	if frac > 1 {
		frac = 1
	}
	units := int(math.Round(frac * float64(width*8)))
	full, part := units/8, units%8
	s := strings.Repeat("█", full)
	cells := full
	if part > 0 && full < width {
		s += string(eighths[part-1])
		cells++
	}
	return s, cells
}

// strip draws one vertical block per value (shares, 1 = full) in width
// cells; when there are more values than cells, each cell shows the largest
// of its group so an overloaded shard is never averaged away.
func strip(vals []float64, width int) []float64 {
	if width <= 0 || len(vals) == 0 {
		return nil
	}
	if len(vals) <= width {
		return vals
	}
	out := make([]float64, width)
	for i := range out {
		lo := i * len(vals) / width
		hi := (i + 1) * len(vals) / width
		for _, v := range vals[lo:hi] {
			if v > out[i] {
				out[i] = v
			}
		}
	}
	return out
}

// level is the block rune for a share (0..1); zero is a dot.
func level(v float64) rune {
	if v <= 0 || math.IsNaN(v) {
		return '·'
	}
	i := int(math.Ceil(v*float64(len(sparkRunes)))) - 1
	return sparkRunes[clamp(i, 0, len(sparkRunes)-1)]
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
