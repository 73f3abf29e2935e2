package ui

import (
	"strconv"
	"strings"
	"time"

	"pipesim/sim"
	"pipesim/sim/metric"

	"charm.land/lipgloss/v2"
)

// throughputPane: Kinesis and Lambda over the last simulated minutes, and
// each shard's write load against its limits (1,000 records/s, 1 MiB/s), so
// that "one shard carries 1M/h but not 1B/h" shows at a glance.
type throughputPane struct{ listPane }

func newThroughputPane(sh *shared) *throughputPane {
	p := &throughputPane{listPane{base: base{sh: sh}}}
	p.body = p.lines
	return p
}

func (p *throughputPane) View() string {
	if p.snap == nil {
		return p.waiting("Throughput")
	}
	ms := completeMinutes(p.snap)
	info := ""
	if len(ms) > 0 {
		info = "last " + itoa(min(len(ms), p.sparkWidth())) + " min"
	}
	return p.list("Throughput", info, p.lines())
}

// labelW is the width of the left label column.
const labelW = 9

// sparkWidth is the room left for a chart after label and value columns.
func (p *throughputPane) sparkWidth() int {
	iw, _ := p.inner()
	return max(iw-labelW-1-p.valueW()-1, 4)
}

func (p *throughputPane) valueW() int {
	iw, _ := p.inner()
	switch {
	case iw >= 60:
		return 13
	case p.snap != nil && sampled(p.snap):
		return 12 // "~24.6 MB/min"
	}
	return 11
}

func (p *throughputPane) lines() []string {
	s := p.snap
	if s == nil {
		return nil
	}
	st := &p.sh.st
	iw, ih := p.inner()
	ms := completeMinutes(s)
	sw, vw := p.sparkWidth(), p.valueW()

	// each minute at the nominal volume; the newest formatted
	series := func(c metric.Counter, bytes bool) ([]float64, string) {
		vals := make([]float64, len(ms))
		last := "–"
		for i, m := range ms {
			vals[i] = float64(m.Nominal[c])
			if bytes {
				last = minuteBytes(m, c)
			} else {
				last = minuteCount(m, c)
			}
		}
		return vals, last
	}
	row := func(label string, style lipgloss.Style, vals []float64, value string) string {
		return st.Label.Render(padRight(label, labelW)) + " " +
			style.Render(sparkline(vals, sw)) + " " + padLeft(value, vw)
	}
	perMin := "/min"

	var out []string
	// what the app offers (events and the copies its SDKs re-send), what
	// the stream accepts, and what the producer loses
	offered := make([]float64, len(ms))
	lastOffered := "–"
	var lost []float64
	lastLost := ""
	for i, m := range ms {
		offered[i] = float64(m.Nominal[metric.Produced] + m.Nominal[metric.DuplicatesInjected])
		lastOffered = approx(m.Nominal[metric.Produced]+m.Nominal[metric.DuplicatesInjected], m.SampleOneIn > 1)
		if m.Nominal[metric.ProducerDropped] > 0 && lost == nil {
			lost = make([]float64, len(ms))
		}
	}
	out = append(out, row("offered", st.SparkPut, offered, lastOffered+perMin))
	put, lastPut := series(metric.Sent, false)
	out = append(out, row("put", st.SparkPut, put, lastPut+perMin))
	thr, lastThr := series(metric.Throttled, false)
	thrVal := lastThr + perMin
	if len(ms) > 0 && ms[len(ms)-1].Counts[metric.Throttled] > 0 {
		thrVal = st.Bad.Render(thrVal)
	}
	out = append(out, row("throttled", st.SparkThrottle, thr, thrVal))
	if lost != nil {
		// shown once the producer has lost events in the window: a loss
		lost, lastLost = series(metric.ProducerDropped, false)
		out = append(out, row("dropped", st.Bad, lost, st.Bad.Render(lastLost+perMin))) // the producer's, as the books say
	}
	if s.ShardsNeeded > s.Shards {
		// too few shards is the story: high up, so that it never scrolls away
		needs := "needs " + plural(s.ShardsNeeded, "shard") + " · has " + itoa(s.Shards)
		if s.ShardsAtPeak > s.ShardsNeeded {
			needs += " · " + itoa(s.ShardsAtPeak) + " at peak"
		}
		out = append(out, st.Label.Render(padRight("stream", labelW))+" "+st.Bad.Render(fit(needs, iw-labelW-1)))
	}
	if s.HotShard != "" {
		// the advice above counts shards; a hot key is not fixed by more
		out = append(out, st.Label.Render(padRight("hot key", labelW))+" "+
			st.Bad.Render(fit("#"+shardNo(s.HotShard)+" is full, the stream under half: more shards won't cool it", iw-labelW-1)))
	}
	var blocked []string
	for _, u := range s.ShardUse {
		if !u.FailingSince.IsZero() {
			blocked = append(blocked, "#"+shardNo(u.ID)+" since "+u.FailingSince.Format("15:04:05"))
		}
	}
	if len(blocked) > 0 {
		// a batch that keeps throwing is the story: high up, like too few shards
		out = append(out, st.Label.Render(padRight("blocked", labelW))+" "+
			st.Bad.Render(fit(strings.Join(blocked, ", "), iw-labelW-1)))
	}
	if n := s.Totals.Nominal[metric.DiscardedOnFailure]; n > 0 {
		// given up on by the event-source mapping: lost, unless the
		// destination kept where they were
		kept := s.Totals.Nominal[metric.DiscardedKept]
		text := approx(n, sampled(s)) + " lost, none kept"
		if kept > 0 {
			text = approx(n, sampled(s)) + " · " + approx(kept, sampled(s)) + " ranges kept: re-readable until retention"
		}
		style := st.Bad
		if kept == n {
			style = st.Warn
		}
		out = append(out, st.Label.Render(padRight("discard", labelW))+" "+style.Render(fit(text, iw-labelW-1)))
	}
	reader, read := "lambda", metric.LambdaRecords
	if s.Firehose.On {
		reader, read = "firehose", metric.FirehoseRecords
	}
	lam, lastLam := series(read, false)
	out = append(out, row(reader, st.SparkLambda, lam, lastLam+perMin))
	byt, lastByt := series(metric.SentBytes, true)
	out = append(out, row("bytes", st.SparkBytes, byt, lastByt+perMin))
	if s.Firehose.On && (ih >= 12 || (ih >= 10 && len(s.ShardUse) <= 1)) {
		del, lastDel := series(metric.FirehoseDeliveries, false)
		out = append(out, row("delivers", st.SparkLambda, del, lastDel+perMin))
	} else if ih >= 12 || (ih >= 10 && len(s.ShardUse) <= 1) {
		inv, lastInv := series(metric.LambdaInvocations, false)
		out = append(out, row("invokes", st.SparkLambda, inv, lastInv+perMin))
		age := make([]float64, len(ms))
		var lastAge time.Duration
		for i, m := range ms {
			age[i] = float64(m.IteratorAgeMax)
			lastAge = m.IteratorAgeMax
		}
		out = append(out, row("iter age", st.SparkAge, age, "max "+dur(lastAge)))
	}

	shard := p.shardLines(iw)
	// the λ line goes before the load line: it matters more when space is short
	out = append(out, shard[:len(shard)-1]...)
	reading := p.lambdaLine(iw)
	if s.Firehose.On {
		reading = p.firehoseLine(iw)
	}
	out = append(out, reading, shard[len(shard)-1])
	if len(s.ShardUse) > 0 && ih >= 10 {
		out = append(out, p.perShard(iw)...)
	}
	return out
}

// shardLines: the busiest shard's records and bytes against the limits,
// with the average and, for many shards, a strip of one block per shard.
func (p *throughputPane) shardLines(iw int) []string {
	s, st := p.snap, &p.sh.st
	n := len(s.ShardUse)
	if n == 0 {
		return []string{st.Muted.Render("no shard load reported")}
	}
	var maxRec, maxByt, sumRec, sumByt float64
	var refused int64
	full := 0
	for _, u := range s.ShardUse {
		maxRec = maxF(maxRec, u.RecordsUse)
		maxByt = maxF(maxByt, u.BytesUse)
		sumRec += u.RecordsUse
		sumByt += u.BytesUse
		refused += u.RefusedPerSec
		if u.Refused {
			full++
		}
	}
	// a shard is full when it refused puts, whatever its average says
	tail := func(maxV, avg float64) string {
		t := padLeft(pct(maxV), 4)
		switch {
		case full > 0 && maxV >= 0.9:
			t += " FULL"
		case maxV >= 0.8:
			t += " near"
		}
		switch {
		case n > 1 && s.ShardsAlike && full == 0:
			// too few sampled records to tell shards apart: each is
			// shown at the stream's average
			t = "~" + pct(avg) + " each"
		case n > 1:
			t = "max " + t + " avg " + pct(avg)
		}
		return t
	}
	// the labels are the per-shard limits the bars measure against
	label, bytesLabel := limitLabels(s.ShardLimit)
	tailW := 9
	if n > 1 {
		tailW = 22
	}
	barW := max(iw-labelW-1-tailW-1, 4)
	bar := func(v float64) string {
		fill, cells := hbar(v, barW)
		return st.use(v).Render(fill) + st.BarEmpty.Render(strings.Repeat("·", barW-cells))
	}
	line := func(l string, v, avg float64) string {
		t := tail(v, avg)
		return st.Label.Render(padRight(l, labelW)) + " " + bar(v) + " " + st.use(v).Render(t)
	}
	out := []string{
		line(label, maxRec, sumRec/float64(n)),
		line(bytesLabel, maxByt, sumByt/float64(n)),
	}
	if n > 1 {
		uses := make([]float64, n)
		for i, u := range s.ShardUse {
			uses[i] = maxF(u.RecordsUse, u.BytesUse)
		}
		cells := strip(uses, max(iw-labelW-1-15, 4)) // room for " 2400/2400 full"
		var b strings.Builder
		for _, v := range cells {
			b.WriteString(st.use(v).Render(string(level(v))))
		}
		// the header drops its shard count first when narrow: say it here
		note := " " + st.Label.Render(itoa(n)+" shards")
		if full > 0 {
			note = " " + st.Bad.Render(itoa(full)+"/"+itoa(n)+" full")
		}
		out = append(out, st.Label.Render(padRight("per shard", labelW))+" "+b.String()+note)
	}
	mark := ""
	if sampled(s) {
		mark = "~" // a sample's load, scaled
	}
	load := st.Label.Render(padRight("load", labelW)) + " " + mark + perSecond(s.Load.Records) + st.Label.Render(" rec/s · ") +
		mark + metric.BytesSI(int64(s.Load.Bytes)) + st.Label.Render("/s")
	if n > 1 {
		load += st.Label.Render(" over " + itoa(n) + " shards")
	}
	if refused > 0 {
		load += " · " + st.Bad.Render("refusing "+metric.Human(refused)+" puts/s")
	}
	if w := s.ShardWindow; w > time.Minute {
		load += st.Muted.Render(" · " + itoa(int(w/time.Minute)) + "-min avg")
	}
	if b := s.Totals.Nominal[metric.ProducerBuffered]; b > 0 {
		load += " · " + st.Bad.Render("waiting "+approx(b, sampled(s)))
	}
	return append(out, load)
}

// lambdaLine: invocations, concurrency, iterator age and backlog.
func (p *throughputPane) lambdaLine(iw int) string {
	s, st := p.snap, &p.sh.st
	var backlog int64
	for _, u := range s.ShardUse {
		backlog += u.NominalBacklog
	}
	// iterator age is what a stalled consumer (ledger down, Lambda
	// stopped) shows first: from a minute old it is red and marked
	age := st.Label.Render("age ") + st.Strong.Render(dur(s.Lambda.IteratorAge))
	if s.Lambda.IteratorAge >= time.Minute {
		age = st.Bad.Render("⚠ age " + dur(s.Lambda.IteratorAge))
	}
	parts := []string{
		st.Label.Render("λ") + " " + approx(s.Lambda.InvocationsPerMin, sampled(s)) + st.Label.Render(" inv/min"),
		age,
		st.Label.Render("conc ") + itoa(s.Lambda.Concurrency),
		st.Label.Render("backlog ") + approx(backlog, sampled(s)),
	}
	if s.ShardsNeeded <= s.Shards { // else a line of its own says so
		needs := plural(s.Shards, "shard") + ", needs " + itoa(s.ShardsNeeded)
		if s.ShardsAtPeak > s.ShardsNeeded {
			needs += ", " + itoa(s.ShardsAtPeak) + " at peak"
		}
		parts = append(parts, st.Label.Render(needs))
	}
	return joinFit(parts, st.Muted.Render(" · "), iw)
}

// firehoseLine: the delivery stream's buffer against the two hints, the
// first of which delivers it.
func (p *throughputPane) firehoseLine(iw int) string {
	s, st := p.snap, &p.sh.st
	f := s.Firehose
	parts := []string{
		st.Label.Render("buffer ") + st.Strong.Render(approxBytes(f.Buffered, sampled(s))) + st.Label.Render(" of "+metric.BytesSI(f.Size)),
		st.Label.Render("waited ") + st.Strong.Render(dur(f.Waited)) + st.Label.Render(" of "+dur(f.Interval)),
		st.Label.Render("longest ") + dur(f.LongestWait),
	}
	return joinFit(parts, st.Muted.Render(" · "), iw)
}

// shardNo is a shard's number: shardId-000000000007 is 7.
func shardNo(id string) string {
	n := strings.TrimLeft(strings.TrimPrefix(id, "shardId-"), "0")
	if n == "" {
		return "0"
	}
	return n
}

// perShard lists every shard when the pane is tall enough.
func (p *throughputPane) perShard(iw int) []string {
	s, st := p.snap, &p.sh.st
	out := make([]string, 0, len(s.ShardUse))
	barW := clamp((iw-40)/2, 4, 20)
	out = append(out, st.Label.Render(padRight("shard", 6)+padRight("records/s", barW+5)+"  "+"bytes/s"))
	for _, u := range s.ShardUse {
		id := shardNo(u.ID)
		rb, rc := hbar(u.RecordsUse, barW)
		bb, bc := hbar(u.BytesUse, barW)
		line := st.Label.Render(padRight("#"+id, 6)) +
			st.use(u.RecordsUse).Render(rb) + st.BarEmpty.Render(strings.Repeat("·", barW-rc)) +
			" " + padLeft(pct(u.RecordsUse), 4) + "  " +
			st.use(u.BytesUse).Render(bb) + st.BarEmpty.Render(strings.Repeat("·", barW-bc)) +
			" " + padLeft(pct(u.BytesUse), 4)
		if u.Refused {
			line += " " + st.Bad.Render("refusing "+metric.Human(u.RefusedPerSec)+"/s")
		}
		line += st.Muted.Render(" backlog " + approx(u.NominalBacklog, sampled(s)))
		if !u.FailingSince.IsZero() {
			line += " " + st.Bad.Render("blocked since "+u.FailingSince.Format("15:04:05")+", age "+dur(u.IteratorAge))
		}
		out = append(out, line)
	}
	return out
}

func maxF(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

// limitLabels name a shard's write limits as the config sets them: "1k
// rec/s" and "1 MiB/s" for Kinesis' own.
func limitLabels(l sim.Load) (records, bytes string) {
	records = metric.Compact(int64(l.Records)) + " rec/s"
	if b := int64(l.Bytes); b > 0 && b%(1<<20) == 0 {
		return records, strconv.FormatInt(b>>20, 10) + " MiB/s"
	}
	return records, metric.BytesSI(int64(l.Bytes)) + "/s"
}
