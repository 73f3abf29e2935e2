package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"pipesim/sim"
	"pipesim/sim/metric"

	tea "charm.land/bubbletea/v2"
)

// status is the line above the help: where toasts appear.
func status(m *Model) string {
	lines := screenLines(m)
	return lines[m.layout.Footer.Y]
}

// Every pipeline key sends exactly its command, says so at once, and says
// what changed when a snapshot reflects it.
func TestCommandKeys(t *testing.T) {
	for _, tc := range []struct {
		key    string
		want   sim.Command
		asked  string
		change func(s *sim.Snapshot) // how the engine would answer
		done   string
	}{
		{"+", sim.Command{Kind: sim.CmdRateUp}, "rate ↑ next step requested (now 1M/h)",
			func(s *sim.Snapshot) { s.RatePerHour = 2_000_000 }, "✓ rate → 2M/h"},
		{"=", sim.Command{Kind: sim.CmdRateUp}, "rate ↑", func(s *sim.Snapshot) { s.RatePerHour = 2_000_000 }, "✓ rate → 2M/h"},
		{"-", sim.Command{Kind: sim.CmdRateDown}, "rate ↓ previous step requested",
			func(s *sim.Snapshot) { s.RatePerHour = 500_000 }, "✓ rate → 500k/h"},
		{"1", sim.Command{Kind: sim.CmdScenario, Arg: "1k"}, "scenario 1k requested",
			func(s *sim.Snapshot) { s.Scenario, s.RatePerHour = "1k", 1000 }, "✓ scenario 1k: 1k/h, 1 shard"},
		{"2", sim.Command{Kind: sim.CmdScenario, Arg: "1M"}, "scenario 1M requested",
			func(s *sim.Snapshot) {}, "✓ scenario 1M: 1M/h, 1 shard"},
		{"3", sim.Command{Kind: sim.CmdScenario, Arg: "1B"}, "scenario 1B requested",
			func(s *sim.Snapshot) { s.Scenario, s.RatePerHour, s.Shards = "1B", 1_000_000_000, 512 }, "✓ scenario 1B: 1B/h, 512 shards"},
		{">", sim.Command{Kind: sim.CmdSpeedUp}, "faster requested (now ×600)",
			func(s *sim.Snapshot) { s.Speed = 3600 }, "✓ speed → ×3.6k"},
		{"<", sim.Command{Kind: sim.CmdSpeedDown}, "slower requested (now ×600)",
			func(s *sim.Snapshot) { s.Speed = 60 }, "✓ speed → ×60"},
		{"space", sim.Command{Kind: sim.CmdTogglePause}, "pause requested",
			func(s *sim.Snapshot) { s.Paused = true }, "✓ paused (space resumes)"},
		{"d", sim.Command{Kind: sim.CmdInjectBurst}, "duplicate burst requested",
			func(s *sim.Snapshot) {
				c := s.Totals.Counts
				c[metric.DuplicatesInjected] += 5000
				s.Totals = tally(c, 1)
			}, "✓ burst: 5.0k recently sent records re-sent"},
		{"D", sim.Command{Kind: sim.CmdCycleDuplicateRate}, "background duplicate rate: next step requested (now 2.0%)",
			func(s *sim.Snapshot) { s.DuplicateRate = 0.05 }, "✓ background duplicates → 5.0%"},
		{"c", sim.Command{Kind: sim.CmdCompact}, "compaction requested",
			func(s *sim.Snapshot) {
				s.Glue = &sim.GlueInFlight{Why: "on demand", Started: s.SimTime}
			}, "✓ Glue run started: it publishes when its DPUs have read what is staged"},
		{"ctrl+r", sim.Command{Kind: sim.CmdRestart}, "restart requested: the run ends, a fresh one starts from",
			func(s *sim.Snapshot) { s.SimTime = s.Start.Add(time.Second) }, "✓ restarted: a fresh run from"},
		{"s", sim.Command{Kind: sim.CmdShardsUp}, "shards ×2 requested (now 1)",
			func(s *sim.Snapshot) { s.Shards = 2 }, "✓ shards → 2"},
		{"S", sim.Command{Kind: sim.CmdShardsDown}, "one shard already: the fewest",
			func(s *sim.Snapshot) {}, ""}, // no change possible below 1: see TestToastAtLadderEnds
		{"b", sim.Command{Kind: sim.CmdCycleSwitch, Arg: "glue.dedupe"}, "glue.dedupe: next choice requested (now lookback)",
			func(s *sim.Snapshot) {
				s.Switches = slices.Clone(s.Switches)
				s.Switches[1] = sim.SwitchState{Key: "glue.dedupe", Value: "batch", Badge: "dedupe: batch only"}
			}, "✓ glue.dedupe = batch: Glue drops copies within one run only"},
		{"o", sim.Command{Kind: sim.CmdCycleSwitch, Arg: "ledger.on_failure"}, "ledger.on_failure: next choice requested (now retry)",
			func(s *sim.Snapshot) {
				s.Switches = slices.Clone(s.Switches)
				s.Switches[2] = sim.SwitchState{Key: "ledger.on_failure", Value: "pass", Badge: "ledger fails open"}
			}, "✓ ledger.on_failure = pass: a batch the ledger"},
		{"e", sim.Command{Kind: sim.CmdCycleSwitch, Arg: "glue.engine"}, "glue.engine: next choice requested (now glue)",
			func(s *sim.Snapshot) {
				s.Switches = slices.Clone(s.Switches)
				s.Switches[3] = sim.SwitchState{Key: "glue.engine", Value: "lambda", Badge: "compaction: Lambda"}
			}, "✓ glue.engine = lambda: compaction runs as a scheduled Lambda"},
		{"t", sim.Command{Kind: sim.CmdCycleSwitch, Arg: "ledger.ttl"}, "ledger.ttl: next choice requested (now 1h)",
			func(s *sim.Snapshot) {
				s.Switches = slices.Clone(s.Switches)
				s.Switches[5] = sim.SwitchState{Key: "ledger.ttl", Value: "6h", Badge: "ledger TTL 6h"}
			}, "✓ ledger.ttl = 6h: the ledger remembers a uuid 6 hours"},
		{"p", sim.Command{Kind: sim.CmdCycleSwitch, Arg: "glue.partitioning"}, "glue.partitioning: next choice requested (now day_language)",
			func(s *sim.Snapshot) {
				s.Switches = slices.Clone(s.Switches)
				s.Switches[4] = sim.SwitchState{Key: "glue.partitioning", Value: "hour_event_type", Badge: "lake by hour+type"}
				s.Relayout = "hour_event_type"
			}, "✓ glue.partitioning = hour_event_type: Glue partitions the lake by event hour"},
		{"f", sim.Command{Kind: sim.CmdCycleSwitch, Arg: "pipeline.mode"}, "pipeline.mode: next choice requested (now lambda)",
			func(s *sim.Snapshot) {
				s.Switches = slices.Clone(s.Switches)
				s.Switches[0] = sim.SwitchState{Key: "pipeline.mode", Value: "firehose", Badge: "Firehose, no Lambda"}
				s.Firehose = sim.FirehoseInfo{On: true, Size: 5 << 20, Interval: 5 * time.Minute}
			}, "✓ pipeline.mode = firehose: a Firehose delivery stream reads the stream"},
		{"r", sim.Command{Kind: sim.CmdWriteReport}, "CloudWatch report requested",
			func(s *sim.Snapshot) {
				s.Log = append(s.Log, sim.LogLine{At: s.SimTime, Text: "CloudWatch report written: cloudwatch_reports/2024-03-15T14-37.md"})
			}, "✓ CloudWatch report written"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			m, src := newTestModel(t, fakeSnapshot(), 80, 24)
			before := status(m)
			if cmd := press(m, tc.key); cmd == nil {
				t.Errorf("%s does not wait for the engine's answer", tc.key)
			}
			sent := src.commands()
			if len(sent) != 1 || sent[0] != tc.want {
				t.Fatalf("%s sent %+v, want %+v", tc.key, sent, tc.want)
			}
			if st := status(m); !strings.Contains(st, tc.asked) || st == before {
				t.Fatalf("%s: status %q, want %q", tc.key, st, tc.asked)
			}
			if tc.done == "" {
				return
			}
			next := *src.Snapshot()
			tc.change(&next)
			src.set(&next)
			tick(m, 100*time.Millisecond)
			if st := status(m); !strings.Contains(st, tc.done) {
				t.Fatalf("%s after the engine answered: status %q, want %q", tc.key, st, tc.done)
			}
			if tc.key == "space" && !strings.Contains(screenLines(m)[0], "‖ PAUSED") {
				t.Errorf("header does not say paused: %q", screenLines(m)[0])
			}
			if tc.key == "+" && !strings.Contains(screenLines(m)[0], "2M/h") {
				t.Errorf("header does not show the new rate: %q", screenLines(m)[0])
			}
			if strings.Contains("boet", tc.key) && !strings.Contains(screenLines(m)[0], "⇄ ") {
				t.Errorf("header has no badge for the choice: %q", screenLines(m)[0])
			}
			// the confirmation goes away after a while
			tick(m, 3*time.Second)
			if st := status(m); strings.Contains(st, tc.done) {
				t.Errorf("%s: confirmation still shown after 3 s: %q", tc.key, st)
			}
		})
	}
}

// A command the engine does not act on says so, then clears.
func TestToastWithoutChange(t *testing.T) {
	m, _ := newTestModel(t, fakeSnapshot(), 80, 24)
	press(m, "+") // the fake engine never answers
	tick(m, 3500*time.Millisecond)
	if st := status(m); !strings.Contains(st, "rate ↑ next step requested (now 1M/h) — no change yet") {
		t.Errorf("status %q", st)
	}
	tick(m, 3*time.Second)
	if st := status(m); strings.Contains(st, "rate") || !strings.Contains(st, "alarm duplicates-leaked") {
		t.Errorf("toast did not clear back to the newest log line: %q", st)
	}
}

// At the end of a ladder the toast says so at once, never "no change yet";
// the command still goes to the engine, which has the last word.
func TestToastAtLadderEnds(t *testing.T) {
	for _, tc := range []struct {
		key  string
		set  func(s *sim.Snapshot)
		want string
	}{
		{"-", func(s *sim.Snapshot) { s.RatePerHour = 1000 }, "rate is at its lowest step already (1k/h)"},
		{"+", func(s *sim.Snapshot) { s.RatePerHour = 1_000_000_000 }, "rate is at its highest step already (1B/h)"},
		{">", func(s *sim.Snapshot) { s.Speed = 0 }, "speed is at max already"},
		{"<", func(s *sim.Snapshot) { s.Speed = 1 }, "speed is at ×1 already"},
		{"S", func(s *sim.Snapshot) { s.Shards = 1 }, "one shard already"},
	} {
		s := fakeSnapshot()
		tc.set(s)
		m, src := newTestModel(t, s, 80, 24)
		press(m, tc.key)
		if len(src.commands()) != 1 {
			t.Errorf("%s: the command was not sent", tc.key)
		}
		tick(m, 3500*time.Millisecond)
		if st := status(m); !strings.Contains(st, tc.want) || strings.Contains(st, "no change yet") {
			t.Errorf("%s: status %q, want %q", tc.key, st, tc.want)
		}
	}
	// one step inside the ends is an ordinary request
	s := fakeSnapshot()
	s.Shards = 2
	m, _ := newTestModel(t, s, 80, 24)
	press(m, "S")
	if st := status(m); !strings.Contains(st, "shards ÷2 requested (now 2)") {
		t.Errorf("S with 2 shards: status %q", st)
	}
}

func TestFocusMovesAndShows(t *testing.T) {
	m, src := newTestModel(t, fakeSnapshot(), 80, 24)
	corner := func(p PaneID) string {
		r := m.layout.Panes[p]
		return string([]rune(screenLines(m)[r.Y])[r.X])
	}
	if corner(PaneThroughput) != "┏" || corner(PaneDuplicates) != "╭" {
		t.Fatalf("initial focus not on Throughput: %q %q", corner(PaneThroughput), corner(PaneDuplicates))
	}
	press(m, "tab")
	if m.focus != PaneDuplicates || corner(PaneDuplicates) != "┏" || corner(PaneThroughput) != "╭" {
		t.Errorf("tab: focus %v", m.focus)
	}
	press(m, "tab", "tab", "tab") // staging, parquet, CloudWatch
	if m.focus != PaneCloudWatch || !strings.Contains(screen(m), "┏━ CloudWatch") {
		t.Errorf("tab ×4: focus %v, CloudWatch shown: %v", m.focus, strings.Contains(screen(m), "CloudWatch"))
	}
	if strings.Contains(screen(m), "─ Throughput") {
		t.Error("at 80×24 CloudWatch takes the top row")
	}
	press(m, "tab")
	if m.focus != PaneCost || !strings.Contains(screen(m), "┏━ Cost") || strings.Contains(screen(m), "─ CloudWatch") {
		t.Errorf("tab ×5: focus %v; want the Cost pane in CloudWatch's place", m.focus)
	}
	press(m, "tab")
	if m.focus != PaneThroughput || strings.Contains(screen(m), "━ Cost") || strings.Contains(screen(m), "─ Cost") {
		t.Errorf("tab wraps to Throughput and hides Cost: focus %v", m.focus)
	}
	press(m, "shift+tab", "shift+tab")
	if m.focus != PaneCloudWatch {
		t.Errorf("shift+tab ×2 from Throughput: %v", m.focus)
	}
	press(m, "shift+tab")
	if m.focus != PaneParquet || corner(PaneParquet) != "┏" {
		t.Errorf("shift+tab: %v", m.focus)
	}
	if len(src.commands()) != 0 {
		t.Errorf("focus keys sent commands: %v", src.commands())
	}
}

func TestScrollFocusedPane(t *testing.T) {
	m, _ := newTestModel(t, fakeSnapshot(), 80, 24)
	press(m, "tab", "tab", "tab") // parquet
	r := m.layout.Panes[PaneParquet]
	first := func() string { return string([]rune(screenLines(m)[r.Y+1])[r.X+1 : r.X+r.W-1]) }
	before := first()
	press(m, "down")
	after := first()
	if before == after || !strings.Contains(after, "n/a 379 MB ok") {
		t.Errorf("down: first row %q → %q", before, after)
	}
	press(m, "up")
	if first() != before {
		t.Errorf("up did not come back: %q", first())
	}
	// the other panes did not move
	if !strings.Contains(screen(m), "▾ year=2024") {
		t.Error("staging scrolled with parquet")
	}
	press(m, "G")
	if !strings.Contains(screen(m), "18-26/26") {
		t.Errorf("G: %s", screen(m))
	}
}

func TestHelpToggle(t *testing.T) {
	m, _ := newTestModel(t, fakeSnapshot(), 80, 24)
	short := screen(m)
	if !strings.Contains(short, "? more") || strings.Contains(short, "inject dup burst") {
		t.Fatal("short help wrong")
	}
	press(m, "?")
	full := screen(m)
	for _, want := range []string{"inject dup burst", "cycle dup rate", "compact now", "write report", "shards ×2", "fold/unfold", "next pane", "quit", "space"} {
		if !strings.Contains(full, want) {
			t.Errorf("full help lacks %q:\n%s", want, full)
		}
	}
	checkSize(t, full, 80, 24)
	if !strings.Contains(full, "Staging") || !strings.Contains(full, "Throughput") {
		t.Error("panes gone with full help")
	}
	press(m, "?")
	if screen(m) != short {
		t.Error("? again does not restore the short help")
	}
}

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m, src := newTestModel(t, fakeSnapshot(), 80, 24)
		cmd := press(m, k)
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%s does not quit", k)
		}
		if len(src.commands()) != 0 {
			t.Errorf("%s sent %v", k, src.commands())
		}
	}
}

// Keys work before the first snapshot and after the end of the run.
func TestKeysWithoutSnapshotAndAfterEnd(t *testing.T) {
	m, src := newTestModel(t, nil, 80, 24)
	press(m, "c")
	if len(src.commands()) != 1 || !strings.Contains(status(m), "waiting for the engine") {
		t.Errorf("before the first snapshot: %v %q", src.commands(), status(m))
	}
	d := fakeSnapshot()
	d.Done = true
	m, src = newTestModel(t, d, 80, 24)
	press(m, "+")
	if len(src.commands()) != 0 || !strings.Contains(status(m), "the run has ended") {
		t.Errorf("after the end: %v %q", src.commands(), status(m))
	}
}

// After a command the model polls every answerEvery, not only each tick,
// until a snapshot says the engine has applied it: the answer to a key
// shows within a frame of the engine's publishing it.
func TestAnswerPolledSoon(t *testing.T) {
	m, src := newTestModel(t, fakeSnapshot(), 80, 24)
	cmd := press(m, "+")
	if cmd == nil {
		t.Fatal("+ does not poll for its answer")
	}
	at := time.Now()
	msg, ok := cmd().(answerMsg)
	if !ok || time.Time(msg).Sub(at) > time.Second {
		t.Fatalf("+ polls with %T after %v, want an answerMsg after %v", msg, time.Time(msg).Sub(at), answerEvery)
	}
	if cmd := press(m, "-"); cmd != nil {
		t.Error("a second key starts a second chain of polls")
	}
	_, cmd = m.Update(answerMsg(t0.Add(answerEvery)))
	if cmd == nil {
		t.Fatal("stopped polling before the engine applied the keys' commands")
	}
	s := *src.Snapshot()
	s.Applied, s.RatePerHour = 2, 2_000_000
	src.set(&s)
	if _, cmd = m.Update(answerMsg(t0.Add(2 * answerEvery))); cmd != nil {
		t.Error("still polling once the engine has applied both commands")
	}
	if h := screenLines(m)[0]; !strings.Contains(h, "2M/h") {
		t.Errorf("the header does not show the answer: %q", h)
	}
}

// Ticks keep polling; the source is asked once per tick and never blocks.
func TestTickPolls(t *testing.T) {
	m, src := newTestModel(t, fakeSnapshot(), 80, 24)
	s2 := *src.Snapshot()
	s2.SimTime = s2.SimTime.Add(time.Minute)
	src.set(&s2)
	_, cmd := m.Update(tickMsg(t0.Add(100 * time.Millisecond)))
	if cmd == nil {
		t.Fatal("a tick does not schedule the next one")
	}
	if !strings.Contains(screenLines(m)[0], "14:38:25") {
		t.Errorf("header did not follow the snapshot: %q", screenLines(m)[0])
	}
}

// A toast says what the engine's state is once it has applied that very
// command: not before (a stale snapshot from before an earlier key), not
// what the key usually does when the engine says otherwise.
func TestToastSaysWhatTheEngineDid(t *testing.T) {
	// e twice: the first answer is not the second key's
	m, src := newTestModel(t, fakeSnapshot(), 80, 24)
	press(m, "e", "e")
	first := *src.Snapshot()
	for i, sw := range first.Switches {
		if sw.Key == "glue.engine" {
			first.Switches = slices.Clone(first.Switches)
			first.Switches[i].Value = "lambda"
		}
	}
	src.set(&first)
	first.Applied = 1 // the engine has applied the first e only
	tick(m, 100*time.Millisecond)
	if st := status(m); strings.Contains(st, "✓") {
		t.Errorf("the second e confirmed by the first's answer: %q", st)
	}
	second := *fakeSnapshot()
	src.set(&second)
	tick(m, 100*time.Millisecond)
	if st := status(m); !strings.Contains(st, "✓ glue.engine = glue") {
		t.Errorf("after both e: %q, want glue.engine back to glue", st)
	}

	// X off while a poison record blocks a shard: Lambda runs, the shard does not
	s := withFaults(fakeSnapshot(), map[sim.FaultKind]string{"lambda-down": ""})
	m, src = newTestModel(t, s, 120, 36)
	press(m, "X")
	on := withFaults(fakeSnapshot(), nil)
	on.ShardUse = slices.Clone(on.ShardUse)
	on.ShardUse[0].FailingSince = on.SimTime.Add(-time.Minute)
	src.set(on)
	tick(m, 100*time.Millisecond)
	if st := status(m); !strings.Contains(st, "⚠ Lambda running again, but shard #0 stays blocked behind a poison record") || strings.Contains(st, "backlog drains") {
		t.Errorf("X with a blocked shard: %q", st)
	}

	// r then v in the presenter's view: the status line is v's
	m, _ = newTestModel(t, fakeSnapshot(), 160, 48)
	press(m, "z", "r", "v")
	tick(m, 100*time.Millisecond)
	if v := screen(m); strings.Contains(v, "r → theme") || !strings.Contains(v, "v → theme") {
		t.Errorf("r credited with v's theme change:\n%s", v)
	}
}

// While a run restarts the header says so, and no speed: the clock is not
// running.
func TestHeaderWhileRestarting(t *testing.T) {
	s := fakeSnapshot()
	s.Restarting = true
	m, _ := newTestModel(t, s, 120, 36)
	if h := screenLines(m)[0]; !strings.Contains(h, "⟲ restarting") || strings.Contains(h, "▶") {
		t.Errorf("header while restarting: %q", h)
	}
}
