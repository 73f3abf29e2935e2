package ui

import (
	"math"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// contrast is the WCAG 2 contrast ratio of two #RRGGBB colours.
func contrast(t *testing.T, a, b string) float64 {
	lum := func(hex string) float64 {
		v, err := strconv.ParseUint(hex[1:], 16, 32)
		if err != nil || len(hex) != 7 {
			t.Fatalf("%q is not #RRGGBB", hex)
		}
		var l float64
		for i, w := range []float64{0.2126, 0.7152, 0.0722} {
			c := float64(v>>(16-8*i)&0xff) / 255
			if c <= 0.04045 {
				c /= 12.92
			} else {
				c = math.Pow((c+0.055)/1.055, 2.4)
			}
			l += w * c
		}
		return l
	}
	x, y := lum(a), lum(b)
	return (max(x, y) + 0.05) / (min(x, y) + 0.05)
}

// The high-contrast palettes have no colour below WCAG AA (4.5:1) against
// the background they are for, text on the header bar and on red and green
// banners included; state is also carried by words and symbols (✓, ⚠,
// FULL, ok/small/big), which other tests check.
func TestHighContrastIsReadable(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    palette
		bg   string
	}{{"on black", contrastDark, "#000000"}, {"on white", contrastLight, "#FFFFFF"}} {
		p := tc.p
		for name, fg := range map[string]string{
			"accent": p.accent, "green": p.green, "yellow": p.yellow, "red": p.red, "muted": p.muted, "lines": p.dimLine,
			"title": p.title, "spark put": p.sparkPut, "spark lambda": p.sparkLambda, "spark bytes": p.sparkBytes,
			"spark dups": p.sparkDup, "help key": p.helpKey, "help text": p.helpDesc, "help separator": p.helpSep,
		} {
			if r := contrast(t, fg, tc.bg); r < 4.5 {
				t.Errorf("%s: %s %s is %.1f:1", tc.name, name, fg, r)
			}
		}
		for name, pair := range map[string][2]string{"header": {p.hdrFg, p.hdrBg}, "on red": {p.onRed, p.red}, "on green": {p.onGreen, p.green}} {
			if r := contrast(t, pair[0], pair[1]); r < 4.5 {
				t.Errorf("%s: %s is %.1f:1", tc.name, name, r)
			}
		}
	}
	// the dark palette's labels and help, once too dim for a projector
	if r := contrast(t, darkPalette.muted, "#000000"); r < 4.5 {
		t.Errorf("dark labels %s are %.1f:1 on black", darkPalette.muted, r)
	}
	if r := contrast(t, darkPalette.helpDesc, "#000000"); r < 4.5 {
		t.Errorf("dark help %s is %.1f:1 on black", darkPalette.helpDesc, r)
	}
}

// v cycles the themes live, saying which; each theme's screen, colours and
// all, is a golden file.
func TestThemes(t *testing.T) {
	m, _ := newTestModel(t, fakeSnapshot(), 80, 24)
	for _, want := range []string{"dark", "light", "high-contrast", "auto"} {
		press(m, "v")
		if m.sh.st.Theme != want || !strings.Contains(screen(m), "» theme "+want) {
			t.Errorf("v: theme %q, want %q", m.sh.st.Theme, want)
		}
	}
	for _, theme := range Themes {
		src := &fakeSource{snap: fakeSnapshot()}
		m := New(src, Options{Theme: theme})
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		m.Update(tickMsg(t0))
		golden(t, "theme_"+theme+"_80x24.golden", m.View().Content)
	}
}
