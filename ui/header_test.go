package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"pipesim/sim"

	"github.com/charmbracelet/x/ansi"
)

// oneBSnapshot is what the header showed when it lost its title: the 1B/h
// scenario a few minutes in, sampled 1 in 500 over 300 shards, one alarm
// firing, and the machine far behind the speed asked for.
func oneBSnapshot() *sim.Snapshot {
	start := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	return &sim.Snapshot{
		SimTime: start.Add(8*time.Minute + 29*time.Second), Start: start,
		Speed: 60, AchievedSpeed: 11,
		Scenario: "1B", RatePerHour: 1_000_000_000, Shards: 300, SampleOneIn: 500,
		Alarms: []sim.AlarmState{
			{Name: "IteratorAgeHigh", Metric: "iterator_age_seconds", Threshold: 60},
			{Name: "ShardThrottling", Metric: "throttled", Value: 3_621_500, Firing: true, Since: start.Add(2 * time.Minute)},
		},
	}
}

func TestHeader1BAt80(t *testing.T) {
	m, _ := newTestModel(t, oneBSnapshot(), 80, 24)
	got := screenLines(m)[0]
	golden(t, "header_1B_80.golden", got)
	for _, want := range []string{" pipesim │ 11-25 00:08:29 │ ", "▶ ×11 of ×60", "1B/h", "sampled 1:500", "⚠ 1 alarm"} {
		if !strings.Contains(got, want) {
			t.Errorf("80-column header lacks %q: %q", want, got)
		}
	}
	if width(got) != 80 || strings.Contains(got, "…") {
		t.Errorf("80-column header is cut or not 80 wide (%d): %q", width(got), got)
	}
}

// At every width from the minimum up, in every state, the header keeps its
// title and the time at the left and is never cut; wider shows more.
func TestHeaderDegradesFromTheRight(t *testing.T) {
	st := NewStyles(true, false)
	states := map[string]func(*sim.Snapshot){
		"behind":           func(*sim.Snapshot) {},
		"paused":           func(s *sim.Snapshot) { s.Paused = true },
		"error":            func(s *sim.Snapshot) { s.Err = errors.New("disk full") },
		"done":             func(s *sim.Snapshot) { s.Done = true },
		"waiting for Glue": func(s *sim.Snapshot) { s.Glue = glueWaiting() },
		"first second":     func(s *sim.Snapshot) { s.AchievedSpeed = 0 },
		"rate changed": func(s *sim.Snapshot) {
			s.RatePerHour = 2_000_000_000
			s.Alarms[0].Firing = true
		},
		"ledger down": func(s *sim.Snapshot) { withFaults(s, map[sim.FaultKind]string{"ledger-down": ""}) },
		"ledger down, --fault window": func(s *sim.Snapshot) {
			withFaults(s, map[sim.FaultKind]string{"ledger-down": "until 00:40"})
		},
		"malformed": func(s *sim.Snapshot) { withFaults(s, map[sim.FaultKind]string{"malformed": "0.5%"}) },
		"every fault, paused, alarms": func(s *sim.Snapshot) {
			withFaults(s, map[sim.FaultKind]string{"ledger-down": "until 00:40", "lambda-down": "", "malformed": "0.5%", "late": "1.0%"})
			s.Paused = true
			s.Alarms[0].Firing = true
		},
	}
	for name, set := range states {
		s := oneBSnapshot()
		set(s)
		prev := 0
		for w := MinWidth; w <= 200; w++ {
			got := ansi.Strip(st.header(s, w))
			if width(got) != w {
				t.Fatalf("%s, %d columns: header is %d wide: %q", name, w, width(got), got)
			}
			if !strings.HasPrefix(got, " pipesim │ ") || !strings.Contains(got, "00:08:29") {
				t.Fatalf("%s, %d columns: title or time lost: %q", name, w, got)
			}
			if strings.Contains(got, "…") {
				t.Fatalf("%s, %d columns: header cut: %q", name, w, got)
			}
			if faulty := len(activeFaults(s)) > 0; faulty != strings.Contains(got, "⚡ ") {
				t.Fatalf("%s, %d columns: fault badge shown %v, want %v: %q", name, w, !faulty, faulty, got)
			}
			shown := len(strings.TrimRight(got, " "))
			if shown < prev-8 { // a longer form may replace two short ones, never lose much
				t.Errorf("%s, %d columns shows less than %d columns: %q", name, w, w-1, got)
			}
			prev = shown
		}
		if got := ansi.Strip(st.header(s, 200)); !strings.Contains(got, "300 shards") || !strings.Contains(got, "simulated") {
			t.Errorf("%s, 200 columns: not everything shown: %q", name, got)
		}
		if f := faultBadgeForms(s); len(f) > 0 && !strings.Contains(ansi.Strip(st.header(s, 200)), f[0]) {
			t.Errorf("%s, 200 columns: fault badge not in full: %q", name, f[0])
		}
	}
}

// The fault badge at 80 columns, in the 1B scenario where room is shortest
// (sampled, behind, an alarm): by name while it fits, else by number; the
// title and time stay.
func TestHeaderFaultBadgeAt80(t *testing.T) {
	st := NewStyles(true, false)
	for _, tc := range []struct {
		faults map[sim.FaultKind]string
		want   string
	}{
		{map[sim.FaultKind]string{"ledger-down": ""}, "⚡ ledger down"},
		{map[sim.FaultKind]string{"lambda-down": ""}, "⚡ λ stopped"},
		{map[sim.FaultKind]string{"malformed": "0.5%"}, "⚡ malformed"},
		{map[sim.FaultKind]string{"late": "1.0%"}, "⚡ 1% late"},
		{map[sim.FaultKind]string{"ledger-down": "", "late": "1.0%"}, "⚡ ledger · late"},
		{map[sim.FaultKind]string{"ledger-down": "", "lambda-down": "", "malformed": "0.5%", "late": "1.0%"}, "⚡ 4 faults"},
	} {
		s := withFaults(oneBSnapshot(), tc.faults)
		got := ansi.Strip(st.header(s, 80))
		if !strings.Contains(got, tc.want) || !strings.HasPrefix(got, " pipesim │ ") || !strings.Contains(got, "00:08:29") {
			t.Errorf("80 columns, %v: %q, want %q", tc.faults, got, tc.want)
		}
	}
}

// The design choices other than the defaults are named in the header, in
// full where there is room and counted where there is not.
func TestHeaderChoiceBadges(t *testing.T) {
	s := oneBSnapshot()
	s.Switches = []sim.SwitchState{
		{Key: "glue.dedupe", Value: "batch", Badge: "dedupe: batch only"},
		{Key: "ledger.on_failure", Value: "pass", Badge: "ledger fails open"},
	}
	for _, tc := range []struct {
		w    int
		want string
	}{{160, "⇄ dedupe: batch only · ledger fails open"}, {80, "⇄ 2 choices"}} {
		m, _ := newTestModel(t, s, tc.w, 24)
		got := screenLines(m)[0]
		golden(t, "header_choices_"+itoa(tc.w)+".golden", got)
		if !strings.Contains(got, tc.want) || width(got) != tc.w {
			t.Errorf("%d-column header lacks %q: %q", tc.w, tc.want, got)
		}
	}
}

// Every switch's badge, each flipped to its last value, fits a wide
// header in full.
func TestHeaderNamesEveryChoice(t *testing.T) {
	s := oneBSnapshot()
	s.Switches = nil
	var want []string
	for _, sw := range sim.Switches {
		v := sw.Choice.Values[len(sw.Choice.Values)-1]
		s.Switches = append(s.Switches, sim.SwitchState{Key: sw.Choice.Key, Value: v, Badge: sw.Badge[v]})
		want = append(want, sw.Badge[v])
	}
	m, _ := newTestModel(t, s, 240, 24)
	got := screenLines(m)[0]
	golden(t, "header_all_choices_240.golden", got)
	if !strings.Contains(got, "⇄ "+strings.Join(want, " · ")) {
		t.Errorf("header lacks %q: %q", want, got)
	}
}

// An on-demand stream says so, and where its capacity is going.
func TestHeaderOnDemand(t *testing.T) {
	s := oneBSnapshot()
	s.Shards = 8
	s.OnDemand = sim.OnDemandInfo{On: true, ScalesTo: 16, At: s.SimTime.Add(12 * time.Minute)}
	for _, tc := range []struct {
		w    int
		want string
	}{{160, "on-demand 8 shards → 16 at 00:20"}, {100, "8 → 16 at 00:20"}} {
		m, _ := newTestModel(t, s, tc.w, 24)
		got := screenLines(m)[0]
		golden(t, "header_on_demand_"+itoa(tc.w)+".golden", got)
		if !strings.Contains(got, tc.want) || width(got) != tc.w {
			t.Errorf("%d-column header lacks %q: %q", tc.w, tc.want, got)
		}
	}
}

// Just after slowing down the achieved speed is still the faster one's:
// the header never says the machine ran faster than asked.
func TestHeaderAfterSlowingDown(t *testing.T) {
	s := oneBSnapshot()
	s.Speed, s.AchievedSpeed = 1, 116
	m, _ := newTestModel(t, s, 160, 48)
	if h := screenLines(m)[0]; !strings.Contains(h, "▶ ×1 asked · ×1 on this machine") || strings.Contains(h, "116") {
		t.Errorf("after slowing to ×1: %q", h)
	}
}

func glueWaiting() *sim.GlueInFlight {
	return &sim.GlueInFlight{Run: 4, Why: "scheduled", Waiting: true, Step: sim.GlueRewriting, Done: 4, Of: 10, Rows: 1_200_000, Layout: "hour_event_type"}
}

// While the clock waits for Glue the header says so in words, with the
// run's progress, and nothing in it says the clock runs; the speed says
// what was asked and what the machine manages, and before the first
// measure, neither a zero nor a limit.
func TestHeaderSaysWhatTheClockDoes(t *testing.T) {
	st := NewStyles(true, false)
	for _, tc := range []struct {
		name      string
		set       func(*sim.Snapshot)
		want, not string
	}{
		{"waiting", func(s *sim.Snapshot) { s.Glue = glueWaiting() }, "⏳ clock waits for Glue run 4: rewriting ~1.2M rows into hour_event_type, 40%", "▶"},
		{"running Glue", func(s *sim.Snapshot) { s.Glue = glueWaiting(); s.Glue.Waiting = false }, "▶ ×60 asked · ×11 on this machine │", "⏳"},
		{"keeping up", func(s *sim.Snapshot) { s.AchievedSpeed = 59 }, "▶ ×60 asked · ×59 on this machine │", "×60 on"},
		{"first second", func(s *sim.Snapshot) { s.AchievedSpeed = 0 }, "▶ ×60 asked · measuring", "×0"},
		{"max", func(s *sim.Snapshot) { s.Speed = 0; s.AchievedSpeed = 3200 }, "▶ as fast as it goes · ×3.2k on this machine", "achieved"},
	} {
		s := oneBSnapshot()
		tc.set(s)
		got := ansi.Strip(st.header(s, 200))
		if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
			t.Errorf("%s: header %q; want %q and no %q", tc.name, got, tc.want, tc.not)
		}
	}
}
