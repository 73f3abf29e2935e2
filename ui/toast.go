package ui

import (
	"time"

	"pipesim/sim"
	"pipesim/sim/metric"
)

// A toast is the status line's answer to a key that sent a command: it says
// what was asked at once, then, once a snapshot says the engine has applied
// that very command (Snapshot.Applied), what the engine's state is, then
// goes away. It reads typed fields of the snapshot, never the log's words.
type toast struct {
	asked  string
	sentAt time.Time
	n      int           // the command's number among those sent (from 1); 0: none sent
	before *sim.Snapshot // the picture when the command was sent
	check  func(before, now *sim.Snapshot) string
	warn   bool // the answer says the command did not do what the key usually does

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
	if t.done == "" && now != nil && t.check != nil && t.n > 0 && now.Applied >= t.n {
		t.done, t.doneAt = t.check(t.before, now), at
	}
	if t.done != "" {
		return at.Sub(t.doneAt) < toastShowDone
	}
	return at.Sub(t.sentAt) < toastGiveUp
}

// text is what the status line shows and whether it is a confirmation.
func (t *toast) text(at time.Time) (string, bool) {
	if t.done != "" {
		if t.warn {
			return "⚠ " + t.done, true
		}
		return "✓ " + t.done, true
	}
	s := "» " + t.asked
	if !t.quiet && at.Sub(t.sentAt) >= toastNoChange {
		s += " — no change yet"
	}
	return s, false
}

// newToast describes the command about to be sent as the n-th.
func newToast(c sim.Command, n int, before *sim.Snapshot, at time.Time) *toast {
	t := &toast{sentAt: at, n: n, before: before}
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
		t.check = func(_, n *sim.Snapshot) string { return "rate → " + metric.Rate(n.RatePerHour) }
	case sim.CmdScenario:
		t.asked = "scenario " + c.Arg + " requested"
		t.check = func(_, n *sim.Snapshot) string {
			return "scenario " + n.Scenario + ": " + metric.Rate(n.RatePerHour) + ", " + plural(n.Shards, "shard")
		}
	case sim.CmdSpeedUp, sim.CmdSpeedDown:
		t.asked = "faster requested (now " + speed(before.Speed) + ")"
		if c.Kind == sim.CmdSpeedDown {
			t.asked = "slower requested (now " + speed(before.Speed) + ")"
		}
		t.check = func(_, n *sim.Snapshot) string { return "speed → " + speed(n.Speed) }
	case sim.CmdTogglePause:
		t.asked = "pause requested"
		if before.Paused {
			t.asked = "resume requested"
		}
		t.check = func(_, n *sim.Snapshot) string {
			if n.Paused {
				return "paused (space resumes)"
			}
			return "running"
		}
	case sim.CmdInjectBurst:
		t.asked = "duplicate burst requested"
		t.quiet = true
		t.check = func(b, n *sim.Snapshot) string {
			k := n.Totals.Nominal[metric.DuplicatesInjected] - b.Totals.Nominal[metric.DuplicatesInjected]
			return "burst: " + approx(k, sampled(n)) + " recently sent records re-sent"
		}
	case sim.CmdCycleDuplicateRate:
		t.asked = "background duplicate rate: next step requested (now " + pct(before.DuplicateRate) + ")"
		t.check = func(_, n *sim.Snapshot) string { return "background duplicates → " + pct(n.DuplicateRate) }
	case sim.CmdCompact:
		t.asked = "compaction requested (Glue run now)"
		t.check = func(_, n *sim.Snapshot) string {
			switch g := n.Glue; {
			case g == nil:
				return "nothing for Glue to read"
			case g.Next != "":
				return glueRunning(g)
			}
			return "Glue run started: it publishes when its DPUs have read what is staged"
		}
	case sim.CmdShardsUp, sim.CmdShardsDown:
		t.asked = "shards ×2 requested (now " + itoa(before.Shards) + ")"
		if c.Kind == sim.CmdShardsDown {
			t.asked = "shards ÷2 requested (now " + itoa(before.Shards) + ")"
		}
		t.check = func(_, n *sim.Snapshot) string { return "shards → " + itoa(n.Shards) }
	case sim.CmdToggleFault:
		faultToast(t, c.Fault, before)
	case sim.CmdCycleSwitch:
		switchToast(t, c.Arg, before)
	case sim.CmdRestart:
		t.asked = "restart requested: the run ends, a fresh one starts from " + before.Start.Format("15:04") + " with the settings in force"
		t.check = func(_, n *sim.Snapshot) string {
			return "restarted: a fresh run from " + n.Start.Format("2006-01-02 15:04") + ", the output folder replaced, seed and settings kept"
		}
	case sim.CmdWriteReport:
		t.asked = "CloudWatch report requested"
		t.quiet = true
		t.check = func(_, n *sim.Snapshot) string { return "CloudWatch report written" }
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
	t.check = func(b, n *sim.Snapshot) string {
		old, now := faultState(b, kind), faultState(n, kind)
		a := activeFault{f, now}
		switch {
		case old.Active && now.Active && now.Detail != old.Detail && a.share() != "":
			return f.name + " → " + a.share()
		case old.Active && now.Active:
			t.warn = true // a --fault window holds it
			return a.label() + " still in force " + a.until()
		case now.Active:
			return a.label() + f.on
		}
		if blocked := blockedShards(n); len(blocked) > 0 && kind == sim.LambdaDown {
			// running again, but what a poison record blocks stays blocked
			t.warn = true
			which := "shard #" + blocked[0] + " stays"
			if len(blocked) > 1 {
				which = itoa(len(blocked)) + " shards stay"
			}
			return "Lambda running again, but " + which + " blocked behind a poison record: its iterator age climbs"
		}
		return f.off
	}
}

// blockedShards are the numbers of the shards whose Lambda batch keeps
// throwing.
func blockedShards(s *sim.Snapshot) []string {
	var out []string
	for _, u := range s.ShardUse {
		if !u.FailingSince.IsZero() {
			out = append(out, shardNo(u.ID))
		}
	}
	return out
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

func plural(n int, word string) string { return metric.Plural(n, word) }
