package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"pipesim/sim"
	"pipesim/sim/metric"

	"github.com/charmbracelet/x/ansi"
)

// withFaults lists every fault kind as the engine does, those in active
// in force with their detail ("0.5%", "until 00:40", or "").
func withFaults(s *sim.Snapshot, active map[sim.FaultKind]string) *sim.Snapshot {
	s.Faults = nil
	for _, k := range sim.FaultSpecs {
		d, on := active[k.Kind]
		if !on && k.Shape == sim.Share {
			d = "0.0%" // as the engine reports a share that is off
		}
		s.Faults = append(s.Faults, sim.FaultState{Kind: k.Kind, Active: on, Detail: d})
	}
	return s
}

// The dashboard switches exactly the kinds the engine declares switchable,
// each with a key of its own.
func TestToggleFaultsAreTheSwitchableKinds(t *testing.T) {
	var want []sim.FaultKind
	for _, k := range sim.FaultSpecs {
		if k.Switchable {
			want = append(want, k.Kind)
		}
	}
	var got []sim.FaultKind
	keys := map[string]bool{}
	for _, f := range toggleFaults {
		got = append(got, f.kind)
		if keys[f.key] {
			t.Errorf("key %s is used twice", f.key)
		}
		keys[f.key] = true
	}
	if !slices.Equal(got, want) {
		t.Errorf("toggleFaults has %v, want the switchable kinds %v", got, want)
	}
}

// L X M T each send their toggle, say so at once, confirm once the
// snapshot shows the fault in force, badge the header, and undo it all on
// a second press.
func TestFaultKeys(t *testing.T) {
	for _, tc := range []struct {
		key          string
		kind         sim.FaultKind
		detail       string
		asked, done  string
		badge        string
		undo, undone string
	}{
		{"L", "ledger-down", "", "fault L: ledger down requested",
			"✓ ledger down: Lambda retries, iterator age climbs", "⚡ ledger down",
			"fault L: ledger back up requested", "✓ ledger back up: Lambda retries drain the backlog"},
		{"X", "lambda-down", "", "fault X: Lambda's event-source mapping stopped requested",
			"✓ λ stopped: records wait; past retention they expire", "⚡ λ stopped",
			"fault X: Lambda running again requested", "✓ Lambda running again"},
		{"M", "malformed", "0.5%", "fault M: 0.5% malformed records requested",
			"✓ 0.5% malformed records: dead-lettered", "⚡ 0.5% malformed",
			"fault M: malformed records off requested", "✓ malformed records stopped"},
		{"P", "poison", "0.001%", "fault P: 0.001% poison records requested",
			"✓ 0.001% poison records: the function throws", "⚡ 0.001% poison",
			"fault P: poison records off requested", "✓ poison records stopped"},
		{"T", "late", "1.0%", "fault T: 1% late events requested",
			"✓ 1% late events: filed under the hour", "⚡ 1% late",
			"fault T: late events off requested", "✓ late events stopped"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			m, src := newTestModel(t, withFaults(fakeSnapshot(), nil), 80, 24)
			if h := screenLines(m)[0]; strings.Contains(h, "⚡") {
				t.Fatalf("badge without a fault: %q", h)
			}
			press(m, tc.key)
			want := sim.Command{Kind: sim.CmdToggleFault, Fault: tc.kind}
			if sent := src.commands(); len(sent) != 1 || sent[0] != want {
				t.Fatalf("%s sent %+v, want %+v", tc.key, sent, want)
			}
			if st := status(m); !strings.Contains(st, tc.asked) {
				t.Fatalf("%s: status %q, want %q", tc.key, st, tc.asked)
			}
			tick(m, 100*time.Millisecond) // no change yet: no confirmation
			if st := status(m); strings.Contains(st, "✓") {
				t.Fatalf("%s confirmed before the engine answered: %q", tc.key, st)
			}

			on := withFaults(fakeSnapshot(), map[sim.FaultKind]string{tc.kind: tc.detail})
			src.set(on)
			tick(m, 100*time.Millisecond)
			if st := status(m); !strings.Contains(st, tc.done) {
				t.Fatalf("%s after the engine answered: status %q, want %q", tc.key, st, tc.done)
			}
			if h := screenLines(m)[0]; !strings.Contains(h, tc.badge) || width(h) != 80 {
				t.Errorf("%s: header at 80 lacks %q: %q", tc.key, tc.badge, h)
			}
			// the badge is red, not only text
			if raw := strings.Split(m.View().Content, "\n")[0]; !strings.Contains(raw, "255;95;135") {
				t.Errorf("%s: badge not coloured: %q", tc.key, raw)
			}
			tick(m, 3*time.Second) // the toast goes, the badge stays
			if h := screenLines(m)[0]; !strings.Contains(h, tc.badge) || strings.Contains(status(m), tc.done) {
				t.Errorf("%s after 3 s: header %q, status %q", tc.key, h, status(m))
			}

			press(m, tc.key)
			if sent := src.commands(); len(sent) != 2 || sent[1] != want {
				t.Fatalf("%s again sent %+v", tc.key, sent)
			}
			if st := status(m); !strings.Contains(st, tc.undo) {
				t.Fatalf("%s again: status %q, want %q", tc.key, st, tc.undo)
			}
			src.set(withFaults(fakeSnapshot(), nil))
			tick(m, 100*time.Millisecond)
			if st := status(m); !strings.Contains(st, tc.undone) {
				t.Fatalf("%s again after the engine answered: status %q, want %q", tc.key, st, tc.undone)
			}
			if h := screenLines(m)[0]; strings.Contains(h, "⚡") {
				t.Errorf("%s: badge stays after the fault ended: %q", tc.key, h)
			}
		})
	}
}

// A --fault window keeps its fault on; the toast says why nothing changes,
// and a share on top of a --fault share confirms the new total.
func TestFaultKeysOverHeadlessFaults(t *testing.T) {
	s := withFaults(fakeSnapshot(), map[sim.FaultKind]string{"ledger-down": "until 00:40", "malformed": "2.0%"})
	m, src := newTestModel(t, s, 160, 48)
	if h := screenLines(m)[0]; !strings.Contains(h, "⚡ ledger down · 2% malformed") {
		t.Errorf("160 columns, two faults: %q", h)
	}
	press(m, "L")
	if st := status(m); !strings.Contains(st, "fault L: ledger back up requested (a --fault window holds it until 00:40)") {
		t.Errorf("L during a --fault window: %q", st)
	}
	press(m, "M")
	next := withFaults(fakeSnapshot(), map[sim.FaultKind]string{"ledger-down": "until 00:40", "malformed": "2.5%"})
	src.set(next)
	tick(m, 100*time.Millisecond)
	if st := status(m); !strings.Contains(st, "✓ malformed → 2.5%") {
		t.Errorf("M over malformed=2%%: %q", st)
	}
}

// crash and glue-crash are headless only: no key, no badge.
func TestCrashFaultsHaveNoKeyOrBadge(t *testing.T) {
	s := withFaults(fakeSnapshot(), map[sim.FaultKind]string{"crash": "", "glue-crash": ""})
	m, _ := newTestModel(t, s, 160, 48)
	press(m, "?")
	v := screen(m)
	if strings.Contains(v, "⚡") || strings.Contains(strings.ToLower(v), "crash") {
		t.Errorf("a crash fault shows:\n%s", v)
	}
	for _, want := range []string{"fault: ledger down", "fault: λ stopped", "fault: 0.5% malformed", "fault: 1% late"} {
		if !strings.Contains(v, want) {
			t.Errorf("full help lacks %q", want)
		}
	}
}

// With every fault on, each screen size says so in the header; the
// CloudWatch pane spells them out when there is room; the throughput pane
// shows the grown iterator age in red with a marker.
func TestFaultsOnScreen(t *testing.T) {
	all := func() *sim.Snapshot {
		s := withFaults(fakeSnapshot(), map[sim.FaultKind]string{
			"ledger-down": "until 00:40", "lambda-down": "", "malformed": "0.5%", "late": "1.0%"})
		s.Lambda.IteratorAge = 7*time.Minute + 30*time.Second
		return s
	}
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {120, 40}, {160, 48}, {200, 60}} {
		m, _ := newTestModel(t, all(), sz[0], sz[1])
		v := screen(m)
		checkSize(t, v, sz[0], sz[1])
		if h := screenLines(m)[0]; !strings.Contains(h, "⚡ ") {
			t.Errorf("%v: no fault badge: %q", sz, h)
		}
		if !strings.Contains(v, "⚠ age 7m30s") {
			t.Errorf("%v: iterator age not marked:\n%s", sz, v)
		}
	}
	m, _ := newTestModel(t, all(), 80, 24)
	if h := screenLines(m)[0]; !strings.Contains(h, "⚡ ledger · λ off · malformed · late") {
		t.Errorf("80 columns, four faults: %q", h)
	}
	m, _ = newTestModel(t, all(), 160, 48)
	v := screen(m)
	for _, want := range []string{
		"⚡ FAULT ledger down until 00:40 (L)", "⚡ FAULT λ stopped (X)", "⚡ FAULT 0.5% malformed (M)", "⚡ FAULT 1% late (T)",
		"│ 14:31:40 ! alarm duplicates-leaked", // the log stays beside
	} {
		if !strings.Contains(v, want) {
			t.Errorf("160×48 CloudWatch lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "no fault injected") {
		t.Error("160×48 says no fault with four in force")
	}
	// one fault: what it does, under it
	m, _ = newTestModel(t, withFaults(fakeSnapshot(), map[sim.FaultKind]string{"ledger-down": ""}), 160, 48)
	v = paneText(m, PaneCloudWatch)
	golden(t, "cloudwatch_ledger_down_160x48.golden", v)
	if !strings.Contains(v, "│⚡ FAULT ledger down (L)") || !strings.Contains(v, "│  Lambda batches fail and retry") {
		t.Errorf("160×48, ledger down:\n%s", v)
	}
}

// Without colour the badge still reads (text) and stands out (reverse video).
func TestFaultBadgeWithoutColour(t *testing.T) {
	st := NewStyles(true, true)
	s := withFaults(oneBSnapshot(), map[sim.FaultKind]string{"ledger-down": ""})
	raw := st.header(s, 120)
	if got := ansi.Strip(raw); !strings.Contains(got, "⚡ ledger down") {
		t.Errorf("NO_COLOR header: %q", got)
	}
	if !strings.Contains(raw, "7m") && !strings.Contains(raw, ";7;") && !strings.Contains(raw, "[7;") {
		t.Errorf("NO_COLOR badge not in reverse video: %q", raw)
	}
}

// Records lost to the stream's retention are red and marked wherever the
// losses are counted: a row of their own (80×24) and the books (160×48).
func TestExpiredIsShownAsLost(t *testing.T) {
	expired := func() *sim.Snapshot {
		s := fakeSnapshot()
		c := s.Totals.Counts
		c[metric.Expired] = 12_345
		c[metric.Staged] -= 12_345 // the books still balance
		c[metric.StagedUncompacted] -= 12_345
		s.Totals = tally(c, 1)
		return s
	}
	m, _ := newTestModel(t, expired(), 80, 24)
	golden(t, "duplicates_expired_80x24.golden", paneText(m, PaneDuplicates))
	var row string
	for _, l := range strings.Split(m.View().Content, "\n") {
		if strings.Contains(ansi.Strip(l), "✗ lost: expired") {
			row = l
		}
	}
	if row == "" || !strings.Contains(ansi.Strip(row), "12.3k past retention") || !strings.Contains(row, "255;95;135") {
		t.Errorf("80×24: no red lost row: %q\n%s", row, screen(m))
	}

	if v := screen(m); !strings.Contains(v, "books ✓ balanced") {
		t.Errorf("80×24 books:\n%s", paneText(m, PaneDuplicates))
	}
	m, _ = newTestModel(t, expired(), 160, 48)
	if v := screen(m); !strings.Contains(v, "books ✓ balanced · ✗ stream expired 12.3k") {
		t.Errorf("160×48 books:\n%s", paneText(m, PaneDuplicates))
	}

	// none expired: no row, and the books say nothing was lost, at 80×24 too
	m, _ = newTestModel(t, fakeSnapshot(), 80, 24)
	if v := screen(m); strings.Contains(v, "✗") || !strings.Contains(v, "books ✓ balanced · nothing lost") {
		t.Errorf("nothing expired:\n%s", paneText(m, PaneDuplicates))
	}
}

// paneText is a pane's rectangle of the screen.
func paneText(m *Model, p PaneID) string {
	r := m.layout.Panes[p]
	lines := screenLines(m)
	out := make([]string, 0, r.H)
	for y := r.Y; y < r.Y+r.H; y++ {
		out = append(out, ansi.Cut(lines[y], r.X, r.X+r.W)) // cells: ⚡ is two
	}
	return strings.Join(out, "\n")
}

// However many faults are in force, a firing alarm shows in the
// CloudWatch pane without scrolling: above the fault banners.
func TestFaultBannersNeverHideAFiringAlarm(t *testing.T) {
	all := withFaults(fakeSnapshot(), map[sim.FaultKind]string{
		"ledger-down": "until 00:40", "lambda-down": "", "malformed": "0.5%", "late": "1.0%"})
	for _, sz := range [][2]int{{80, 24}, {120, 36}, {160, 48}, {200, 40}} {
		m, _ := newTestModel(t, all, sz[0], sz[1])
		press(m, "shift+tab", "shift+tab") // past Cost to CloudWatch: shown at every size
		if v := paneText(m, PaneCloudWatch); !strings.Contains(v, "▲ ALARM duplicates-leaked") {
			t.Errorf("%v: the firing alarm is hidden:\n%s", sz, v)
		}
	}
}
