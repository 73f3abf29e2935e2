package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"pipesim/sim"
	"pipesim/sim/metric"
)

func TestBigFont(t *testing.T) {
	var b strings.Builder
	for _, scale := range []int{1, 2} {
		rows, ok := bigRows("0123456789.,-", scale)
		if !ok {
			t.Fatal("the font lacks one of its own glyphs")
		}
		for _, r := range rows {
			b.WriteString(r + "\n")
		}
	}
	golden(t, "bigfont.golden", b.String())
	if _, ok := bigRows("12k", 1); ok {
		t.Error("bigRows drew a letter the font does not have")
	}
}

func TestPresenterViewGolden(t *testing.T) {
	m, _ := newTestModel(t, fakeSnapshot(), 80, 24)
	press(m, "z")
	v := screen(m)
	checkSize(t, v, 80, 24)
	golden(t, "present_80x24.golden", v)
	press(m, "z")
	if !strings.Contains(screen(m), "Throughput") {
		t.Errorf("z again: the panes should be back:\n%s", screen(m))
	}
}

// A key's figure is highlighted, says what it was for a while, and the
// status line keeps the action and its effect, before → after.
func TestPresenterShowsWhatAKeyChanged(t *testing.T) {
	before := sampledSnapshot()
	m, src := newTestModel(t, before, 160, 48)
	press(m, "z", "s")
	if len(src.sent) != 1 || src.sent[0].Kind != sim.CmdShardsUp {
		t.Fatalf("s sent %v", src.sent)
	}
	after := *before
	after.Shards = 128
	after.Minutes = slices.Clone(before.Minutes)
	last := &after.Minutes[len(after.Minutes)-2] // the last whole minute
	c := last.Counts
	c[metric.Throttled] = 0
	last.Tally = tally(c, 40)
	src.set(&after)
	tick(m, time.Second)

	v := screen(m)
	throttledBefore := "~" + metric.Human(before.Minutes[len(before.Minutes)-2].Nominal[metric.Throttled]) + "/min"
	for _, want := range []string{"┏━ throttled", "was " + throttledBefore,
		"s → shards → 128 · throttled " + throttledBefore + " → ~0/min"} {
		if !strings.Contains(v, want) {
			t.Errorf("after s the presenter's view lacks %q:\n%s", want, v)
		}
	}
	golden(t, "present_sampled_160x48.golden", v)

	tick(m, changeShows)
	v = screen(m)
	if strings.Contains(v, "was "+throttledBefore) {
		t.Errorf("the change still shows %v after the key:\n%s", changeShows, v)
	}
	if !strings.Contains(v, "s → shards → 128 · throttled "+throttledBefore+" → ~0/min") {
		t.Errorf("the last action left the status line:\n%s", v)
	}
}
