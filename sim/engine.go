// Package sim is pipesim's pipeline on a simulated clock: producer,
// Kinesis, Lambda, Glue and CloudWatch. It knows nothing of terminals;
// readers take Snapshots and send Commands.
package sim

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"pipesim/sim/config"
	"pipesim/sim/metric"
	"pipesim/store"
)

// Options are the choices of one run on top of config.yml.
type Options struct {
	Scenario    string        // a name from config.yml's scenarios; "" for its default
	RatePerHour int64         // 0: the scenario's
	Seed        uint64        // generators' seed
	Start       time.Time     // simulated start
	Out         string        // output folder
	Force       bool          // replace a crashed run's staging that was never compacted
	RedisURL    string        // redis:// of an external ledger; "" starts an embedded one
	Duration    time.Duration // simulated; 0 runs until the context ends
	Speed       float64       // simulated seconds per wall second; 0 as fast as possible
	SampleOneIn int64         // 0: chosen from scale.max_events_per_hour
	Faults      []Fault       // injected failures
	PauseAt     time.Duration // simulated time from the start to pause at, Glue's runs collected; 0: never
}

// Engine runs the pipeline. Run drives it; Snapshot and Send may be called
// from any goroutine meanwhile.
type Engine struct {
	finalReport string         // where the final report went, once written
	cfg         *config.Config // as the switches have set it
	startCfg    *config.Config // as the run began
	opt         Options

	lake     *store.Lake
	staging  *store.StagingWriter
	dlq      *store.DeadLetterWriter
	ledger   *severedLedger // the Redis ledger, cut off by the ledger-down fault
	embedded *store.EmbeddedRedis
	backend  string

	producer *producer
	stream   *stream
	lambda   *lambdaStage
	firehose *firehoseStage
	glue     *glueWorker
	cw       *cloudWatch

	start    time.Time
	now      int64 // µs, start of the next simulated second
	scenario string
	rate     int64
	counts   counts // the run's tally and the sampling weight in force
	tail     tail   // the last events the reader of the stream handled
	speed    float64
	paused   bool
	draining bool
	done     bool
	err      error

	viaFirehose    bool               // pipeline.mode: firehose reads the stream, not the Lambda
	open           openMinutes        // staging minutes written to and not yet closed
	closedUpTo     time.Time          // every staging minute before this is closed
	stagingParts   []StagingPartition // closed, oldest first
	compacted      int                // stagingParts[:compacted] were read by a published compaction
	uncompacted    tally              // the lines of stagingParts[compacted:]
	processed      []ParquetPartition
	layout         store.Layout // the processed lake's, once Glue has written it
	onDemand       onDemand     // the stream's scaling, in kinesis.mode on_demand
	ledgerKeys     int64
	iterAge        time.Duration
	lastFailures   int64
	closedSinceRun bool           // a staging minute closed since Glue last started a run
	glueRun        *glueInFlight  // the run Glue is publishing, if any
	glueNext       string         // why a run waits to start once that one ends; "" none
	lastRun        *metric.Counts // the batch work of the last Glue run taken in; nil: none yet
	failing        bool           // Lambda batches are failing; logged once per streak
	passing        bool           // Lambda stages batches unchecked (ledger down, on_failure: pass); logged once per outage

	manual     map[FaultKind]bool // faults switched on from the dashboard
	ledgerDown bool
	stalled    bool // a fault has held records in the stream (see Summary.UnaskedLoss)

	pace pacer

	mu       sync.Mutex
	commands []Command
	applied  int // commands taken from the queue and applied
	wake     chan struct{}
	snap     atomic.Pointer[Snapshot]
	lastPub  time.Time
}

// New opens the lake and the ledger and builds the stages.
func New(ctx context.Context, cfg *config.Config, opt Options) (*Engine, error) {
	sc, err := resolveScenario(cfg, opt)
	if err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, startCfg: cfg, opt: opt, scenario: sc.Name, rate: sc.RatePerHour, speed: opt.Speed, wake: make(chan struct{}, 1)}
	shards := sc.Shards
	e.counts.weight = e.ratioAt(e.rate)
	e.start = opt.Start.UTC().Truncate(time.Second)
	e.now = e.start.UnixMicro()

	if e.lake, err = store.CreateLake(opt.Out, opt.Force); err != nil {
		return nil, err
	}
	url := opt.RedisURL
	if url == "" {
		if e.embedded, err = store.StartEmbeddedRedis(); err != nil {
			return nil, err
		}
		url = e.embedded.URL()
		e.backend = "miniredis (embedded)" // not its address: a random port would differ in every report
	}
	led, err := store.OpenRedisLedger(ctx, url, store.LedgerOptions{TTL: cfg.Ledger.TTL, Buckets: cfg.Ledger.Buckets, KeyPrefix: cfg.Ledger.KeyPrefix, Name: e.backend})
	if err != nil {
		e.closeLedger()
		return nil, err
	}
	if e.backend == "" {
		e.backend = led.Backend()
	}
	e.ledger = &severedLedger{Ledger: led, backend: e.backend}
	e.manual = map[FaultKind]bool{}
	e.staging = e.lake.NewStagingWriter()
	e.dlq = e.lake.NewDeadLetterWriter()
	e.producer = newProducer(cfg.Producer, cfg.Journeys, cfg.Catalog, opt.Seed, e.rate, &e.counts)
	e.stream = newStream(cfg.Kinesis, shards, &e.counts)
	e.lambda = newLambda(cfg.Lambda, cfg.Producer.MaxClockSkew, cfg.Catalog, e.ledger, e.staging, e.dlq, &e.counts, &e.tail)
	e.lambda.onFailure = e.lake.NewOnFailureWriter()
	e.open = openMinutes{}
	e.firehose = newFirehose(cfg.Firehose, e.lake, e.open, &e.counts, &e.tail)
	if err := e.applySwitches(cfg); err != nil {
		e.closeLedger()
		return nil, err
	}
	job := newGlue(cfg.Glue, cfg.Catalog, cfg.Producer.MaxClockSkew, e.lake, e.counts.weight)
	for _, f := range opt.Faults {
		if f.Kind == GlueCrash && (job.crashAt == 0 || e.start.Add(f.At).UnixMicro() < job.crashAt) {
			job.crashAt = e.start.Add(f.At).UnixMicro()
		}
	}
	e.glue = startGlue(job)
	e.cw = newCloudWatch(cfg.CloudWatch, e.start)
	e.cw.logf(e.start, false, "config: %s", cfg.Origin())
	e.publish()
	return e, nil
}

// resolveScenario picks the options' scenario (or config.yml's default)
// and applies the options' rate and kinesis.shards when they are set.
func resolveScenario(cfg *config.Config, opt Options) (config.Scenario, error) {
	sc, err := cfg.LookupScenario(opt.Scenario)
	if err != nil {
		return sc, err
	}
	if opt.RatePerHour > 0 {
		sc.RatePerHour = opt.RatePerHour
	}
	if cfg.Kinesis.Shards > 0 {
		sc.Shards = cfg.Kinesis.Shards
	}
	if cfg.Kinesis.Mode == "on_demand" {
		sc.Shards = cfg.Kinesis.OnDemandShards
	}
	return sc, nil
}

// Send queues a command for the engine; it never blocks.
func (e *Engine) Send(c Command) {
	e.mu.Lock()
	e.commands = append(e.commands, c)
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Snapshot returns the latest published picture of the pipeline.
func (e *Engine) Snapshot() *Snapshot { return e.snap.Load() }

// Run drives the pipeline until the duration is over and the pipeline has
// drained, or until ctx ends (then it flushes what it has). Either way the
// staging files, watermark and a final report are on disk when it returns.
func (e *Engine) Run(ctx context.Context) (Summary, error) {
	wallStart := time.Now()
	e.pace.reset(e.speed)
	var end, pauseAt int64
	if e.opt.Duration > 0 {
		end = e.now + e.opt.Duration.Microseconds()
	}
	if e.opt.PauseAt > 0 {
		pauseAt = e.now + e.opt.PauseAt.Microseconds()
	}
	for !e.done && e.err == nil {
		if e.now == pauseAt && !e.paused {
			// a picture to the second: what Glue was asked to do is done
			if e.err = e.finishGlue(ctx); e.err != nil {
				break
			}
			e.paused, pauseAt = true, 0
		}
		if ctx.Err() != nil {
			e.cw.logf(e.simTime(), true, "interrupted: flushing what is staged")
			break
		}
		e.applyCommands()
		if e.err != nil {
			break
		}
		if e.paused {
			e.publish()
			select {
			case <-ctx.Done():
			case <-e.wake:
			}
			e.pace.reset(e.speed)
			continue
		}
		if end > 0 && e.now >= end && !e.draining {
			e.stopProducing()
		}
		if e.draining && e.drained() {
			e.finish()
			break
		}
		if err := e.step(ctx); err != nil {
			if errors.Is(err, ErrCrashed) {
				return Summary{}, err // as kill -9 would: nothing flushed
			}
			e.err = err
			e.cw.logf(e.simTime(), true, "stopped: %v", err)
			break
		}
		e.pace.wait(ctx, e.wake)
		if time.Since(e.lastPub) > 50*time.Millisecond {
			e.publish()
		}
	}
	if errors.Is(e.err, ErrCrashed) {
		return Summary{}, e.err
	}
	ferr := e.flush()
	if e.err == nil {
		e.err = ferr
	}
	sum, serr := e.summary(time.Since(wallStart))
	if e.err == nil {
		e.err = serr
	}
	e.publish()
	return sum, e.err
}

func (e *Engine) simTime() time.Time { return time.UnixMicro(e.now).UTC() }

// step advances the pipeline by one simulated second.
func (e *Engine) step(ctx context.Context) error {
	// a Glue run that ends at this instant is published before it
	if err := e.tendGlue(ctx); err != nil {
		return err
	}
	t := e.now
	now := time.UnixMicro(t).UTC()
	if err := e.applyFaults(); err != nil {
		return err
	}
	e.stream.refill()
	e.producer.tick(t)
	e.producer.send(e.stream, t)
	if expired, copies := e.stream.expire(t); expired.n > 0 {
		e.counts.addTally(metric.Expired, expired)
		e.counts.addTally(metric.DuplicatesLost, copies)
		e.cw.logf(now, true, "%d records expired in the stream (older than %s retention): lost", expired.nominal, e.cfg.Kinesis.Retention)
	}
	if e.viaFirehose {
		if err := e.firehose.tick(e.stream, t); err != nil {
			return err
		}
		e.iterAge = 0 // it reads every record the second it arrives
	} else if err := e.invokeLambda(ctx, t); err != nil {
		return err
	}
	e.cw.iteratorAge(e.iterAge)
	e.bill()
	e.now += 1e6
	if e.now%60e6 == 0 {
		if err := e.closeMinute(ctx, e.simTime()); err != nil {
			return err
		}
	}
	if every := e.cfg.Glue.Schedule.Microseconds(); every > 0 && (e.now-e.start.UnixMicro())%every == 0 {
		if err := e.runGlue(e.simTime(), "scheduled"); err != nil {
			return err
		}
	}
	e.updateTotals()
	// at the end of the run's duration the final report is the one due
	atEnd := e.opt.Duration > 0 && e.now == e.start.Add(e.opt.Duration).UnixMicro()
	if every := e.cfg.CloudWatch.ReportEvery.Microseconds(); every > 0 && (e.now-e.start.UnixMicro())%every == 0 && !atEnd {
		if err := e.writeReport(false); err != nil {
			return err
		}
	}
	return nil
}

// invokeLambda runs the Lambda's second at t and logs how its batches
// fare.
func (e *Engine) invokeLambda(ctx context.Context, t int64) error {
	now := time.UnixMicro(t).UTC()
	invokedBefore := e.counts.total.Counts[metric.LambdaInvocations]
	age, err := e.lambda.tick(ctx, e.stream, t)
	if err != nil {
		return err
	}
	for _, sh := range e.lambda.blocked {
		e.cw.logf(now, true, "Lambda threw on a batch of %s (a poison record): the batch is retried, the shard waits behind it", sh)
	}
	for _, d := range e.lambda.discarded {
		kept := "lost (lambda.on_failure: none)"
		if e.cfg.Lambda.OnFailure == "destination" {
			kept = "their range is at the on-failure destination, to read from the stream before it expires"
		}
		e.cw.logf(now, true, "the event-source mapping discarded %s: %s", d, kept)
	}
	e.lambda.blocked, e.lambda.discarded = e.lambda.blocked[:0], e.lambda.discarded[:0]
	switch {
	case e.lambda.unchecked && !e.passing:
		e.passing = true
		e.cw.logf(now, true, "the ledger does not answer: Lambda stages batches unchecked (ledger.on_failure: pass): %v", e.lambda.lastErr)
	case e.lambda.checked && e.passing:
		e.passing = false
		e.cw.logf(now, false, "the ledger answers again: Lambda checks batches")
	}
	if e.lambda.failures > e.lastFailures && !e.failing {
		e.cw.logf(now, true, "Lambda batch failed, retrying with backoff: %v", e.lambda.lastErr)
	}
	failed := e.lambda.failures - e.lastFailures
	succeeded := e.counts.total.Counts[metric.LambdaInvocations] - invokedBefore - failed
	e.failing = failed > 0 || (e.failing && succeeded == 0)
	e.lastFailures = e.lambda.failures
	e.iterAge = age
	return nil
}

// closeMinute closes the staging partitions of the minutes that ended
// before next: the Lambda's last minute, and those Firehose can no longer
// deliver into.
func (e *Engine) closeMinute(ctx context.Context, next time.Time) error {
	e.stream.closeMinute()
	e.scaleOnDemand()
	if err := e.staging.CloseBefore(next); err != nil {
		return err
	}
	if n, err := e.ledger.Len(ctx); err == nil {
		e.ledgerKeys = n
	}
	p, written, ok := e.lambda.takeMinute()
	if ok {
		e.open.add(p)
	}
	closedBefore := e.closedBefore(next)
	e.firehose.floor, e.closedUpTo = closedBefore, closedBefore
	files := append(e.firehose.takeShipped(), written...)
	for _, p := range e.open.take(closedBefore) {
		e.stagingParts = append(e.stagingParts, p)
		e.uncompacted.n += p.Lines
		e.uncompacted.nominal += p.NominalLines
		t := &e.counts.total
		e.counts.set(metric.StagingFiles, t.Counts[metric.StagingFiles]+int64(p.Files))
		t.Set(metric.StagingBytes, t.Counts[metric.StagingBytes]+p.Bytes, t.Nominal[metric.StagingBytes]+p.NominalBytes)
		// Glue starts reading the closed minute
		e.glue.submit(glueRequest{closedBefore: p.Minute.Add(time.Minute), staged: p, files: files, cfg: e.cfg.Glue})
		files = nil
	}
	e.glue.submit(glueRequest{closedBefore: closedBefore, files: files, cfg: e.cfg.Glue})
	e.closedSinceRun = true
	e.cw.closeMinute(e.counts.minute, e.counts.weight, next)
	e.counts.minute = metric.Tally{}
	return nil
}

// stopProducing ends event creation: pending duplicates are never sent,
// what is buffered still goes out, and the run drains.
func (e *Engine) stopProducing() {
	e.draining = true
	e.producer.creates = false
	e.producer.pending = nil
	e.cw.logf(e.simTime(), false, "producer stopped; draining the stream")
}

func (e *Engine) drained() bool {
	return len(e.producer.outbox) == 0 && len(e.producer.pending) == 0 && e.stream.inFlight().n == 0 && e.firehose.held.n == 0
}

// finish closes the last staging partition and compacts what is staged.
func (e *Engine) finish() {
	if e.now%60e6 != 0 { // a step ending on the minute has closed it already
		next := e.simTime().Truncate(time.Minute).Add(time.Minute)
		e.now = next.UnixMicro()
		if e.err = e.closeMinute(context.Background(), next); e.err != nil {
			return
		}
	}
	if e.err = e.finishGlue(context.Background()); e.err != nil {
		return
	}
	if e.closedSinceRun {
		if e.err = e.runGlue(e.simTime(), "final"); e.err != nil {
			return
		}
		if e.err = e.finishGlue(context.Background()); e.err != nil {
			return
		}
	}
	if e.lambda.disabled || e.ledgerDown {
		e.cw.logf(e.simTime(), true, "the run ended with a fault still in force")
	}
	e.updateTotals()
	e.done = true
}

// flush leaves the files in order: Glue idle, staging closed, a final
// report written.
func (e *Engine) flush() error {
	e.glue.stop()
	cerr := e.collectAll()
	ferr := e.firehose.flush(e.now) // an interrupted run leaves nothing only in memory
	e.updateTotals()
	err := errors.Join(cerr, ferr, e.staging.Close(), e.dlq.Close(), e.lambda.onFailure.Close())
	if rerr := e.writeReport(true); err == nil {
		err = rerr
	}
	if err == nil && e.err == nil {
		err = e.lake.MarkEnded()
	}
	return err
}

// Close releases the ledger (and stops an embedded Redis).
func (e *Engine) Close() error {
	e.glue.stop()
	return e.closeLedger()
}

func (e *Engine) closeLedger() error {
	var err error
	if e.ledger != nil {
		err = e.ledger.Close()
	}
	if e.embedded != nil {
		e.embedded.Close()
	}
	return err
}

// updateTotals sets the levels that move every second: what waits in
// the producer and the stream, and what is staged and not compacted. (The
// files on disk are counted as they change: closeMinute, published.)
func (e *Engine) updateTotals() {
	staged := e.uncompacted
	staged.n += e.lambda.open.Lines // written, not yet closed
	staged.nominal += e.lambda.open.NominalLines
	for _, p := range e.open {
		staged.n += p.Lines
		staged.nominal += p.NominalLines
	}
	e.counts.setTally(metric.StagedUncompacted, staged)
	e.counts.setTally(metric.FirehoseBuffered, e.firehose.held)
	e.counts.setTally(metric.ProducerBuffered, e.producer.buffered)
	e.counts.setTally(metric.InFlight, e.stream.inFlight())
	sc := e.stream.copies()
	e.counts.setTally(metric.DuplicatesOnTheWay, tally{e.producer.copies.n + sc.n, e.producer.copies.nominal + sc.nominal})
	// the copies neither caught, leaked, lost nor on the way: staged and
	// not yet read by Glue, or staged in place of an original that was lost
	unresolved := func(c *metric.Counts) int64 {
		return c[metric.DuplicatesInjected] - c[metric.DuplicatesDroppedLambda] - c[metric.DuplicatesDroppedGlue] -
			c[metric.DuplicatesLeaked] - c[metric.DuplicatesLost] - c[metric.DuplicatesOnTheWay]
	}
	t := &e.counts.total
	t.Set(metric.DuplicatesUnresolved, unresolved(&t.Counts), unresolved(&t.Nominal))
}

// published takes in a compaction that published its files: the lake it
// left, and the staging minutes it read.
func (e *Engine) published(r GlueRun) {
	e.processed, e.layout = r.Partitions, r.Layout
	var files, bytes, nominal int64
	for _, pp := range e.processed {
		for _, f := range pp.Files {
			files++
			bytes += f.Bytes
			nominal += f.NominalBytes
		}
	}
	e.counts.set(metric.ProcessedFiles, files)
	e.counts.total.Set(metric.ProcessedBytes, bytes, nominal)
	for ; e.compacted < len(e.stagingParts) && !e.stagingParts[e.compacted].Minute.After(r.Through); e.compacted++ {
		e.uncompacted.n -= e.stagingParts[e.compacted].Lines
		e.uncompacted.nominal -= e.stagingParts[e.compacted].NominalLines
	}
}

// countGlueRun adds a published Glue run to the tally, and keeps its
// batch work for the monthly bill.
func (e *Engine) countGlueRun(r GlueRun) {
	e.counts.plus(r.Tally)
	e.lastRun = &metric.Counts{}
	for _, k := range batchCounters {
		e.lastRun[k] = r.Nominal[k]
	}
}
