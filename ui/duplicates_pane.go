package ui

import (
	"pipesim/sim/metric"

	"charm.land/lipgloss/v2"
)

// duplicatesPane: where duplicates go — injected by SDK retries and bursts,
// caught by the Redis ledger in Lambda, caught by Glue, or leaked into the
// lake — with the duplicate rate over time, the ledger and the books check
// (every produced event is accounted for).
type duplicatesPane struct{ listPane }

func newDuplicatesPane(sh *shared) *duplicatesPane {
	p := &duplicatesPane{listPane{base: base{sh: sh}}}
	p.body = p.lines
	return p
}

func (p *duplicatesPane) View() string {
	if p.snap == nil {
		return p.waiting("Duplicates")
	}
	return p.list("Duplicates", "bg "+pct(p.snap.DuplicateRate), p.lines())
}

func (p *duplicatesPane) lines() []string {
	s := p.snap
	if s == nil {
		return nil
	}
	st := &p.sh.st
	iw, ih := p.inner()
	tally := s.Totals
	t, approxT := tally.Nominal, tally.Sampled()
	const lw = 15 // label column

	// the duplicate rate per minute: the share of the records Lambda read
	// that the ledger knew already (what CloudWatch can see; the injected
	// count per minute misses background retries in this engine)
	ms := completeMinutes(s)
	vals := make([]float64, len(ms))
	last := 0.0
	for i, m := range ms {
		vals[i] = m.AlarmValue("duplicate_rate")
		last = vals[i]
	}
	valW := 6
	sw := max(iw-lw-1-valW-1, 4)
	out := []string{
		st.Label.Render(padRight("dup rate/min", lw)) + " " + st.SparkDup.Render(sparklineFloor(vals, sw, 0.05)) + " " + padLeft(pct(last), valW),
	}

	share := func(n int64) string {
		if t[metric.DuplicatesInjected] <= 0 {
			return ""
		}
		return pct(float64(n) / float64(t[metric.DuplicatesInjected]))
	}
	numW := 7
	if approxT {
		numW = 8
	}
	row := func(label string, n int64, style lipgloss.Style, tail string) string {
		r := st.Label.Render(padRight(label, lw)) + " " + style.Render(padLeft(approx(n, approxT), numW))
		if width(r)+1+width(tail) > iw {
			return r // a tail cut short says less than none
		}
		return r + " " + st.Muted.Render(tail)
	}
	leakStyle, leakTail := st.OK, share(t[metric.DuplicatesLeaked])
	if t[metric.DuplicatesLeaked] > 0 {
		leakStyle = st.Bad
		leakTail = "⚠ " + leakTail
	} else {
		leakTail = "✓ none"
	}
	out = append(out,
		row("injected", t[metric.DuplicatesInjected], st.Value, "retries+bursts"),
		row("caught: ledger", t[metric.DuplicatesDroppedLambda], st.OK, share(t[metric.DuplicatesDroppedLambda])),
		row("caught: Glue", t[metric.DuplicatesDroppedGlue], st.OK, share(t[metric.DuplicatesDroppedGlue])),
		row("leaked to lake", t[metric.DuplicatesLeaked], leakStyle, leakTail),
		row("dead-lettered", t[metric.DeadLettered], st.Warn.UnsetBold(), "invalid"),
	)
	if t[metric.Expired] > 0 {
		// the one correct loss: records that outlived the stream's retention
		// (red as a whole, and marked for NO_COLOR)
		lost := st.Bad.Render(padRight("✗ lost: expired", lw) + " " + padLeft(approx(t[metric.Expired], approxT), numW))
		if tail := " past retention"; width(lost)+width(tail) <= iw {
			lost += st.Bad.Render(tail)
		}
		out = append(out, lost)
	}

	ledger := []string{
		st.Label.Render("ledger ") + metric.Human(s.Ledger.Keys) + st.Label.Render(" keys"),
		st.Label.Render("TTL ") + dur(s.Ledger.TTL),
	}
	if ih >= 10 && s.Ledger.Backend != "" {
		ledger = append(ledger, st.Muted.Render(s.Ledger.Backend))
	}
	out = append(out, joinFit(ledger, st.Muted.Render(" · "), iw))
	out = append(out, joinFit([]string{
		st.Label.Render("background ") + st.SparkDup.Render(pct(s.DuplicateRate)) + st.Label.Render(" (D: next)"),
		st.Label.Render("d: burst"),
	}, st.Muted.Render(" · "), iw))
	if ih >= 10 {
		out = append(out, p.books()...)
	}
	return out
}

// books checks the producer's and the stream's identities chained
// (metric.Identities): produced + duplicates injected = waiting at the
// producer + dropped there + in the stream + staged + dropped by the
// ledger + dead-lettered + expired.
func (p *duplicatesPane) books() []string {
	s, st := p.snap, &p.sh.st
	// checked on the materialised counts, where it holds exactly; shown
	// at the nominal volume
	m := s.Totals.Counts
	records := m[metric.Produced] + m[metric.DuplicatesInjected]
	sum := m[metric.ProducerBuffered] + m[metric.ProducerDropped] + m[metric.InFlight] + m[metric.Staged] + m[metric.DuplicatesDroppedLambda] + m[metric.DeadLettered] + m[metric.Expired]
	mark := st.OK.Render("✓ balanced")
	if sum != records {
		mark = st.Bad.Render("✗ off by " + metric.Human(records-sum))
	}
	t, sampled := s.Totals.Nominal, s.Totals.Sampled()
	n := func(v int64) string { return approx(v, sampled) }
	iw, _ := p.inner()
	expired := st.Label.Render("expired ") + n(t[metric.Expired])
	if t[metric.Expired] > 0 {
		expired = st.Bad.Render("✗ expired " + n(t[metric.Expired]) + " (lost)")
	}
	// the terms wrap (each line ending in its "+") rather than lose the
	// last ones, expired among them, off the edge
	plus := st.Label.Render(" +")
	out := wrapJoin([]string{
		st.Label.Render("books ") + mark + st.Label.Render(": produced ") + n(t[metric.Produced]) + plus,
		st.Label.Render("dups ") + n(t[metric.DuplicatesInjected]) + st.Label.Render(" ="),
	}, " ", iw)
	dropped := st.Label.Render("dropped ") + n(t[metric.ProducerDropped]) + plus
	if t[metric.ProducerDropped] > 0 {
		dropped = st.Bad.Render("✗ dropped "+n(t[metric.ProducerDropped])+" (lost)") + plus
	}
	for _, l := range wrapJoin([]string{
		st.Label.Render("waiting ") + n(t[metric.ProducerBuffered]) + plus,
		dropped,
		st.Label.Render("in stream ") + n(t[metric.InFlight]) + plus,
		st.Label.Render("staged ") + n(t[metric.Staged]) + plus,
		st.Label.Render("caught ") + n(t[metric.DuplicatesDroppedLambda]) + plus,
		st.Label.Render("dead ") + n(t[metric.DeadLettered]) + plus,
		expired,
	}, " ", iw-2) {
		out = append(out, "  "+l)
	}
	return out
}
