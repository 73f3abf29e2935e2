package ui

import (
	"strings"

	"pipesim/sim"
	"pipesim/sim/metric"
)

// costPane: what the pipeline costs at list prices, a month at the
// recent rate, a bar per stage (its share of the whole), the biggest
// named, and the bill so far. It moves with every key that changes the
// rate, the shards or a design choice.
type costPane struct{ listPane }

func newCostPane(sh *shared) *costPane {
	p := &costPane{listPane{base: base{sh: sh}}}
	p.body = p.lines
	return p
}

func (p *costPane) View() string {
	if p.snap == nil {
		return p.waiting("Cost")
	}
	m := p.snap.Cost.PerMonth
	mark := ""
	if sampled(p.snap) {
		mark = "~"
	}
	month, hour := mark+metric.USD(m.Total())+"/mo", mark+metric.USD(m.Total()/sim.HoursPerMonth)+"/h"
	info := firstFitting([]string{hour + " · " + month, month}, p.w-2-width("Cost")-7)
	return p.list("Cost", info, p.lines())
}

// stageLabels are how the bill's stages read on screen.
var stageLabels = map[sim.Stage]string{sim.StageS3Requests: "s3 requests", sim.StageS3Storage: "s3 storage"}

func stageLabel(s sim.Stage) string {
	if l, ok := stageLabels[s]; ok {
		return l
	}
	return s.Key()
}

func (p *costPane) lines() []string {
	s := p.snap
	if s == nil {
		return nil
	}
	st := &p.sh.st
	iw, _ := p.inner()
	c := s.Cost
	total := c.PerMonth.Total()
	if total == 0 {
		return []string{st.Muted.Render(fit("nothing billed yet", iw))}
	}
	const lw = 11
	valW := 0
	for _, v := range c.PerMonth {
		valW = max(valW, width(metric.USD(v)))
	}
	barW := iw - lw - 1 - valW - 1 // the bar goes first when narrow
	var out []string
	for _, stage := range sim.Stages() {
		v := c.PerMonth[stage]
		line := st.Label.Render(padRight(stageLabel(stage), lw)) + " "
		if barW >= 4 {
			fill, cells := hbar(v/total, barW)
			line += st.Accent.Render(fill) + st.BarEmpty.Render(strings.Repeat("·", barW-cells)) + " "
		}
		out = append(out, line+padLeft(metric.USD(v), valW))
	}
	big := c.PerMonth.Biggest()
	out = append(out,
		st.Strong.Render(fit(stageLabel(big)+": "+pct(c.PerMonth[big]/total)+" of the bill", iw)),
		st.Label.Render(fit("so far "+metric.USD(c.USD.Total())+" · "+c.AsOf+" prices", iw)),
	)
	return out
}
