package ui

import (
	"strings"

	"pipesim/sim"
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
	// the background retry share is of events; the rate below is of the
	// records Lambda read, copies included (20% of events re-sent 1–3
	// times is some 29% of reads)
	rate := pct(p.snap.DuplicateRate)
	info := firstFitting([]string{rate + " of events re-sent", "re-sent " + rate}, p.w-2-width("Duplicates")-7)
	return p.list("Duplicates", info, p.lines())
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
		st.Label.Render(padRight("dups % of reads", lw)) + " " + st.SparkDup.Render(sparklineFloor(vals, sw, 0.05)) + " " + padLeft(pct(last), valW),
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
	// where the injected copies are: these rows add up to the first
	out = append(out,
		row("injected", t[metric.DuplicatesInjected], st.Value, "retries+bursts"),
		row("caught: ledger", t[metric.DuplicatesDroppedLambda], st.OK, share(t[metric.DuplicatesDroppedLambda])),
		row("caught: Glue", t[metric.DuplicatesDroppedGlue], st.OK, share(t[metric.DuplicatesDroppedGlue])),
		row("leaked to lake", t[metric.DuplicatesLeaked], leakStyle, leakTail),
	)
	// not resolved yet: in the buffer or the stream, or staged for Glue
	// (or standing in for a lost original)
	if way, staged := t[metric.DuplicatesOnTheWay], t[metric.DuplicatesUnresolved]; way != 0 || staged != 0 {
		n := way + staged
		r := row("not yet", n, st.Value, share(n)+" · "+approx(way, approxT)+" moving, "+approx(staged, approxT)+" staged")
		if width(r) <= width(row("not yet", n, st.Value, "")) { // the long tail did not fit
			r = row("not yet", n, st.Value, share(n))
		}
		out = append(out, r)
	}
	if n := t[metric.DuplicatesLost]; n != 0 {
		// copies lost with everything else (dropped, expired) or rejected
		// as bad lines: a share of the copies, not of all records
		out = append(out, row("copies lost", n, st.Bad, share(n)+" of copies"))
	}
	if t[metric.Expired] > 0 {
		// records (of any kind) that outlived the stream's retention: a
		// loss, red as a whole and marked for NO_COLOR, before the rest
		lost := st.Bad.Render(padRight("✗ lost: expired", lw) + " " + padLeft(approx(t[metric.Expired], approxT), numW))
		if tail := " past retention"; width(lost)+width(tail) <= iw {
			lost += st.Bad.Render(tail)
		}
		out = append(out, lost)
	}

	out = append(out, p.books()...)

	ledger := []string{
		st.Label.Render("ledger ") + metric.Human(s.Ledger.Keys) + st.Label.Render(keysLabel(s)),
		st.Label.Render("TTL ") + dur(s.Ledger.TTL),
	}
	if ih >= 10 && s.Ledger.Backend != "" {
		ledger = append(ledger, st.Muted.Render(s.Ledger.Backend))
	}
	out = append(out, joinFit(ledger, st.Muted.Render(" · "), iw))
	out = append(out, joinFit([]string{
		st.Label.Render("re-sent ") + st.SparkDup.Render(pct(s.DuplicateRate)) + st.Label.Render(" of events (D: next)"),
		st.Label.Render("d: burst"),
	}, st.Muted.Render(" · "), iw))

	return out
}

// books checks the identities the engine declares (metric.Identities) on
// the materialised counts, where they hold exactly: every record is in
// the producer, the stream, staging, the lake or a counted loss. The
// verdict and what was lost, on one line where it fits, else each loss
// on a line of its own: a loss is never cut for room.
func (p *duplicatesPane) books() []string {
	s, st := p.snap, &p.sh.st
	mark := st.OK.Render("✓ balanced")
	for _, id := range metric.Identities {
		if whole, parts := id.Sides(s.Totals.Counts); whole != parts {
			mark = st.Bad.Render("✗ " + id.Name + " off by " + metric.Human(whole-parts))
			break
		}
	}
	t, sampled := s.Totals.Nominal, s.Totals.Sampled()
	var losses []string
	if n := t[metric.ProducerDropped]; n > 0 {
		losses = append(losses, st.Bad.Render("✗ producer dropped "+approx(n, sampled)))
	}
	if n := t[metric.Expired]; n > 0 {
		losses = append(losses, st.Bad.Render("✗ stream expired "+approx(n, sampled)))
	}
	books := st.Label.Render("books ") + mark
	if len(losses) == 0 {
		losses = []string{st.Label.Render("nothing lost")}
	}
	iw, _ := p.inner()
	sep := st.Muted.Render(" · ")
	if line := strings.Join(append([]string{books}, losses...), sep); width(line) <= iw {
		return []string{line}
	}
	out := []string{books}
	for _, l := range losses {
		out = append(out, trunc(l, iw))
	}
	return out
}

// keysLabel says what the ledger's key count is: the uuids Redis holds,
// which when sampled are the sampled ones only (the full stream would
// hold about SampleOneIn times as many).
func keysLabel(s *sim.Snapshot) string {
	if sampled(s) {
		return " sampled keys"
	}
	return " keys"
}
