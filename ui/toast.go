package ui

import (
	"strings"
	"time"

	"pipesim/sim"
	"pipesim/sim/metric"
)

// A toast is the status line's answer to a key that sent a command: it says
// what was asked at once, then what changed once a snapshot shows it, then
// goes away.
type toast struct {
	asked  string
	sentAt time.Time
	before *sim.Snapshot // the picture when the command was sent
	check  func(before, now *sim.Snapshot) (string, bool)

	done   string // set once the snapshot reflects the command
	doneAt time.Time
	quiet  bool // no "no change yet" note when it is not confirmed
}

const (
	toastShowDone = 2500 * time.Millisecond
	toastNoChange = 3 * time.Second
	toastGiveUp   = 6 * time.Second
)

// observe checks a new snapshot; it returns false when the toast is over.
func (t *toast) observe(now *sim.Snapshot, at time.Time) bool {
	if t.done == "" && now != nil && t.check != nil {
		if text, ok := t.check(t.before, now); ok {
			t.done, t.doneAt = text, at
		}
	}
	if t.done != "" {
		return at.Sub(t.doneAt) < toastShowDone
	}
	return at.Sub(t.sentAt) < toastGiveUp
}

// text is what the status line shows and whether it is a confirmation.
func (t *toast) text(at time.Time) (string, bool) {
	if t.done != "" {
		return "✓ " + t.done, true
	}
	s := "» " + t.asked
	if !t.quiet && at.Sub(t.sentAt) >= toastNoChange {
		s += " — no change yet"
	}
	return s, false
}

// newToast describes a command about to be sent.
func newToast(c sim.Command, before *sim.Snapshot, at time.Time) *toast {
	t := &toast{sentAt: at, before: before}
	if before == nil {
		t.asked = "command sent; waiting for the engine"
		return t
	}
	if before.Done || before.Err != nil {
		t.asked = "the run has ended: nothing changes any more"
		t.quiet = true
		return t
	}
	if end, ok := atEnd(c, before); ok {
		t.asked, t.quiet = end, true
		return t
	}
	switch c.Kind {
	case sim.CmdRateUp, sim.CmdRateDown:
		t.asked = "rate ↑ next step requested (now " + metric.Rate(before.RatePerHour) + ")"
		if c.Kind == sim.CmdRateDown {
			t.asked = "rate ↓ previous step requested (now " + metric.Rate(before.RatePerHour) + ")"
		}
		t.check = func(b, n *sim.Snapshot) (string, bool) {
			return "rate → " + metric.Rate(n.RatePerHour), n.RatePerHour != b.RatePerHour
		}
	case sim.CmdScenario:
		t.asked = "scenario " + c.Arg + " requested"
		t.check = func(b, n *sim.Snapshot) (string, bool) {
			return "scenario " + n.Scenario + ": " + metric.Rate(n.RatePerHour) + ", " + plural(n.Shards, "shard"),
				n.Scenario == c.Arg
		}
	case sim.CmdSpeedUp, sim.CmdSpeedDown:
		t.asked = "faster requested (now " + speed(before.Speed) + ")"
		if c.Kind == sim.CmdSpeedDown {
			t.asked = "slower requested (now " + speed(before.Speed) + ")"
		}
		t.check = func(b, n *sim.Snapshot) (string, bool) {
			return "speed → " + speed(n.Speed), n.Speed != b.Speed
		}
	case sim.CmdTogglePause:
		t.asked = "pause requested"
		if before.Paused {
			t.asked = "resume requested"
		}
		t.check = func(b, n *sim.Snapshot) (string, bool) {
			if n.Paused {
				return "paused (space resumes)", !b.Paused
			}
			return "running", b.Paused
		}
	case sim.CmdInjectBurst:
		t.asked = "duplicate burst requested"
		t.quiet = true
		t.check = logCheck("burst", "duplicate burst injected")
	case sim.CmdCycleDuplicateRate:
		t.asked = "background duplicate rate: next step requested (now " + pct(before.DuplicateRate) + ")"
		t.check = func(b, n *sim.Snapshot) (string, bool) {
			return "background duplicates → " + pct(n.DuplicateRate), n.DuplicateRate != b.DuplicateRate
		}
	case sim.CmdCompact:
		t.asked = "compaction requested (Glue run now)"
		t.check = func(b, n *sim.Snapshot) (string, bool) {
			if n.Totals.Counts[metric.GlueRuns] <= b.Totals.Counts[metric.GlueRuns] {
				return "", false
			}
			if l, ok := newLogLine(b, n, "glue"); ok {
				return l, true
			}
			return "Glue run " + metric.Human(n.Totals.Counts[metric.GlueRuns]) + " done", true
		}
	case sim.CmdShardsUp, sim.CmdShardsDown:
		t.asked = "shards ×2 requested (now " + itoa(before.Shards) + ")"
		if c.Kind == sim.CmdShardsDown {
			t.asked = "shards ÷2 requested (now " + itoa(before.Shards) + ")"
		}
		t.check = func(b, n *sim.Snapshot) (string, bool) {
			return "shards → " + itoa(n.Shards), n.Shards != b.Shards
		}
	case sim.CmdToggleFault:
		faultToast(t, c.Fault, before)
	case sim.CmdCycleSwitch:
		switchToast(t, c.Arg, before)
	case sim.CmdWriteReport:
		t.asked = "CloudWatch report requested"
		t.quiet = true
		t.check = logCheck("report", "report written")
	default:
		t.asked = "command sent"
		t.quiet = true
	}
	return t
}

// faultToast asks for a fault to be switched and confirms it once the
// snapshot's state of that kind flips (or its share changes, when a
// --fault share stays under the key's).
func faultToast(t *toast, kind sim.FaultKind, before *sim.Snapshot) {
	f, ok := faultInfoFor(kind)
	if !ok {
		t.asked, t.quiet = "fault "+string(kind)+" toggle requested", true
		return
	}
	was := faultState(before, kind)
	t.asked = "fault " + f.key + ": " + f.withShare(f.ask) + " requested"
	if was.Active {
		t.asked = "fault " + f.key + ": " + f.undo + " requested"
		if u := (activeFault{f, was}).until(); u != "" {
			t.asked += " (a --fault window holds it " + u + ")"
		}
	}
	t.check = func(b, n *sim.Snapshot) (string, bool) {
		old, now := faultState(b, kind), faultState(n, kind)
		a := activeFault{f, now}
		switch {
		case now.Active && !old.Active:
			return a.label() + f.on, true
		case !now.Active && old.Active:
			return f.off, true
		case now.Active && now.Detail != old.Detail && a.share() != "":
			return f.name + " → " + a.share(), true
		}
		return "", false
	}
}

// atEnd says why c cannot change anything in s, if it cannot: at the ends
// of the engine's ladders (and one shard at least) the toast says so at
// once instead of "no change yet". Only the ends themselves: from off the
// ladder (a --rate or --speed between steps) a step does move.
func atEnd(c sim.Command, s *sim.Snapshot) (string, bool) {
	switch {
	case c.Kind == sim.CmdRateUp && s.RatePerHour == sim.HighestRate:
		return "rate is at its highest step already (" + metric.Rate(s.RatePerHour) + ")", true
	case c.Kind == sim.CmdRateDown && s.RatePerHour == sim.LowestRate:
		return "rate is at its lowest step already (" + metric.Rate(s.RatePerHour) + ")", true
	case c.Kind == sim.CmdSpeedUp && s.Speed == sim.FastestSpeed:
		return "speed is at max already: as fast as the machine goes", true
	case c.Kind == sim.CmdSpeedDown && s.Speed == sim.SlowestSpeed:
		return "speed is at ×1 already: the slowest", true
	case c.Kind == sim.CmdShardsDown && s.Shards == 1:
		return "one shard already: the fewest", true
	}
	return "", false
}

// logCheck confirms a command by a new log line that mentions word.
func logCheck(word, fallback string) func(b, n *sim.Snapshot) (string, bool) {
	return func(b, n *sim.Snapshot) (string, bool) {
		if l, ok := newLogLine(b, n, word); ok {
			return l, true
		}
		return fallback, false
	}
}

// newLogLine finds the newest log line in n that b did not have and that
// mentions word (case-insensitively).
func newLogLine(b, n *sim.Snapshot, word string) (string, bool) {
	start := 0
	if k := len(b.Log); k > 0 {
		last := b.Log[k-1]
		start = len(n.Log) // nothing new unless the old last line is found
		for i := len(n.Log) - 1; i >= 0; i-- {
			if n.Log[i].At.Equal(last.At) && n.Log[i].Text == last.Text {
				start = i + 1
				break
			}
		}
		if start == len(n.Log) && len(n.Log) > 0 && n.Log[0].At.After(last.At) {
			start = 0 // the whole window is newer
		}
	}
	for i := len(n.Log) - 1; i >= start; i-- {
		if strings.Contains(strings.ToLower(n.Log[i].Text), word) {
			return n.Log[i].Text, true
		}
	}
	return "", false
}

func plural(n int, word string) string { return metric.Plural(n, word) }
