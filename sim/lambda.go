package sim

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"pipesim/store"
)

// lambdaStage is the event-source mapping (one per shard) and the function
// it invokes: decode, validate, deduplicate against the ledger, stage.
type lambdaStage struct {
	cfg     LambdaConfig
	skew    time.Duration
	cat     *Catalog
	ledger  store.Ledger
	staging *store.StagingWriter
	dlq     *store.DeadLetterWriter
	weight  int64

	mappings map[int]*mapping // by shard id
	disabled bool             // the mappings are stopped (lambda-down fault)

	// scratch reused across invocations
	events []Event
	ids    [][16]byte
	seen   []bool
	raw    []byte
	line   []byte

	// the staging partition being written this minute
	open       StagingPartition
	openShards map[string]bool

	// invocations at the nominal volume: a sampled batch of n records
	// stands for n·weight/BatchSize real ones
	nominalInvocations float64

	// counters (materialised)
	invocations, deadLettered, duplicates, staged, records int64
	failures                                               int64
	lastErr                                                error
}

// mapping is one shard's event-source mapping: how many invocations it
// can still start this second, and its backoff after a failed batch.
type mapping struct {
	credit       float64
	retryAt      int64 // µs; no invocation before this
	failedStreak int
}

func newLambda(cfg LambdaConfig, skew time.Duration, cat *Catalog, ledger store.Ledger, staging *store.StagingWriter, dlq *store.DeadLetterWriter, weight int64) *lambdaStage {
	return &lambdaStage{cfg: cfg, skew: skew, cat: cat, ledger: ledger, staging: staging, dlq: dlq, weight: weight, mappings: map[int]*mapping{}}
}

// batchRecords is how many materialised records make one invocation's
// batch: BatchSize nominal records.
func (l *lambdaStage) batchRecords() int {
	return int(max(1, int64(l.cfg.BatchSize)/l.weight))
}

// invocationsPerSecond is what one mapping can run in a second: the
// parallelization factor over the modelled duration of a full batch.
func (l *lambdaStage) invocationsPerSecond() float64 {
	d := l.cfg.InvocationOverhead + time.Duration(l.cfg.BatchSize)*l.cfg.PerRecord
	return float64(l.cfg.ParallelizationFactor) * float64(time.Second) / float64(d)
}

// tick runs the mappings for the simulated second starting at now (µs).
// Closed parent shards are drained before their children are read, as
// Kinesis orders them. It returns the largest iterator age afterwards.
func (l *lambdaStage) tick(ctx context.Context, s *stream, now int64) (iteratorAge time.Duration, err error) {
	if !l.disabled {
		if err := l.pollAll(ctx, s, now); err != nil {
			return 0, err
		}
	}
	for _, sh := range s.shards {
		if sh.backlog() > 0 {
			iteratorAge = max(iteratorAge, time.Duration(now+1e6-sh.records[sh.head].arrival)*time.Microsecond)
		}
	}
	return iteratorAge, nil
}

// pollAll runs every mapping once; children wait for their parents.
func (l *lambdaStage) pollAll(ctx context.Context, s *stream, now int64) error {
	parentsBusy := false
	for _, sh := range s.shards {
		if sh.open && parentsBusy {
			continue
		}
		if err := l.poll(ctx, sh, now); err != nil {
			return err
		}
		if !sh.open && sh.backlog() > 0 {
			parentsBusy = true
		}
	}
	return nil
}

func (l *lambdaStage) poll(ctx context.Context, sh *shard, now int64) error {
	m := l.mappings[sh.id]
	if m == nil {
		m = &mapping{}
		l.mappings[sh.id] = m
	}
	perSec := l.invocationsPerSecond()
	m.credit = min(m.credit+perSec, perSec+1)
	b := l.batchRecords()
	for m.credit >= 1 && sh.backlog() > 0 && now >= m.retryAt {
		batch := sh.peek(b)
		if len(batch) < b && l.cfg.BatchingWindow > 0 && batch[0].arrival+l.cfg.BatchingWindow.Microseconds() > now+1e6 {
			break // the batching window is still open
		}
		m.credit--
		l.invocations++
		l.nominalInvocations += max(1, float64(len(batch))*float64(l.weight)/float64(l.cfg.BatchSize))
		if err := l.invoke(ctx, sh.name(), batch, now); err != nil {
			var stop *stopError
			if errors.As(err, &stop) {
				return stop.err
			}
			// the mapping retries the whole batch with backoff; records wait in the shard
			l.failures++
			l.lastErr = err
			m.failedStreak++
			m.retryAt = now + min(int64(1)<<min(m.failedStreak-1, 6), 60)*1e6
			return nil
		}
		m.failedStreak = 0
		sh.advance(len(batch))
	}
	return nil
}

// invoke is the Lambda function for one batch. It writes nothing unless
// the ledger answers, so a failed batch can be retried whole.
func (l *lambdaStage) invoke(ctx context.Context, shardName string, batch []record, now int64) error {
	type rejected struct {
		payload []byte // what the function was handed: decoded, unless the base64 itself was bad
		err     *InvalidRecordError
	}
	var bad []rejected
	l.events = growEvents(l.events, len(batch))
	l.ids = l.ids[:0]
	valid := l.events[:0]
	for i := range batch {
		r := &batch[i]
		ev := &l.events[len(valid)]
		if payload, err := l.decode(r, now, ev); err != nil {
			bad = append(bad, rejected{bytes.Clone(payload), err})
			continue
		}
		valid = valid[:len(valid)+1]
		l.ids = append(l.ids, ev.UUID)
	}
	l.seen = growBools(l.seen, len(l.ids))
	if len(l.ids) > 0 {
		if err := l.ledger.CheckAndAdd(ctx, time.UnixMicro(now).UTC(), l.ids, l.seen); err != nil {
			return fmt.Errorf("lambda on %s: ledger: %w", shardName, err)
		}
	}
	at := time.UnixMicro(now).UTC()
	minute := at.Truncate(time.Minute)
	for _, rj := range bad {
		if err := l.dlq.Write(at, shardName, rj.err.Reason, rj.err.Detail, rj.payload); err != nil {
			return &stopError{err}
		}
		l.deadLettered++
	}
	for i := range valid {
		if l.seen[i] {
			l.duplicates++
			continue
		}
		l.line = l.cat.AppendStagingJSON(l.line[:0], &valid[i])
		if err := l.staging.Append(minute, shardName, l.line); err != nil {
			return &stopError{err}
		}
		l.noteStaged(minute, shardName, len(l.line)+1)
		l.staged++
	}
	l.records += int64(len(batch))
	return nil
}

// decode turns kinesis.data into an event; on failure it returns the
// payload as far as it got (the JSON, or the base64 text it could not read).
func (l *lambdaStage) decode(r *record, now int64, ev *Event) ([]byte, *InvalidRecordError) {
	n, err := base64.StdEncoding.Decode(growBytes(&l.raw, base64.StdEncoding.DecodedLen(len(r.data))), r.data)
	if err != nil {
		return r.data, &InvalidRecordError{Reason: "bad_base64", Detail: err.Error()}
	}
	if err := l.cat.DecodeEvent(l.raw[:n], now, l.skew, ev); err != nil {
		var inv *InvalidRecordError
		if errors.As(err, &inv) {
			return l.raw[:n], inv
		}
		return l.raw[:n], &InvalidRecordError{Reason: "bad_json", Detail: err.Error()}
	}
	return nil, nil
}

// stopError marks a failure that ends the run (the lake cannot be
// written), as opposed to one the event-source mapping retries.
type stopError struct{ err error }

func (e *stopError) Error() string { return e.err.Error() }
func (e *stopError) Unwrap() error { return e.err }

func growEvents(s []Event, n int) []Event {
	if cap(s) < n {
		s = append(s[:cap(s)], make([]Event, n-cap(s))...)
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

func (l *lambdaStage) noteStaged(minute time.Time, shardName string, bytes int) {
	if !l.open.Minute.Equal(minute) {
		l.open = StagingPartition{Minute: minute}
		l.openShards = map[string]bool{}
	}
	if !l.openShards[shardName] {
		l.openShards[shardName] = true
		l.open.Files++
	}
	l.open.Bytes += int64(bytes)
}

// takeMinute hands over the partition written this minute, now closed.
func (l *lambdaStage) takeMinute() (StagingPartition, bool) {
	p := l.open
	l.open, l.openShards = StagingPartition{}, nil
	p.Closed = true
	return p, p.Files > 0
}

// lambdaCounters is a copy of the stage's counters, to take differences.
type lambdaCounters struct {
	invocations, deadLettered, duplicates, staged, records int64
	nominalInvocations                                     float64
}

func (l *lambdaStage) snapshotCounters() lambdaCounters {
	return lambdaCounters{l.invocations, l.deadLettered, l.duplicates, l.staged, l.records, l.nominalInvocations}
}
