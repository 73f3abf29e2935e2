package sim

import (
	"cmp"
	"fmt"
	"math"
	"pipesim/sim/config"
	"pipesim/sim/metric"
	"slices"
	"time"
)

// applyCommands carries out the commands sent since the last step.
func (e *Engine) applyCommands() { e.applyWhile(func(Command) bool { return true }) }

// applyPaceCommands carries out the commands at the head of the queue
// that only pace the clock, and leaves the rest queued in order.
func (e *Engine) applyPaceCommands() { e.applyWhile(Command.pacesOnly) }

// applyWhile carries out the commands at the head of the queue as long as
// take says so.
func (e *Engine) applyWhile(take func(Command) bool) {
	e.mu.Lock()
	n := 0
	for n < len(e.commands) && take(e.commands[n]) {
		n++
	}
	cmds := e.commands[:n:n]
	e.commands = e.commands[n:]
	e.mu.Unlock()
	for _, c := range cmds {
		e.apply(c)
	}
	e.applied += len(cmds)
	if len(cmds) > 0 {
		e.publish()
	}
}

func (e *Engine) apply(c Command) {
	now := e.simTime()
	switch c.Kind {
	case CmdRateUp:
		e.setRate(nextRate(e.rate, +1))
	case CmdRateDown:
		e.setRate(nextRate(e.rate, -1))
	case CmdScenario:
		sc, err := e.cfg.LookupScenario(c.Arg)
		if err != nil {
			e.cw.logf(now, true, "%v", err)
			return
		}
		e.scenario = sc.Name
		e.setRate(sc.RatePerHour)
		e.setShards(sc.Shards)
	case CmdSpeedUp, CmdSpeedDown:
		dir := 1
		if c.Kind == CmdSpeedDown {
			dir = -1
		}
		e.speed = nextSpeed(e.speed, dir)
		e.pace.reset(e.speed)
		e.cw.logf(now, false, "speed %s", formatSpeed(e.speed))
	case CmdTogglePause:
		e.paused = !e.paused
		e.pace.reset(e.speed)
	case CmdInjectBurst:
		e.cw.logf(now, false, "burst: %d records re-sent", e.producer.burst(e.now))
	case CmdCycleDuplicateRate:
		rates := e.cfg.Producer.DuplicateRates
		i := (slices.Index(rates, e.producer.retryRate) + 1) % len(rates)
		e.producer.retryRate = rates[i]
		e.cw.logf(now, false, "background duplicate rate %.1f%%", rates[i]*100)
	case CmdCompact:
		if err := e.runGlue(now, "on demand"); err != nil {
			e.err = err
		}
	case CmdShardsUp:
		e.setShards(min(len(e.stream.open())*2, e.cfg.Kinesis.MaxShards))
	case CmdShardsDown:
		e.setShards(max(len(e.stream.open())/2, 1))
	case CmdSetShards:
		e.setShards(min(max(c.N, 1), e.cfg.Kinesis.MaxShards))
	case CmdToggleFault, CmdSetFault:
		if spec, ok := c.Fault.Spec(); !ok || !spec.Switchable {
			e.cw.logf(now, true, "no fault %q can be switched from the dashboard", c.Fault)
			return
		}
		on := c.On
		if c.Kind == CmdToggleFault {
			on = !e.manual[c.Fault]
		}
		if on == e.manual[c.Fault] {
			return
		}
		e.manual[c.Fault] = on
		if err := e.applyFaults(); err != nil {
			e.err = err
		}
	case CmdCycleSwitch, CmdSetSwitch:
		s, ok := SwitchFor(c.Arg)
		if !ok {
			e.cw.logf(now, true, "no switch %q", c.Arg)
			return
		}
		value := s.Choice.Next(e.cfg)
		if c.Kind == CmdSetSwitch {
			value = cmp.Or(c.Value, s.Choice.Value(e.startCfg))
		}
		if err := e.setSwitch(s, value); err != nil {
			e.cw.logf(now, true, "%v", err)
		}
	case CmdWriteReport:
		if err := e.writeReport(false); err != nil {
			e.err = err
		}
	}
}

// setRate changes the event rate; the sampling ratio follows it, so the
// machine keeps materialising about the same number of events.
func (e *Engine) setRate(r int64) {
	if r == e.rate {
		return // at the top or bottom of the rates already: nothing to log
	}
	e.rate = r
	e.producer.ratePerHour = r
	e.stream.forgetLoad()
	w := e.ratioAt(r)
	e.counts.weight = w
	msg := fmt.Sprintf("rate %s/h", metric.Compact(r))
	if w > 1 {
		msg += fmt.Sprintf(" (sampled 1:%d)", w)
	}
	e.cw.logf(e.simTime(), false, "%s", msg)
}

func (e *Engine) setShards(n int) {
	if n == len(e.stream.open()) {
		return
	}
	if e.cfg.Kinesis.Mode == "on_demand" {
		e.cw.logf(e.simTime(), true, "an on-demand stream is sized by Kinesis: it has %s", metric.Plural(len(e.stream.open()), "shard"))
		return
	}
	e.stream.reshard(n)
	e.cw.logf(e.simTime(), false, "resharded to %s", metric.Plural(n, "shard"))
}

func formatSpeed(s float64) string {
	if s <= 0 {
		return "max"
	}
	return fmt.Sprintf("×%g", s)
}

// shardsNeeded sizes the stream for the rate now, at the bytes a record
// has averaged so far.
func (e *Engine) shardsNeeded() int {
	return e.shardsFor(mulDiv(e.rate, e.producer.curve.at(e.simTime()), curveUnit))
}

// shardsAtPeak is what the stream needs at the busiest minute of the
// week (producer.peak_to_mean).
func (e *Engine) shardsAtPeak() int {
	return e.shardsFor(mulDiv(e.rate, e.producer.curve.peak(), curveUnit))
}

func (e *Engine) shardsFor(ratePerHour int64) int {
	var avg float64
	if n := e.counts.total.Nominal; n[metric.Sent] > 0 {
		avg = float64(n[metric.SentBytes]) / float64(n[metric.Sent])
	}
	return shardsNeeded(ratePerHour, avg, e.cfg.Kinesis)
}

// shardSample is how many sampled records a shard's load is judged on:
// the noise of a count of n is about 1/√n, some 2% here.
const shardSample = 2000

// shardWindow is how many minutes shard load is averaged over: enough for
// each shard to see shardSample sampled records (unsampled, one minute),
// at most ShardWindowMinutes. alike reports that even that is too few to
// tell shards apart (at 1B/h sampled 1:500 over 350 shards a shard sees
// some 60 a minute).
func (e *Engine) shardWindow() (minutes int, alike bool) {
	perShardMinute := float64(e.rate) / 60 / float64(max(len(e.stream.open()), 1)) / float64(e.counts.weight)
	need := math.Ceil(shardSample / perShardMinute)
	return int(min(max(need, 1), ShardWindowMinutes)), need > ShardWindowMinutes
}

// publish makes a new snapshot for readers.
func (e *Engine) publish() {
	e.updateTotals() // whatever moved since the last step (a key's burst, a Glue run collected)
	e.lastPub = time.Now()
	s := &Snapshot{
		SimTime:       e.simTime(),
		Start:         e.start,
		Speed:         e.speed,
		AchievedSpeed: e.pace.achieved,
		Paused:        e.paused,
		Applied:       e.applied,
		Done:          e.done,
		Err:           e.err,
		Scenario:      e.scenario,
		RatePerHour:   e.rate,
		Shards:        len(e.stream.open()),
		OnDemand:      e.onDemandInfo(),
		ShardsNeeded:  e.shardsNeeded(),
		ShardsAtPeak:  e.shardsAtPeak(),
		Cost:          e.cost(),
		SampleOneIn:   e.counts.weight,
		DuplicateRate: e.producer.retryRate,
		Ledger:        LedgerInfo{Backend: e.backend, Keys: e.ledgerKeys, TTL: e.cfg.Ledger.TTL},
		Totals:        e.counts.total,
		Minutes:       append(slices.Clone(e.cw.minutes), e.cw.current(e.counts.minute, e.counts.weight)),
		Firehose:      e.firehose.info(e.viaFirehose, e.now),
		Lambda: LambdaInfo{
			InvocationsPerMin: e.lastMinute().Nominal[metric.LambdaInvocations],
			IteratorAge:       e.iterAge,
			Concurrency:       len(e.stream.shards) * e.cfg.Lambda.ParallelizationFactor,
		},
		Staging:          slices.Clone(e.stagingParts),
		MinutesToCompact: len(e.stagingParts) - e.compacted,
		Processed:        slices.Clone(e.processed),
		Layout:           e.lakeLayout(),
		Relayout:         e.relayout(),
		Projected:        ProjectPartitions(e.processed, e.rate),
		FileBand:         e.fileBand(),
		ShardLimit:       Load{float64(e.cfg.Kinesis.WriteRecordsPerSecond), float64(e.cfg.Kinesis.WriteBytesPerSecond)},
		Alarms:           slices.Clone(e.cw.alarms),
		Faults:           e.faultStates(),
		Switches:         e.switchStates(),
		Log:              slices.Clone(e.cw.log),
		Tail:             e.tail.last(),
	}
	if r := e.glueRun; r != nil {
		s.Glue = &GlueInFlight{Run: r.number, Why: r.why, Started: r.started, Ends: r.ends, Next: e.glueNext, Waiting: r.waiting, Layout: e.cfg.Glue.Partitioning}
		if r.waiting {
			p := e.glue.progress
			s.Glue.Step, s.Glue.Done, s.Glue.Of, s.Glue.Rows = GlueStep(p.step.Load()), p.done.Load(), p.of.Load(), p.nominal.Load()
		}
	}
	// the minutes being written: Firehose's, and the Lambda's
	for _, p := range append(e.open.sorted(), e.lambda.open) {
		if p.Files > 0 {
			s.Staging = append(s.Staging, p)
			s.MinutesToCompact++
		}
	}
	k, alike := e.shardWindow()
	var all shardLoad
	var seconds int64
	for _, sh := range e.stream.shards {
		sum, secs := sh.window(k)
		all.records, all.bytes, seconds = all.records+sum.records, all.bytes+sum.bytes, max(seconds, secs)
	}
	// the window the figures cover: k minutes at most, since the rate last changed
	s.ShardWindow, s.ShardsAlike = time.Duration(seconds)*time.Second, alike
	if seconds > 0 {
		s.Load = Load{float64(all.records) / float64(seconds), float64(all.bytes) / float64(seconds)}
	}
	if every := e.cfg.Glue.Schedule.Microseconds(); every > 0 {
		since := e.now - e.start.UnixMicro()
		s.NextGlueRun = time.UnixMicro(e.start.UnixMicro() + (since/every+1)*every).UTC()
	}
	for _, sh := range e.stream.shards {
		l, refused := sh.load(k)
		s.ShardUse = append(s.ShardUse, ShardUse{
			ID:             sh.name(),
			RecordsPerSec:  l.records,
			BytesPerSec:    l.bytes,
			RecordsUse:     limitShare(l.records, e.cfg.Kinesis.WriteRecordsPerSecond),
			BytesUse:       limitShare(l.bytes, e.cfg.Kinesis.WriteBytesPerSecond),
			RefusedPerSec:  l.refused,
			Refused:        refused,
			Backlog:        int64(sh.backlog()),
			NominalBacklog: sh.unread.nominal,
			IteratorAge:    sh.iteratorAge(e.now),
			FailingSince:   e.lambda.failingSince(sh.id),
		})
	}
	if alike && e.cfg.Producer.PartitionKey == "event_uuid" {
		// too few sampled records a shard to tell them apart, and nothing
		// to tell: a uuid key spreads writes evenly
		evenLoad(s.ShardUse, e.cfg.Kinesis)
	}
	if e.cfg.Producer.PartitionKey != "event_uuid" {
		s.HotShard = hotShard(s.ShardUse)
	}
	e.snap.Store(s)
}

// limitShare is a shard's load as a share of its limit, at most 1: a shard
// takes no more than its limit over time. (Sampled, its bucket also holds
// a few sampled records' weight, so that their clumping is not read as
// throttling; that allowance is not load the full stream would carry.)
func limitShare(perSec, limit int64) float64 {
	return min(float64(perSec)/float64(limit), 1)
}

// evenLoad gives every shard that refused nothing the stream's average
// load. The partition key is a uuid, which MD5 spreads evenly, so that
// average is a better estimate of each shard than a count of a few dozen
// sampled records, whose noise would read as shards at their limit; a
// shard that refused puts keeps its own figures, and a closed parent
// (taking no writes) its zero.
// hotShard is a shard refusing writes while the stream as a whole uses
// under half its write capacity: a hot partition key, which more shards
// do not cool (its key still hashes to one of them). "" if none.
func hotShard(use []ShardUse) string {
	var sum float64
	hot := ""
	for _, u := range use {
		sum += max(u.RecordsUse, u.BytesUse)
		if u.Refused && hot == "" {
			hot = u.ID
		}
	}
	if hot == "" || sum/float64(len(use)) >= 0.5 {
		return ""
	}
	return hot
}

func evenLoad(use []ShardUse, cfg config.Kinesis) {
	var rec, byt, n int64
	for _, u := range use {
		if u.RecordsPerSec > 0 || u.Refused {
			rec += u.RecordsPerSec
			byt += u.BytesPerSec
			n++
		}
	}
	if n == 0 {
		return
	}
	for i := range use {
		u := &use[i]
		if u.Refused || u.RecordsPerSec == 0 {
			continue
		}
		u.RecordsPerSec, u.BytesPerSec = rec/n, byt/n
		u.RecordsUse = limitShare(u.RecordsPerSec, cfg.WriteRecordsPerSecond)
		u.BytesUse = limitShare(u.BytesPerSec, cfg.WriteBytesPerSecond)
	}
}

func (e *Engine) lastMinute() metric.Minute {
	if n := len(e.cw.minutes); n > 0 {
		return e.cw.minutes[n-1]
	}
	return e.cw.current(e.counts.minute, e.counts.weight)
}
