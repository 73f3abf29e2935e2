package ui

import (
	"strings"

	"pipesim/sim"
	"pipesim/sim/metric"

	"charm.land/lipgloss/v2"
)

// The header is one line: the title, the simulated clock, the speed asked
// for and the speed achieved, paused/running, scenario and rate, shards,
// the sample ratio when sampling, how many alarms fire, and a badge for the
// faults in force (⚡ ledger down). When the line is too narrow, segments
// switch to shorter forms and then the least useful drop out; the title and
// the clock always stay, at the left, and so does the fault badge (at its
// shortest, "⚡ 2").

// headerSeg is one segment in its forms, longest first; it shows
// forms[level], and is dropped once level runs past the last form.
type headerSeg struct {
	forms []string
	style lipgloss.Style
	level int
}

func (h *headerSeg) dropped() bool { return h.level >= len(h.forms) }
func (h *headerSeg) text() string  { return h.forms[h.level] }

// brandText is the header's left end, and all of it before the first snapshot.
const brandText = " pipesim"

func (s *Styles) header(snap *sim.Snapshot, w int) string {
	if w <= 0 {
		return ""
	}
	if snap == nil {
		return s.Header.Render(fit(brandText+" │ waiting for the engine…", w))
	}
	brand := &headerSeg{forms: []string{brandText}, style: s.Brand}
	clock := &headerSeg{
		forms: []string{
			snap.SimTime.UTC().Format("2006-01-02 15:04:05") + " UTC",
			snap.SimTime.UTC().Format("01-02 15:04:05"),
			snap.SimTime.UTC().Format("15:04:05"),
		},
		style: s.HeaderKey,
	}
	st := s.stateSeg(snap)
	scen := &headerSeg{
		forms: []string{"scenario " + scenarioShort(snap), scenarioShort(snap)},
		style: s.HeaderKey,
	}
	shards := &headerSeg{forms: []string{plural(snap.Shards, "shard")}, style: s.Header}
	if od := snap.OnDemand; od.On {
		// an on-demand stream: what it has, and where it is going
		shards.forms = []string{"on-demand " + plural(snap.Shards, "shard"), plural(snap.Shards, "shard")}
		if od.ScalesTo > 0 {
			to := "→ " + itoa(od.ScalesTo) + " at " + od.At.Format("15:04")
			shards.forms = []string{"on-demand " + plural(snap.Shards, "shard") + " " + to, itoa(snap.Shards) + " " + to, plural(snap.Shards, "shard")}
		}
	}
	samp := &headerSeg{style: s.HeaderWarn} // no forms: not shown
	if sampled(snap) {
		k := metric.Human(snap.SampleOneIn)
		samp.forms = []string{"sampled 1:" + k, "~1:" + k}
	}
	firing := 0
	for _, a := range snap.Alarms {
		if a.Firing {
			firing++
		}
	}
	alarms := &headerSeg{forms: []string{"✓ no alarm firing", "✓ no alarm"}, style: s.HeaderOK}
	if firing > 0 {
		n := plural(firing, "alarm")
		alarms = &headerSeg{forms: []string{"⚠ " + n + " firing", "⚠ " + n, "⚠ " + itoa(firing)}, style: s.HeaderBad}
	}
	elapsed := &headerSeg{forms: []string{"+" + dur(snap.SimTime.Sub(snap.Start)) + " simulated"}, style: s.Header}
	faults := &headerSeg{forms: faultBadgeForms(snap), style: s.HeaderFault}   // none: not shown
	choices := &headerSeg{forms: switchBadgeForms(snap), style: s.HeaderFault} // none: all defaults

	segs := []*headerSeg{brand, clock, st, faults, choices, scen, shards, samp, alarms, elapsed}
	const sepW = 3 // " │ "
	total := func() int {
		n := -sepW
		for _, g := range segs {
			if !g.dropped() {
				n += sepW + width(g.text())
			}
		}
		return n
	}
	// each step shortens one segment or drops it; the title is in none of
	// them, and the clock and the fault badge only shorten (to the time of
	// day and the number of faults at the least)
	type step struct {
		g        *headerSeg
		drop     bool
		from, to int // levels, once taken
	}
	var taken []step
	for _, x := range []step{
		{g: elapsed, drop: true}, {g: scen}, {g: st}, {g: alarms},
		{g: clock}, {g: clock}, {g: st}, {g: choices},
		{g: shards}, {g: shards}, {g: shards, drop: true}, // the Throughput pane counts them too
		{g: samp}, {g: faults}, {g: alarms}, {g: faults},
		{g: samp, drop: true}, {g: alarms, drop: true}, {g: faults}, {g: scen, drop: true},
		{g: faults}, {g: choices, drop: true}, {g: st, drop: true},
	} {
		if total() <= w {
			break
		}
		x.from = x.g.level
		switch {
		case x.drop:
			x.g.level = len(x.g.forms)
		case x.g.level < len(x.g.forms)-1:
			x.g.level++
		}
		x.to = x.g.level
		taken = append(taken, x)
	}
	// a late step may have freed more room than needed: give back what
	// still fits, latest first
	for i := len(taken) - 1; i >= 0; i-- {
		if x := taken[i]; x.g.level == x.to {
			x.g.level = x.from
			if total() > w {
				x.g.level = x.to
			}
		}
	}

	parts := make([]string, 0, len(segs))
	for _, g := range segs {
		if !g.dropped() {
			parts = append(parts, g.style.Render(g.text()))
		}
	}
	line := trunc(strings.Join(parts, s.Header.Render(" │ ")), w)
	if pad := w - width(line); pad > 0 {
		line += s.Header.Render(strings.Repeat(" ", pad))
	}
	return line
}

// stateSeg is running (with the speed asked for and achieved), paused,
// done or stopped.
func (s *Styles) stateSeg(snap *sim.Snapshot) *headerSeg {
	req := speed(snap.Speed)
	switch {
	case snap.Err != nil:
		return &headerSeg{forms: []string{"✖ STOPPED (error)", "✖ STOPPED"}, style: s.HeaderBad}
	case snap.Done:
		return &headerSeg{forms: []string{"■ DONE"}, style: s.HeaderKey}
	case snap.Restarting:
		return &headerSeg{forms: []string{"⟲ restarting: the run flushes, a fresh one starts", "⟲ restarting"}, style: s.HeaderWarn}
	case snap.Glue != nil && snap.Glue.Waiting:
		return &headerSeg{forms: glueWaitForms(snap), style: s.HeaderWarn}
	case snap.Paused:
		return &headerSeg{forms: []string{"‖ PAUSED " + req, "‖ PAUSED"}, style: s.HeaderWarn}
	}
	// what the machine manages, measured over the last wall second (none
	// yet in the first)
	got := "×" + compactF(snap.AchievedSpeed) + " on this machine"
	if snap.AchievedSpeed == 0 {
		got = "measuring"
	}
	if snap.Speed <= 0 {
		return &headerSeg{forms: []string{"▶ as fast as it goes · " + got, "▶ max · " + got, "▶ max"}, style: s.HeaderOK}
	}
	if snap.AchievedSpeed == 0 {
		return &headerSeg{forms: []string{"▶ " + req + " asked · " + got, "▶ " + req}, style: s.HeaderOK}
	}
	// just after slowing down the measure is still the faster speed's,
	// which the machine did not fall short of
	achieved := min(snap.AchievedSpeed, snap.Speed)
	got = "×" + compactF(achieved) + " on this machine"
	if snap.AchievedSpeed < 0.9*snap.Speed {
		return &headerSeg{
			forms: []string{"▶ " + req + " asked · " + got, "▶ ×" + compactF(achieved) + " of " + req},
			style: s.HeaderWarn,
		}
	}
	return &headerSeg{forms: []string{"▶ " + req + " asked · " + got, "▶ " + req}, style: s.HeaderOK}
}

// scenarioShort is "1M/h" when the scenario is named after its rate, or
// "1M · 2M/h" once the rate was changed away from it.
func scenarioShort(s *sim.Snapshot) string {
	r := metric.Rate(s.RatePerHour)
	if s.Scenario == "" || r == s.Scenario+"/h" {
		return r
	}
	return s.Scenario + " · " + r
}
