package sim

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"pipesim/sim/config"
	"pipesim/sim/event"
	"pipesim/sim/metric"
	"pipesim/store"
)

// lambdaStage is the event-source mapping (one per shard) and the function
// it invokes: decode, validate, deduplicate against the ledger, stage.
type lambdaStage struct {
	cfg     config.Lambda
	skew    time.Duration
	cat     *event.Catalog
	ledger  store.Ledger
	staging *store.StagingWriter
	dlq     *store.DeadLetterWriter
	counts  *counts
	tail    *tail

	mappings map[int]*mapping // by shard id
	disabled bool             // the mappings are stopped (lambda-down fault)

	passUnchecked bool // ledger.on_failure: pass: stage what the ledger cannot check
	unchecked     bool // this second's batches went unchecked
	checked       bool // this second the ledger answered

	// scratch reused across seconds
	calls   []call
	events  []event.Event
	ids     [][16]byte
	weights []int64 // of the record behind each id
	copies  []bool  // whether the record behind each id is a copy
	seen    []bool
	raw     []byte // this second's records, decoded: l.events' strings are slices of it
	line    []byte

	languages interned // the tail's, which outlive raw

	// the staging partition being written this minute, and what each
	// shard's file of it holds
	open       StagingPartition
	openShards map[string]*stagedFile

	// the fraction of a nominal invocation not yet counted: a sampled
	// batch of n records stands for n·weight/BatchSize real ones
	invocationsOwed float64

	failures  int64 // failed invocations so far
	lastErr   error
	blocked   []string // shards whose batch began to throw this second
	discarded []string // what the mapping discarded this second, for the log
	planErr   error    // writing to the on-failure destination failed: the run stops

	onFailure *store.OnFailureWriter // the on-failure destination
}

// mapping is one shard's event-source mapping: how many (nominal) records
// it can still process this second, and its backoff after a failed batch.
type mapping struct {
	credit       float64
	retryAt      int64 // µs; no invocation before this
	failedStreak int
	failingSince int64 // µs; when its batch first threw, 0 while none does

	// the batch that threw, retried as it was: the last sequence number of
	// each part still to go, the next to try last (bisecting makes parts)
	pending  []uint64
	attempts int // retries of the next part so far
}

func newLambda(cfg config.Lambda, skew time.Duration, cat *event.Catalog, ledger store.Ledger, staging *store.StagingWriter, dlq *store.DeadLetterWriter, c *counts, t *tail) *lambdaStage {
	return &lambdaStage{cfg: cfg, skew: skew, cat: cat, ledger: ledger, staging: staging, dlq: dlq, counts: c, tail: t, mappings: map[int]*mapping{}, languages: interned{}}
}

// recordsPerSecond is what one mapping can process in a second, in
// nominal records: the parallelization factor over the modelled duration
// of a full batch, times the batch.
func (l *lambdaStage) recordsPerSecond() float64 {
	d := l.cfg.InvocationOverhead + time.Duration(l.cfg.BatchSize)*l.cfg.PerRecord
	return float64(l.cfg.ParallelizationFactor) * float64(time.Second) / float64(d) * float64(l.cfg.BatchSize)
}

// call is one invocation of the function in the current second: a batch
// of a shard's records.
type call struct {
	sh       *shard
	batch    []record
	from, to int // its events in l.events, and its uuids in l.ids
	bad      []rejected
	threw    bool // the function threw on a poison record
	done     int  // records of the batch that count as done (before the poison record, when the function reports it)
	moved    int  // records the shard moves past after the call
	part     bool // it retries (part of) a batch that threw before
	held     bool // an earlier batch of its shard threw this second: not invoked
}

type rejected struct {
	payload []byte // what the function was handed: decoded, unless the base64 itself was bad
	err     *event.InvalidRecordError
	copy    bool
	weight  int64
	uuid    [16]byte
}

// tick runs the mappings for the simulated second starting at now (µs).
// Closed parent shards are drained before their children are read, as
// Kinesis orders them. It returns the largest iterator age afterwards.
func (l *lambdaStage) tick(ctx context.Context, s *stream, now int64) (iteratorAge time.Duration, err error) {
	if !l.disabled {
		if err := l.invokeAll(ctx, s, now); err != nil {
			return 0, err
		}
	}
	for _, sh := range s.shards {
		iteratorAge = max(iteratorAge, sh.iteratorAge(now+1e6))
	}
	return iteratorAge, nil
}

// invokeAll runs this second's invocations of every mapping. Each decodes
// and validates its batch; then one Redis round trip checks and remembers
// the uuids of all of them (in order, so it answers as one call per batch
// would, with a round trip per second instead of per batch); then each
// writes its results and its shard moves on. Nothing is written unless
// the ledger answers, so a failed second is retried whole.
func (l *lambdaStage) invokeAll(ctx context.Context, s *stream, now int64) error {
	l.calls, l.ids, l.weights, l.copies = l.calls[:0], l.ids[:0], l.weights[:0], l.copies[:0]
	l.unchecked, l.checked = false, false
	nEvents := 0
	parentsBusy := false
	for _, sh := range s.shards {
		if sh.open && parentsBusy {
			continue
		}
		taken := l.plan(sh, now)
		if !sh.open && sh.backlog() > taken {
			parentsBusy = true
		}
	}
	if l.planErr != nil {
		return &stopError{l.planErr}
	}
	for _, c := range l.calls {
		nEvents += len(c.batch)
	}
	l.events = growEvents(l.events, nEvents)
	l.raw = l.raw[:0] // the last second's events are done with
	next := 0
	threw := map[*shard]bool{} // a shard is read in order: nothing after a batch that threw
	for i := range l.calls {
		c := &l.calls[i]
		c.from = len(l.ids)
		if c.held = threw[c.sh]; c.held {
			c.to = c.from
			continue
		}
		first := next
		for j := range c.batch {
			ev := &l.events[next]
			if payload, err := l.decode(&c.batch[j], now, ev); err != nil {
				c.bad = append(c.bad, rejected{bytes.Clone(payload), err, c.batch[j].copy, c.batch[j].weight, c.batch[j].uuid})
				continue
			}
			if event.Poisoned(ev) {
				// the handler throws before it reaches the ledger: the
				// records before it are done if it says where it failed,
				// the rest is retried
				c.threw, threw[c.sh], c.done = true, true, j
				if !l.cfg.ReportBatchItemFailures {
					c.done, c.bad, next = 0, nil, first
					l.ids, l.weights, l.copies = l.ids[:c.from], l.weights[:c.from], l.copies[:c.from]
				}
				break
			}
			next++
			l.ids = append(l.ids, ev.UUID)
			l.weights = append(l.weights, c.batch[j].weight)
			l.copies = append(l.copies, c.batch[j].copy)
		}
		c.to = len(l.ids)
	}
	l.seen = growBools(l.seen, len(l.ids))
	if len(l.ids) > 0 {
		if err := l.ledger.CheckAndAdd(ctx, time.UnixMicro(now).UTC(), l.ids, l.seen); err != nil {
			if !l.passUnchecked {
				l.fail(now, fmt.Errorf("lambda: ledger: %w", err))
				return nil
			}
			// fail open: the batches go on as if every uuid were new, and
			// the ledger never hears of them
			l.lastErr = fmt.Errorf("lambda: ledger: %w", err)
			clear(l.seen)
			l.unchecked = true
		} else {
			l.checked = true
			var w int64
			for _, x := range l.weights {
				w += x
			}
			l.counts.addNominal(metric.LedgerWrites, int64(len(l.ids)), w) // a conditional put each, duplicate or not
		}
	}
	for i := range l.calls {
		if err := l.finish(&l.calls[i], now); err != nil {
			return &stopError{err}
		}
	}
	// only now: advancing may compact a shard's records under the batches
	for _, c := range l.calls {
		c.sh.advance(c.moved)
	}
	return nil
}

// plan queues the invocations a shard's mapping can start this second,
// and returns how many records they take. Sampled, a call takes up to
// BatchSize records and stands for weight invocations of the real volume.
func (l *lambdaStage) plan(sh *shard, now int64) int {
	m := l.mappings[sh.id]
	if m == nil {
		m = &mapping{}
		l.mappings[sh.id] = m
	}
	// the credit may save up to a full batch of the records at the head of
	// the shard, which may have been made at a heavier sampling weight than
	// today's (the rate came down while they waited)
	w := float64(l.counts.weight)
	if sh.backlog() > 0 {
		w = max(w, float64(sh.records[sh.head].weight))
	}
	perSec := l.recordsPerSecond()
	m.credit = min(m.credit+perSec, perSec+w*float64(l.cfg.BatchSize))
	if now < m.retryAt {
		return 0
	}
	if age := l.cfg.MaxRecordAge; age > 0 {
		// too old to send: discarded before any batch of this shard is
		// planned, so advancing cannot pull records from under one
		n := 0
		for n < sh.backlog() && now-sh.records[sh.head+n].arrival > age.Microseconds() {
			n++
		}
		if n > 0 {
			if err := l.discard(sh, sh.peekAt(0, n), "RecordAgeExceeded", now); err != nil {
				l.planErr = err
				return 0
			}
			sh.advance(n)
		}
	}
	// a part of a batch that threw goes alone, as it was
	for len(m.pending) > 0 && (sh.backlog() == 0 || sh.records[sh.head].seq > m.pending[len(m.pending)-1]) {
		m.pending, m.attempts = m.pending[:len(m.pending)-1], 0 // its records expired or were discarded
	}
	if len(m.pending) > 0 {
		batch := sh.peekAt(0, l.cfg.BatchSize)
		n, cost := 0, 0.0
		for n < len(batch) && batch[n].seq <= m.pending[len(m.pending)-1] {
			cost += float64(batch[n].weight)
			n++
		}
		if cost > m.credit {
			return 0
		}
		m.credit -= cost
		l.calls = append(l.calls, call{sh: sh, batch: batch[:n], part: true})
		return n
	}
	if m.failingSince != 0 && len(m.pending) == 0 {
		m.failingSince = 0
	}
	taken := 0
	for sh.backlog() > taken {
		// as many records as the credit pays for, each at the weight it
		// was made at (a backlog can outlive a change of sampling ratio)
		batch := sh.peekAt(taken, l.cfg.BatchSize)
		n, cost := 0, 0.0
		for n < len(batch) && cost+float64(batch[n].weight) <= m.credit {
			cost += float64(batch[n].weight)
			n++
		}
		if n == 0 {
			break
		}
		batch = batch[:n]
		if len(batch) < l.cfg.BatchSize && l.cfg.BatchingWindow > 0 && batch[0].arrival+l.cfg.BatchingWindow.Microseconds() > now+1e6 {
			break // the batching window is still open
		}
		m.credit -= cost
		l.calls = append(l.calls, call{sh: sh, batch: batch})
		taken += len(batch)
	}
	return taken
}

// threw takes in an invocation that threw on a poison record. The records
// before it are done if the function said where it failed; the rest is a
// failed batch its shard's mapping retries as it was, with backoff: split
// in two first if bisect_on_error (down to the one bad record), and
// discarded once max_retry_attempts retries have failed too. With the
// defaults it is retried until its records expire in the stream.
func (l *lambdaStage) threw(c *call, now int64) error {
	nominal := batchWeight(c.batch)
	l.invoked(c.batch)
	l.counts.addNominal(metric.FunctionErrors, 1, max(1, nominal/int64(l.cfg.BatchSize)))
	c.moved = c.done
	m := l.mappings[c.sh.id]
	if m.failingSince == 0 {
		m.failingSince = now
		l.blocked = append(l.blocked, c.sh.name())
	}
	failed := c.batch[c.done:]
	if end := failed[len(failed)-1].seq; len(m.pending) == 0 || m.pending[len(m.pending)-1] != end {
		m.pending, m.attempts = append(m.pending, end), 0
	}
	if l.cfg.BisectOnError && len(failed) > 1 {
		m.pending = append(m.pending, failed[len(failed)/2-1].seq) // the first half goes next
		m.attempts = 0
		l.counts.addNominal(metric.Bisections, 1, max(1, nominal/int64(l.cfg.BatchSize)))
		return nil // a split is no retry: the halves go at once
	}
	m.attempts++
	if l.cfg.MaxRetryAttempts >= 0 && m.attempts > l.cfg.MaxRetryAttempts {
		m.pending, m.attempts = m.pending[:len(m.pending)-1], 0
		if len(m.pending) == 0 {
			m.failingSince = 0
		}
		c.moved += len(failed)
		return l.discard(c.sh, failed, "RetryAttemptsExhausted", now)
	}
	l.counts.addNominal(metric.Retries, 1, max(1, batchWeight(failed)/int64(l.cfg.BatchSize)))
	m.failedStreak++
	m.retryAt = now + min(int64(1)<<min(m.failedStreak-1, 6), 60)*1e6
	return nil
}

// discard gives up on records of a shard: lost, unless the on-failure
// destination keeps their range for a reader to fetch them from the
// stream before they expire.
func (l *lambdaStage) discard(sh *shard, recs []record, condition string, now int64) error {
	var t, copies tally
	for _, r := range recs {
		t.add(r)
		if r.copy {
			copies.add(r)
		}
	}
	l.counts.addTally(metric.DiscardedOnFailure, t)
	l.counts.addTally(metric.DuplicatesLost, copies)
	l.discarded = append(l.discarded, fmt.Sprintf("%d records of %s (%s)", t.nominal, sh.name(), condition))
	if l.cfg.OnFailure != "destination" {
		return nil
	}
	l.counts.addTally(metric.DiscardedKept, t)
	return l.onFailure.Write(store.OnFailureRecord{
		Condition: condition, At: time.UnixMicro(now).UTC(), Shard: sh.name(),
		StartSequenceNumber: sequenceNumber(sh.id, recs[0].seq), EndSequenceNumber: sequenceNumber(sh.id, recs[len(recs)-1].seq),
		FirstArrival: time.UnixMicro(recs[0].arrival).UTC(), LastArrival: time.UnixMicro(recs[len(recs)-1].arrival).UTC(),
		BatchSize: len(recs),
	})
}

// failingSince is when shard id's batch first threw, zero while none does.
// updateMapping changes the mappings' error handling, as
// UpdateEventSourceMapping does: a batch being retried is handled by the
// new settings from its next retry.
func (l *lambdaStage) updateMapping(c config.Lambda) {
	l.cfg.BisectOnError, l.cfg.MaxRetryAttempts = c.BisectOnError, c.MaxRetryAttempts
}

func (l *lambdaStage) failingSince(id int) time.Time {
	if m := l.mappings[id]; m != nil && m.failingSince != 0 {
		return time.UnixMicro(m.failingSince).UTC()
	}
	return time.Time{}
}

// fail makes every invocation of this second fail: each mapping retries
// its batches with backoff, the records wait in their shards.
func (l *lambdaStage) fail(now int64, err error) {
	l.lastErr = err
	backedOff := map[int]bool{}
	for _, c := range l.calls {
		l.invoked(c.batch)
		l.failures++
		if m := l.mappings[c.sh.id]; !backedOff[c.sh.id] {
			backedOff[c.sh.id] = true
			m.failedStreak++
			m.retryAt = now + min(int64(1)<<min(m.failedStreak-1, 6), 60)*1e6
		}
	}
}

// finish is the rest of one invocation once the ledger has answered:
// dead letters, staging lines, and the shard's iterator moves on.
func (l *lambdaStage) finish(c *call, now int64) error {
	if c.held {
		return nil
	}
	shardName := c.sh.name()
	at := time.UnixMicro(now).UTC()
	minute := at.Truncate(time.Minute)
	for i, rj := range c.bad {
		if err := l.dlq.Write(at, shardName, string(rj.err.Reason), rj.err.Detail, rj.payload); err != nil {
			return err
		}
		if i >= len(c.bad)-TailKept {
			name, lang := rawFields(rj.payload)
			l.tail.add(TailEvent{At: at, UUID: rj.uuid, Name: name, Language: lang, Shard: shardName, Fate: FateDeadLettered, Reason: rj.err.Reason, Copy: rj.copy})
		}
		l.counts.addNominal(metric.DeadLettered, 1, rj.weight)
		if rj.copy {
			l.counts.addNominal(metric.DuplicatesLost, 1, rj.weight)
		}
	}
	for i := c.from; i < c.to; i++ {
		w := l.weights[i]
		if i >= c.to-TailKept {
			l.noteTail(at, shardName, i)
		}
		if l.seen[i] {
			l.counts.addNominal(metric.DuplicatesDroppedLambda, 1, w)
			continue
		}
		l.line = l.cat.AppendStagingJSON(l.line[:0], &l.events[i])
		if err := l.staging.Append(minute, shardName, l.line); err != nil {
			return err
		}
		if err := l.noteStaged(minute, shardName, len(l.line)+1, w); err != nil {
			return err
		}
		l.counts.addNominal(metric.Staged, 1, w)
		if l.unchecked && l.copies[i] {
			l.counts.addNominal(metric.DuplicatesUnchecked, 1, w)
		}
	}
	if c.threw {
		done := c.batch[:c.done]
		l.counts.addNominal(metric.LambdaRecords, int64(len(done)), batchWeight(done))
		return l.threw(c, now)
	}
	nominal := batchWeight(c.batch)
	l.counts.addNominal(metric.StagingPuts, 1, l.invoked(c.batch)) // each writes its object
	l.counts.addNominal(metric.LambdaRecords, int64(len(c.batch)), nominal)
	c.moved = len(c.batch)
	m := l.mappings[c.sh.id]
	if c.part {
		m.pending, m.attempts = m.pending[:len(m.pending)-1], 0
	}
	m.failedStreak = 0
	if len(m.pending) == 0 {
		m.failingSince = 0
	}
	return nil
}

// noteTail puts the event behind uuid i in the tail, with its fate.
func (l *lambdaStage) noteTail(at time.Time, shardName string, i int) {
	fate := FateStaged
	switch {
	case l.seen[i]:
		fate = FateCaught
	case l.unchecked:
		fate = FateUnchecked
	}
	ev := &l.events[i]
	l.tail.add(TailEvent{At: at, UUID: ev.UUID, Name: ev.Subtype.EventName, Language: l.languages.of(l.cat.Language(ev)), Shard: shardName, Fate: fate, Copy: l.copies[i]})
}

// invoked counts one invocation of a batch, the nominal invocations it
// stands for (at least one), and the milliseconds they are billed: each
// its modelled duration, rounded up.
func (l *lambdaStage) invoked(batch []record) (whole int64) {
	nominal := batchWeight(batch)
	per := max(1, float64(nominal)/float64(l.cfg.BatchSize))
	l.invocationsOwed += per
	whole = int64(l.invocationsOwed)
	l.invocationsOwed -= float64(whole)
	l.counts.addNominal(metric.LambdaInvocations, 1, whole)
	billed := func(records float64) int64 {
		d := float64(l.cfg.InvocationOverhead) + records*float64(l.cfg.PerRecord)
		return int64(math.Ceil(d / float64(time.Millisecond)))
	}
	l.counts.addNominal(metric.LambdaBilledMs, billed(float64(len(batch))), whole*billed(float64(nominal)/per))
	return whole
}

// decode turns kinesis.data into an event; on failure it returns the
// payload as far as it got (the JSON, or the base64 text it could not read).
// The JSON is appended to the second's l.raw and ev's strings are slices
// of it: they hold until the next second's invocations.
func (l *lambdaStage) decode(r *record, now int64, ev *event.Event) ([]byte, *event.InvalidRecordError) {
	start := len(l.raw)
	l.raw = slices.Grow(l.raw, base64.StdEncoding.DecodedLen(len(r.data)))
	n, err := base64.StdEncoding.Decode(l.raw[start:cap(l.raw)], r.data)
	if err != nil {
		return r.data, &event.InvalidRecordError{Reason: event.ReasonBadBase64, Detail: err.Error()}
	}
	l.raw = l.raw[:start+n]
	data := l.raw[start : start+n : start+n]
	if err := l.cat.DecodeEvent(data, now, l.skew, ev); err != nil {
		var inv *event.InvalidRecordError
		if errors.As(err, &inv) {
			return data, inv
		}
		return data, &event.InvalidRecordError{Reason: event.ReasonBadJSON, Detail: err.Error()}
	}
	return nil, nil
}

// stopError marks a failure that ends the run (the lake cannot be
// written), as opposed to one the event-source mapping retries.
type stopError struct{ err error }

func (e *stopError) Error() string { return e.err.Error() }
func (e *stopError) Unwrap() error { return e.err }

func growEvents(s []event.Event, n int) []event.Event {
	if cap(s) < n {
		s = append(s[:cap(s)], make([]event.Event, n-cap(s))...)
	}
	return s[:n]
}

func growBools(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	return s[:n]
}

func growBytes(b *[]byte, n int) []byte {
	if cap(*b) < n {
		*b = make([]byte, n)
	}
	*b = (*b)[:n]
	return *b
}

// batchWeight is the nominal records a batch stands for.
func batchWeight(batch []record) (n int64) {
	for _, r := range batch {
		n += r.weight
	}
	return n
}

func (l *lambdaStage) noteStaged(minute time.Time, shardName string, bytes int, w int64) error {
	if !l.open.Minute.Equal(minute) {
		l.open = StagingPartition{Minute: minute}
		l.openShards = map[string]*stagedFile{}
	}
	f := l.openShards[shardName]
	if f == nil {
		name, err := store.StagingFileName(shardName)
		if err != nil {
			return err
		}
		f = &stagedFile{key: stagedKey{minute, name}}
		l.openShards[shardName] = f
		l.open.Files++
	}
	if k := len(f.weights) - 1; k >= 0 && f.weights[k].weight == w {
		f.weights[k].n++
	} else {
		f.weights = append(f.weights, weightRun{1, w})
	}
	l.open.Lines++
	l.open.NominalLines += w
	l.open.Bytes += int64(bytes)
	l.open.NominalBytes += int64(bytes) * w
	return nil
}

// takeMinute hands over the partition written this minute, now closed,
// and what its files hold.
func (l *lambdaStage) takeMinute() (StagingPartition, []stagedFile, bool) {
	p := l.open
	files := make([]stagedFile, 0, len(l.openShards))
	for _, f := range l.openShards {
		files = append(files, *f)
	}
	l.open, l.openShards = StagingPartition{}, nil
	p.Closed = true
	return p, files, p.Files > 0
}
