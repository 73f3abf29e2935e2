package ui

import (
	"fmt"
	"math"
	"pipesim/sim/metric"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// Number and text formatting shared by every pane. Everything here is pure
// and deterministic: the goldens depend on it.

// dur formats a duration shortly: 0s, 850ms, 1.2s, 45s, 3m04s, 2h05m, 1d02h.
func dur(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d == 0:
		return "0s"
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
	case d < 10*time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s"
	case d < time.Hour:
		m := int(d / time.Minute)
		s := int((d % time.Minute) / time.Second)
		if s == 0 {
			return fmt.Sprintf("%dm", m)
		}
		return fmt.Sprintf("%dm%02ds", m, s)
	case d < 48*time.Hour:
		h := int(d / time.Hour)
		m := int((d % time.Hour) / time.Minute)
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%02dm", h, m)
	}
	days := int(d / (24 * time.Hour))
	h := int((d % (24 * time.Hour)) / time.Hour)
	if h == 0 {
		return fmt.Sprintf("%dd", days)
	}
	return fmt.Sprintf("%dd%02dh", days, h)
}

// perSecond is a rate with its fraction while it is small: 0.28, 3.5, 281, 12.4k.
func perSecond(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2-min(1, int(math.Floor(math.Log10(v)))+1), 64)
	}
	return metric.Human(int64(math.Round(v)))
}

// pct formats a share (1 = 100%): 0%, 0.4%, 2.0%, 28%, 140%.
func pct(f float64) string {
	v := f * 100
	switch {
	case v == 0 || math.IsNaN(v):
		return "0%"
	case v > 0 && v < 0.05: // never round a few up to none
		return "<0.1%"
	case v < 10:
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	case v > 99 && v < 100: // never round 99.6% up to 100%
		return strconv.FormatFloat(math.Min(math.Floor(v*10)/10, 99.9), 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + "%"
}

// speed formats the requested speed of the simulated clock.
func speed(v float64) string {
	if v <= 0 {
		return "max"
	}
	return "×" + compactF(v)
}

// compactF is compact for a float: 1, 0.5, 598, 3.6k, 12.3k.
func compactF(v float64) string {
	switch {
	case v >= 1000:
		return metric.Human(int64(math.Round(v)))
	case v >= 10:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(v, 'f', 1, 64), "0"), ".")
}

// ratio formats a compression ratio: 16.5×, 120×.
func ratio(a, b int64) string {
	if b <= 0 || a <= 0 {
		return "–"
	}
	return metric.Scaled(float64(a)/float64(b)) + "×"
}

// metricValue formats an alarm value or threshold of any magnitude.
func metricValue(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1000:
		return metric.Human(int64(math.Round(v)))
	case a == math.Trunc(a):
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// lang shortens a language partition value for display: lang_en → en,
// not_applicable → n/a.
func lang(id string) string {
	switch {
	case id == "not_applicable":
		return "n/a"
	case strings.HasPrefix(id, "lang_"):
		return strings.TrimPrefix(id, "lang_")
	}
	return id
}

// ---- width-aware string helpers (ANSI-safe) ----

func width(s string) int { return ansi.StringWidth(s) }

// fit truncates s to w cells (with an ellipsis) and pads it to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := width(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = width(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// keepTail is prefix+s, cut in the middle of s when wider than w: an
// error's end says what went wrong, its start where.
func keepTail(prefix, s string, w int) string {
	room := w - width(prefix)
	if width(s) <= room || room < 10 {
		return prefix + s
	}
	head := room / 3
	return prefix + ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, width(s)-(room-head-1), "")
}

// trunc truncates s to at most w cells without padding.
func trunc(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// truncWords shortens plain text to at most w cells at a word boundary,
// marking the cut with an ellipsis; a word is cut only when the first one
// alone is too long.
func truncWords(s string, w int) string {
	if width(s) <= w {
		return s
	}
	if w <= 1 {
		return trunc(s, w)
	}
	cut := ansi.Truncate(s, w-1, "")
	if i := strings.LastIndexByte(cut, ' '); i > 0 && s[len(cut)] != ' ' {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:·") + "…"
}

// wrapWords wraps plain text into lines of at most w cells, breaking
// between words (a word longer than a line is cut).
func wrapWords(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	var out []string
	cur := ""
	for _, word := range strings.Fields(s) {
		for width(word) > w {
			if cur != "" {
				out, cur = append(out, cur), ""
			}
			head := ansi.Truncate(word, w, "")
			if head == "" { // a character wider than the line
				break
			}
			out, word = append(out, head), word[len(head):]
		}
		switch {
		case cur == "":
			cur = word
		case width(cur)+1+width(word) <= w:
			cur += " " + word
		default:
			out, cur = append(out, cur), word
		}
	}
	if cur != "" || len(out) == 0 {
		out = append(out, cur)
	}
	return out
}

// padLeft right-aligns s in w cells (never truncates).
func padLeft(s string, w int) string {
	if d := w - width(s); d > 0 {
		return strings.Repeat(" ", d) + s
	}
	return s
}

// padRight left-aligns s in w cells (never truncates).
func padRight(s string, w int) string {
	if d := w - width(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}

// spread puts left and right on one line of exactly w cells, right
// flush right; when they do not both fit, right goes first.
func spread(left, right string, w int) string {
	lw, rw := width(left), width(right)
	if lw+1+rw <= w {
		return left + strings.Repeat(" ", w-lw-rw) + right
	}
	if rw+1 < w {
		return fit(left, w-rw-1) + " " + right
	}
	return fit(left, w)
}

// joinFit joins parts with sep, dropping parts from the end that do not fit in w.
func joinFit(parts []string, sep string, w int) string {
	out := ""
	for i, p := range parts {
		cand := p
		if i > 0 {
			cand = out + sep + p
		}
		if width(cand) > w {
			if i == 0 {
				return trunc(p, w)
			}
			break
		}
		out = cand
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
