package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"pipesim/sim"
)

// The header is one line: the simulated clock, the speed asked for and
// the speed achieved, paused/running, scenario and rate, shards, the sample
// ratio when sampling, and how many alarms fire. When the line is too
// narrow, segments switch to short forms and the least useful drop out.

type headerSeg struct {
	long, short string
	style       lipgloss.Style
	useShort    bool
	dropped     bool
}

func (h *headerSeg) text() string {
	if h.useShort {
		return h.short
	}
	return h.long
}

func (s *Styles) header(snap *sim.Snapshot, w int) string {
	if w <= 0 {
		return ""
	}
	sep := s.Header.Render(" │ ")
	brand := &headerSeg{long: " pipesim ", style: s.Brand}
	if snap == nil {
		return s.Header.Render(fit(brand.long+"  waiting for the engine…", w))
	}

	clock := &headerSeg{
		long:  snap.SimTime.UTC().Format("2006-01-02 15:04:05") + " UTC",
		short: snap.SimTime.UTC().Format("01-02 15:04:05"),
		style: s.HeaderKey,
	}

	// state and speed
	st := &headerSeg{style: s.HeaderOK}
	req := speed(snap.Speed)
	got := "×" + compactF(snap.AchievedSpeed)
	behind := snap.Speed <= 0 || snap.AchievedSpeed < 0.9*snap.Speed
	switch {
	case snap.Err != nil:
		st.long, st.short, st.style = "✖ STOPPED (error)", "✖ STOPPED", s.HeaderBad
	case snap.Done:
		st.long, st.short, st.style = "■ DONE", "■ DONE", s.HeaderKey
	case snap.Paused:
		st.long, st.short, st.style = "‖ PAUSED "+req, "‖ PAUSED", s.HeaderWarn
	default:
		st.long = "▶ " + req + " · achieved " + got
		st.short = "▶ " + req + " (" + got + ")"
		if behind && snap.Speed > 0 {
			st.style = s.HeaderWarn
			st.long += " (behind)"
			st.short = "▶ " + req + " (" + got + "!)"
		}
	}

	scen := &headerSeg{
		long:  "scenario " + snap.Scenario + " · " + rate(snap.RatePerHour),
		short: scenarioShort(snap),
		style: s.HeaderKey,
	}
	shardWord := " shards"
	if snap.Shards == 1 {
		shardWord = " shard"
	}
	shards := &headerSeg{long: itoa(snap.Shards) + shardWord, short: itoa(snap.Shards) + "sh", style: s.Header}

	var samp *headerSeg
	if sampled(snap) {
		k := human(scale(snap))
		samp = &headerSeg{long: "sampled 1:" + k, short: "~1:" + k, style: s.HeaderWarn}
	}

	firing := 0
	for _, a := range snap.Alarms {
		if a.Firing {
			firing++
		}
	}
	alarms := &headerSeg{long: "✓ no alarm firing", short: "✓ alarms", style: s.HeaderOK}
	if firing > 0 {
		word := " alarms"
		if firing == 1 {
			word = " alarm"
		}
		alarms = &headerSeg{long: "⚠ " + itoa(firing) + word + " firing", short: "⚠ " + itoa(firing) + word, style: s.HeaderBad}
	}
	elapsed := &headerSeg{long: "+" + dur(snap.SimTime.Sub(snap.Start)) + " simulated", style: s.Header}

	segs := []*headerSeg{brand, clock, st, scen, shards}
	if samp != nil {
		segs = append(segs, samp)
	}
	segs = append(segs, alarms, elapsed)

	total := func() int {
		n, first := 0, true
		for _, g := range segs {
			if g.dropped {
				continue
			}
			if !first {
				n += 3
			}
			first = false
			n += width(g.text())
		}
		return n
	}
	steps := []func(){
		func() { elapsed.dropped = true },
		func() { scen.useShort = true },
		func() { clock.useShort = true },
		func() { st.useShort = true },
		func() { alarms.useShort = true },
		func() { brand.dropped = true },
		func() { shards.useShort = true },
		func() {
			if samp != nil {
				samp.useShort = true
			}
		},
	}
	for _, step := range steps {
		if total() <= w {
			break
		}
		step()
	}

	var b strings.Builder
	first := true
	for _, g := range segs {
		if g.dropped {
			continue
		}
		if !first {
			b.WriteString(sep)
		}
		first = false
		b.WriteString(g.style.Render(g.text()))
	}
	line := b.String()
	if width(line) > w {
		line = trunc(line, w)
	}
	if pad := w - width(line); pad > 0 {
		line += s.Header.Render(strings.Repeat(" ", pad))
	}
	return line
}

// scenarioShort is "1M/h" when the scenario is named after its rate, or
// "1M · 2M/h" once the rate was changed away from it.
func scenarioShort(s *sim.Snapshot) string {
	r := rate(s.RatePerHour)
	if s.Scenario == "" || r == s.Scenario+"/h" {
		return r
	}
	return s.Scenario + " · " + r
}
