package ui

import (
	"strconv"
	"strings"

	"pipesim/sim"
)

// The faults a presenter switches from the dashboard (L X M T): what they
// are called where room is short and where it is not, and what they do.
// The other kinds (crash, glue-crash) are headless only and never shown.
type faultInfo struct {
	kind   sim.FaultKind // a Switchable kind of sim.FaultSpecs
	key    string
	name   string // "ledger down"; shares get their percentage in front
	short  string
	effect string // what it does to the pipeline, for the CloudWatch pane
	card   string // the presenter's figure it moves

	// the toast: asked to switch on (after the key's share, if any), asked
	// to switch off, then confirmed
	ask, undo string
	on, off   string // on follows the label: "0.5% malformed: …"
}

var toggleFaults = []faultInfo{
	{kind: sim.LedgerDown, key: "L", name: "ledger down", short: "ledger", card: cardAge,
		effect: "Lambda batches fail and retry: records wait in the stream, iterator age climbs; nothing is lost",
		ask:    "ledger down", undo: "ledger back up",
		on:  ": Lambda retries, iterator age climbs (L again: back up)",
		off: "ledger back up: Lambda retries drain the backlog"},
	{kind: sim.LambdaDown, key: "X", name: "λ stopped", short: "λ off", card: cardAge,
		effect: "records wait in the stream; past its retention they expire: lost, counted as expired",
		ask:    "Lambda's event-source mapping stopped", undo: "Lambda running again",
		on:  ": records wait; past retention they expire (X: restart)",
		off: "Lambda running again: the backlog drains"},
	{kind: sim.Malformed, key: "M", name: "malformed", short: "malformed",
		effect: "bad records go to the dead-letter folder with their reason; the rest flows",
		ask:    "malformed records", undo: "malformed records off",
		on:  " records: dead-lettered with their reason (M again: off)",
		off: "malformed records stopped"},
	{kind: sim.Poison, key: "P", name: "poison", short: "poison", card: cardAge,
		effect: "a batch holding one makes the function throw: it is retried, its shard waits and, past retention, expires",
		ask:    "poison records", undo: "poison records off",
		on:  " records: the function throws, their shards block (P again: off)",
		off: "poison records stopped"},
	{kind: sim.Late, key: "T", name: "late", short: "late", card: cardFiles,
		effect: "events 1–6 h old land in their event-time partition; a merged day gets a small file",
		ask:    "late events", undo: "late events off",
		on:  " events: filed under the hour they were created (T again: off)",
		off: "late events stopped"},
}

// keyShare is the share the key switches on ("0.5%"), "" for a window fault.
func (f faultInfo) keyShare() string {
	spec, _ := f.kind.Spec()
	if spec.KeyShare == 0 {
		return ""
	}
	return strconv.FormatFloat(spec.KeyShare*100, 'g', -1, 64) + "%"
}

// withShare puts the key's share in front of s: "0.5% malformed".
func (f faultInfo) withShare(s string) string {
	if p := f.keyShare(); p != "" {
		return p + " " + s
	}
	return s
}

func faultInfoFor(kind sim.FaultKind) (faultInfo, bool) {
	for _, f := range toggleFaults {
		if f.kind == kind {
			return f, true
		}
	}
	return faultInfo{}, false
}

// faultState is the snapshot's state of kind; off when it is not listed.
func faultState(s *sim.Snapshot, kind sim.FaultKind) sim.FaultState {
	if s != nil {
		for _, f := range s.Faults {
			if f.Kind == kind {
				return f
			}
		}
	}
	return sim.FaultState{Kind: kind}
}

// activeFault is a fault in force, with its labels.
type activeFault struct {
	faultInfo
	state sim.FaultState
}

// activeFaults are the switchable faults in force, in key order.
func activeFaults(s *sim.Snapshot) []activeFault {
	var out []activeFault
	for _, f := range toggleFaults {
		if st := faultState(s, f.kind); st.Active {
			out = append(out, activeFault{f, st})
		}
	}
	return out
}

// share is the Detail when it is a percentage ("0.5%", "1%"), else "".
func (a activeFault) share() string {
	d := a.state.Detail
	if !strings.HasSuffix(d, "%") {
		return ""
	}
	return strings.Replace(d, ".0%", "%", 1)
}

// until is the end of a --fault window ("until 00:40"), else "".
func (a activeFault) until() string {
	if strings.HasPrefix(a.state.Detail, "until ") {
		return a.state.Detail
	}
	return ""
}

// label is "ledger down", "0.5% malformed", "1% late".
func (a activeFault) label() string {
	if p := a.share(); p != "" {
		return p + " " + a.name
	}
	return a.name
}

// faultBadgeForms are the header's fault segment, longest first; none
// when no fault is in force. The last form is always short enough to keep.
func faultBadgeForms(s *sim.Snapshot) []string {
	act := activeFaults(s)
	const z = "⚡ "
	switch len(act) {
	case 0:
		return nil
	case 1:
		a := act[0]
		forms := []string{}
		if u := a.until(); u != "" {
			forms = append(forms, z+a.label()+" "+u)
		}
		forms = append(forms, z+a.label())
		if a.share() != "" {
			forms = append(forms, z+a.share()+" "+a.short)
		}
		return dedupe(append(forms, z+a.short))
	}
	long := make([]string, len(act))
	short := make([]string, len(act))
	for i, a := range act {
		long[i], short[i] = a.label(), a.short
	}
	n := itoa(len(act))
	return []string{
		z + strings.Join(long, " · "),
		z + strings.Join(short, " · "),
		z + n + " faults",
		z + n,
	}
}

// dedupe drops a form equal to the one before it.
func dedupe(forms []string) []string {
	out := forms[:0]
	for i, f := range forms {
		if i == 0 || f != forms[i-1] {
			out = append(out, f)
		}
	}
	return out
}
