package ui

import (
	"cmp"
	"math"
	"strings"
	"time"

	"pipesim/sim"
	"pipesim/sim/metric"
)

// The presenter's view (--present, z) is the dashboard for a room: six
// figures, big enough to read from the back, the one the last key is about
// highlighted, each showing what it was before that key for a while, and
// on the status line the last action and what it did, before → after.

// The figures, by id.
const (
	cardLoad      = "load"
	cardThrottled = "throttled"
	cardAge       = "age"
	cardLeaked    = "leaked"
	cardFiles     = "files"
	cardCost      = "cost"
)

// changeShows is how long a card says what it was before a key (wall time:
// it is for the room's eyes, the simulation does not see it).
const changeShows = 12 * time.Second

// card is one figure: prefix and unit are drawn small around the figure,
// which is drawn in the big font.
type card struct {
	id, label, short     string // short names it on the action line
	prefix, figure, unit string
	sub, subShort        string // what it means; the short form where that is too wide
	bad                  bool
	value                float64 // the figure as a number, to tell a change from a wobble
}

func (c card) text() string { return c.prefix + c.figure + c.unit }

// presenter is the view's state: the last key and every figure as it was
// when it was pressed.
type presenter struct {
	on     bool
	key    string // as typed
	focus  string // the card it is about, "" for none
	said   string // what the status line said of it, last
	before map[string]card
	at     time.Time

	of    *sim.Snapshot // the snapshot cards were drawn from
	drawn []card
}

// cards are the snapshot's figures, drawn once per snapshot (the view
// and the action line both read them every frame).
func (p *presenter) cards(s *sim.Snapshot) []card {
	if s != p.of {
		p.of, p.drawn = s, presentCards(s)
	}
	return p.drawn
}

// pressed notes keys that sent commands, the figure they are about and
// every figure before them.
func (p *presenter) pressed(k, focus string, s *sim.Snapshot, at time.Time) {
	p.key, p.focus, p.said, p.at = k, focus, "", at
	p.before = map[string]card{}
	if s != nil {
		for _, c := range p.cards(s) {
			p.before[c.id] = c
		}
	}
}

// cardFor is the figure a command is about.
func cardFor(c sim.Command) string {
	switch c.Kind {
	case sim.CmdRateUp, sim.CmdRateDown, sim.CmdScenario:
		return cardLoad
	case sim.CmdShardsUp, sim.CmdShardsDown:
		return cardThrottled
	case sim.CmdInjectBurst, sim.CmdCycleDuplicateRate:
		return cardLeaked
	case sim.CmdCompact:
		return cardFiles
	case sim.CmdToggleFault:
		for _, f := range toggleFaults {
			if f.kind == c.Fault {
				return f.card
			}
		}
	case sim.CmdCycleSwitch:
		for _, s := range switchKeys {
			if s.config == c.Arg {
				return s.card
			}
		}
	}
	return ""
}

// presentCards are the six figures of a snapshot, nominal ("~" where a
// sample's are scaled).
func presentCards(s *sim.Snapshot) []card {
	approx := ""
	if sampled(s) {
		approx = "~"
	}
	load := card{id: cardLoad, label: "events in", short: "in", prefix: approx,
		sub: metric.Rate(s.RatePerHour) + " · " + plural(s.Shards, "shard"), value: s.Load.Records}
	load.figure, load.unit = splitFigure(perSecond(s.Load.Records))
	load.unit += "/s"

	var minute metric.Counts
	if ms := completeMinutes(s); len(ms) > 0 {
		minute = ms[len(ms)-1].Nominal
	}
	throttled := card{id: cardThrottled, label: "throttled", short: "throttled", prefix: approx,
		sub: "of " + metric.Human(minute[metric.Sent]) + " put", bad: minute[metric.Throttled] > 0,
		value: float64(minute[metric.Throttled])}
	throttled.figure, throttled.unit = splitFigure(metric.Human(minute[metric.Throttled]))
	throttled.unit += "/min"

	age := card{id: cardAge, label: "iterator age", short: "iterator age",
		sub: "oldest unread record", bad: s.Lambda.IteratorAge > time.Minute,
		value: s.Lambda.IteratorAge.Seconds()}
	age.figure, age.unit = ageFigure(s.Lambda.IteratorAge)

	t := s.Totals.Nominal
	leaked := card{id: cardLeaked, label: "duplicates leaked", short: "leaked", prefix: approx,
		sub: "caught " + metric.Human(t[metric.DuplicatesDroppedLambda]) + " · Glue " + metric.Human(t[metric.DuplicatesDroppedGlue]),
		bad: t[metric.DuplicatesLeaked] > 0, value: float64(t[metric.DuplicatesLeaked])}
	leaked.figure, leaked.unit = splitFigure(metric.Human(t[metric.DuplicatesLeaked]))

	files, _, _, _ := lakeTotals(s)
	lake := card{id: cardFiles, label: "Parquet files", short: "Parquet files", value: float64(files)}
	lake.figure, lake.unit = splitFigure(metric.Human(files))
	var n [3]int
	for _, pp := range s.Processed {
		c := s.FileBand.Count(pp.Files)
		for i := range n {
			n[i] += c[i]
		}
	}
	switch {
	case files > 0:
		var parts []string
		for c, k := range n {
			if k > 0 {
				parts = append(parts, metric.Human(int64(k))+" "+sizeWord(sim.SizeClass(c)))
			}
		}
		lake.sub = strings.Join(parts, " · ") + " (" + bandText(s.FileBand) + ")"
		lake.subShort = strings.Join(parts, " · ")
		lake.bad = n[sim.InBand] < n[sim.BelowBand]+n[sim.AboveBand]
	case !s.NextGlueRun.IsZero():
		lake.sub = "next Glue run " + s.NextGlueRun.Format("15:04")
	}

	month := s.Cost.PerMonth
	cost := card{id: cardCost, label: "cost a month", short: "cost", prefix: "$", value: month.Total()}
	cost.figure, cost.unit = splitFigure(compactF(month.Total()))
	cost.unit += "/mo"
	if month.Total() > 0 {
		big := month.Biggest()
		cost.sub = stageLabel(big) + " " + pct(month[big]/month.Total()) + " of it"
	}
	return []card{load, throttled, age, leaked, lake, cost}
}

// splitFigure cuts a formatted number into what the big font draws and the
// suffix drawn small: "12.4k" is "12.4" and "k".
func splitFigure(s string) (figure, unit string) {
	i := strings.IndexFunc(s, func(r rune) bool { _, ok := bigGlyphs[r]; return !ok })
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// ageFigure is a wait in the unit that keeps its figure short.
func ageFigure(d time.Duration) (figure, unit string) {
	switch {
	case d < 100*time.Second:
		return itoa(int(d / time.Second)), "s"
	case d < 100*time.Minute:
		return compactF(d.Minutes()), "min"
	}
	return compactF(d.Hours()), "h"
}

// view is the body of the screen, w×h: the cards, three to a row.
func (p *presenter) view(st *Styles, s *sim.Snapshot, w, h int, at time.Time) []string {
	if s == nil {
		return []string{st.Muted.Render("waiting for the engine…")}
	}
	cards := p.cards(s)
	const cols = 3
	rows := (len(cards) + cols - 1) / cols
	// every card in the same font, the biggest that fits them all
	scale := 2
	for ; scale > 0; scale-- {
		fits := true
		for _, c := range cards {
			fits = fits && c.fits(scale, w/cols-2, h/rows-2)
		}
		if fits {
			break
		}
	}
	out := make([]string, 0, h)
	for r := range rows {
		ch := h / rows
		if r == rows-1 {
			ch = h - ch*(rows-1)
		}
		boxes := make([][]string, cols)
		for c := range cols {
			cw := w / cols
			if c == cols-1 {
				cw = w - cw*(cols-1)
			}
			boxes[c] = strings.Split(p.cardView(st, cards[r*cols+c], scale, cw, ch, at), "\n")
		}
		for y := range ch {
			var b strings.Builder
			for c := range cols {
				if y < len(boxes[c]) {
					b.WriteString(boxes[c][y])
				}
			}
			out = append(out, b.String())
		}
	}
	return out
}

// fits says whether the card's figure fits iw×ih in the font at scale,
// with a line for what it means and one for what it was.
func (c card) fits(scale, iw, ih int) bool {
	rows, ok := bigRows(c.figure, scale)
	return ok && len(rows)+2 <= ih && width(c.prefix)+width(rows[0])+width(c.unit) <= iw
}

// cardView draws one card w×h: its label as the frame's title, the figure
// in the font at scale (0: plain text), what it means under it, and what
// it was before the last key while that is news.
func (p *presenter) cardView(st *Styles, c card, scale, w, h int, at time.Time) string {
	iw, ih := max(w-2, 0), max(h-2, 0)
	figure := st.Strong
	if c.bad {
		figure = st.Bad
	}
	rows, ok := bigRows(c.figure, scale)
	if scale == 0 || !ok {
		rows = []string{c.figure}
	}
	var lines []string
	for i, r := range rows {
		left, right := strings.Repeat(" ", width(c.prefix)), strings.Repeat(" ", width(c.unit))
		if i == len(rows)-1 {
			left, right = st.Label.Render(c.prefix), st.Label.Render(c.unit)
		}
		lines = append(lines, centre(left+figure.Render(r)+right, iw))
	}
	if was, ok := p.changed(c); ok && at.Sub(p.at) < changeShows {
		lines = append(lines, centre(st.Accent.Render("was "+was), iw))
	}
	lines = append(lines, centre(st.Label.Render(firstFitting([]string{c.sub, cmp.Or(c.subShort, c.sub)}, iw)), iw))
	pad := max((ih-len(lines))/2, 0)
	lines = append(make([]string, pad), lines...)
	return st.frame(c.label, "", "", lines, w, h, p.focus == c.id && p.key != "")
}

// actionLine is the status line: the last key, what it did, and every
// figure it changed, before → after.
func (p *presenter) actionLine(s *sim.Snapshot) string {
	if p.key == "" {
		return "z leaves the presenter's view · ? every key"
	}
	line := p.key + " → " + strings.TrimPrefix(strings.TrimPrefix(p.said, "✓ "), "» ")
	if s == nil {
		return line
	}
	for _, c := range p.cards(s) {
		if was, ok := p.changed(c); ok {
			line += " · " + c.short + " " + was + " → " + c.text()
		}
	}
	return line
}

// changed is what a figure was before the last key, if the key changed
// it: the figure the key is about whenever it moved, the others only when
// they moved far (a quarter, or to or from nothing), not with the
// ordinary wobble of a live pipeline.
func (p *presenter) changed(c card) (was string, ok bool) {
	b, ok := p.before[c.id]
	if !ok || b.text() == c.text() || b.value == c.value {
		return "", false
	}
	if c.id == p.focus || b.value == 0 || c.value == 0 {
		return b.text(), true
	}
	return b.text(), math.Abs(c.value-b.value) > 0.25*math.Abs(b.value)
}

// centre puts a line in the middle of w columns (cut to fit).
func centre(s string, w int) string {
	return fit(strings.Repeat(" ", max(w-width(s), 0)/2)+s, w)
}
