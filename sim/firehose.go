package sim

import (
	"encoding/base64"
	"path/filepath"
	"slices"
	"time"

	"pipesim/sim/config"
	"pipesim/sim/metric"
	"pipesim/store"
)

// firehoseStage is a delivery stream with the stream as its source
// (pipeline.mode: firehose). It reads every shard each second (a shard
// takes at most 1 MiB/s of writes and serves 2 MB/s of reads, so a
// consumer keeps up), buffers the records as the producer sent them, one
// to a line, and delivers the buffer as one staging object when it would
// outgrow firehose.buffer_size or its oldest record has waited
// firehose.buffer_interval. Nothing is validated or deduplicated: Glue
// does all of it.
type firehoseStage struct {
	cfg    config.Firehose
	lake   *store.Lake
	counts *counts
	tail   *tail

	buf     []byte       // the records, newline-delimited
	held    tally        // records in buf
	bytes   int64        // nominal bytes in buf
	since   int64        // µs: when the first record in buf was read
	oldest  int64        // µs: the stream arrival of the oldest record in buf (its object's prefix)
	copies  []int        // line numbers (from 1) in buf of records that are copies
	weights []weightRun  // what each line in buf stands for
	objects int64        // delivered so far; names the next
	raw     []byte       // scratch: a decoded record
	open    openMinutes  // where deliveries are noted
	floor   time.Time    // staging minutes before this are closed: an object for one goes in this one
	shipped []stagedFile // delivered since Glue was last told
	longest int64        // µs: the longest a delivered buffer had waited
}

// stagedFile is a staging file as Glue needs to know it beyond what is in
// it: what each line stands for (records made at different sampling
// ratios share a file when the rate changes), and, in a Firehose object,
// which lines are copies (a copy Glue must quarantine is a copy lost).
type stagedFile struct {
	key     stagedKey
	copies  []int
	weights []weightRun
}

// stagedKey names a staging file: its minute and its name.
type stagedKey struct {
	minute time.Time
	name   string
}

func newFirehose(cfg config.Firehose, lake *store.Lake, open openMinutes, c *counts, t *tail) *firehoseStage {
	return &firehoseStage{cfg: cfg, lake: lake, open: open, counts: c, tail: t}
}

// tick reads what the shards hold at the simulated second now (µs) and
// delivers as the buffering hints say.
func (f *firehoseStage) tick(s *stream, now int64) error {
	if err := f.deliverIfDue(now); err != nil {
		return err
	}
	for _, sh := range s.shards {
		n := sh.backlog()
		for i, r := range sh.peekAt(0, n) {
			if err := f.add(r, now); err != nil {
				return err
			}
			if i >= n-TailKept {
				name, lang := rawFields(r.data)
				f.tail.add(TailEvent{At: time.UnixMicro(now).UTC(), UUID: r.uuid, Name: name, Language: lang, Shard: sh.name(), Fate: FateBuffered, Copy: r.copy})
			}
		}
		gone, _ := sh.advance(n)
		f.counts.addTally(metric.FirehoseRecords, gone)
	}
	return f.deliverIfDue(now)
}

// deliverIfDue delivers the buffer once its oldest record has waited the
// interval.
func (f *firehoseStage) deliverIfDue(now int64) error {
	if f.held.n > 0 && now-f.since >= f.cfg.BufferInterval.Microseconds() {
		return f.deliver(now)
	}
	return nil
}

// add buffers one record, delivering first if it would take the buffer
// past its size. A sampled record may stand for more than the buffer
// holds: it goes alone.
func (f *firehoseStage) add(r record, now int64) error {
	data := r.data
	if n, err := base64.StdEncoding.Decode(growBytes(&f.raw, base64.StdEncoding.DecodedLen(len(r.data))), r.data); err == nil {
		data = f.raw[:n]
	} // else: bytes no JSON reader can parse, delivered as they are
	size := int64(len(data)+1) * r.weight
	units := ceilDiv(int64(len(data)), 5<<10) // billed: each record rounded up to 5 KiB
	f.counts.addNominal(metric.Firehose5KiB, units, units*r.weight)
	if f.held.n > 0 && f.bytes+size > f.cfg.BufferSize {
		if err := f.deliver(now); err != nil {
			return err
		}
	}
	if f.held.n == 0 {
		f.since, f.oldest = now, r.arrival
	}
	f.oldest = min(f.oldest, r.arrival)
	f.buf = append(append(f.buf, data...), '\n')
	f.held.add(r)
	f.bytes += size
	if r.copy {
		f.copies = append(f.copies, int(f.held.n))
	}
	if k := len(f.weights) - 1; k >= 0 && f.weights[k].weight == r.weight {
		f.weights[k].n++
	} else {
		f.weights = append(f.weights, weightRun{1, r.weight})
	}
	return nil
}

// deliver writes the buffer as one object in the staging minute of its
// oldest record's arrival, as Firehose's timestamp prefixes do (or, for
// records that waited in the stream past a minute Glue has read, in the
// first minute it has not).
func (f *firehoseStage) deliver(now int64) error {
	minute := time.UnixMicro(f.oldest).UTC().Truncate(time.Minute)
	if minute.Before(f.floor) {
		minute = f.floor
	}
	f.objects++
	obj, err := f.lake.WriteStagingObject(minute, f.objects, f.buf)
	if err != nil {
		return err
	}
	f.open.add(StagingPartition{Minute: minute, Files: 1, Lines: f.held.n, NominalLines: f.held.nominal, Bytes: obj.Bytes, NominalBytes: f.bytes})
	f.counts.addTally(metric.Staged, f.held)
	// a delivery at the buffer's size stands for as many as its bytes fill
	deliveries := max(1, (f.bytes+f.cfg.BufferSize-1)/f.cfg.BufferSize)
	f.counts.addNominal(metric.FirehoseDeliveries, 1, deliveries)
	f.counts.addNominal(metric.StagingPuts, 1, deliveries)
	f.shipped = append(f.shipped, stagedFile{stagedKey{minute, filepath.Base(obj.Path)}, slices.Clone(f.copies), slices.Clone(f.weights)})
	f.longest = max(f.longest, now-f.since)
	f.buf, f.held, f.bytes, f.copies, f.weights = f.buf[:0], tally{}, 0, f.copies[:0], f.weights[:0]
	return nil
}

// info is the stage as the dashboard shows it at now (µs).
func (f *firehoseStage) info(on bool, now int64) FirehoseInfo {
	fi := FirehoseInfo{On: on, Buffered: f.bytes, Records: f.held.nominal, Size: f.cfg.BufferSize,
		Interval: f.cfg.BufferInterval, LongestWait: time.Duration(f.longest) * time.Microsecond}
	if f.held.n > 0 {
		fi.Waited = time.Duration(now-f.since) * time.Microsecond
	}
	return fi
}

// flush delivers whatever is buffered (the stream switched away from
// Firehose, or the run ends).
func (f *firehoseStage) flush(now int64) error {
	if f.held.n == 0 {
		return nil
	}
	return f.deliver(now)
}

// holdsBefore reports the earliest stream arrival Firehose may still
// deliver an object for: its buffer's oldest record, or a record still
// unread in the stream; ok is false when there is none.
func (f *firehoseStage) holdsBefore(s *stream) (at int64, ok bool) {
	if f.held.n > 0 {
		at, ok = f.oldest, true
	}
	for _, sh := range s.shards {
		if sh.backlog() > 0 && (!ok || sh.records[sh.head].arrival < at) {
			at, ok = sh.records[sh.head].arrival, true
		}
	}
	return at, ok
}

// takeShipped hands over the objects delivered since it was last called.
func (f *firehoseStage) takeShipped() []stagedFile {
	out := f.shipped
	f.shipped = nil
	return out
}

// openMinutes are the staging minutes written to and not yet closed, by
// minute: the Lambda's minute just ended, and the minutes Firehose
// delivered into (which close only once Firehose holds nothing older).
type openMinutes map[time.Time]*StagingPartition

// add notes what was written into p's minute.
func (o openMinutes) add(p StagingPartition) {
	q := o[p.Minute]
	if q == nil {
		q = &StagingPartition{Minute: p.Minute}
		o[p.Minute] = q
	}
	q.Files += p.Files
	q.Lines += p.Lines
	q.NominalLines += p.NominalLines
	q.Bytes += p.Bytes
	q.NominalBytes += p.NominalBytes
}

// take hands over the minutes before closedBefore, closed, oldest first.
func (o openMinutes) take(closedBefore time.Time) []StagingPartition {
	var out []StagingPartition
	for m, p := range o {
		if m.Before(closedBefore) {
			p.Closed = true
			out = append(out, *p)
			delete(o, m)
		}
	}
	slices.SortFunc(out, func(a, b StagingPartition) int { return a.Minute.Compare(b.Minute) })
	return out
}

// sorted lists the minutes still open, oldest first.
func (o openMinutes) sorted() []StagingPartition {
	out := make([]StagingPartition, 0, len(o))
	for _, p := range o {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b StagingPartition) int { return a.Minute.Compare(b.Minute) })
	return out
}

// closedBefore is the first staging minute that may still be written to,
// given that the minute before next has ended: with Firehose reading the
// stream, the minute of the oldest record it may yet deliver, but never
// one closed before (records that waited in the stream since a minute
// Glue has read go in the first minute still open: see deliver).
func (e *Engine) closedBefore(next time.Time) time.Time {
	if !e.viaFirehose {
		return next
	}
	if at, ok := e.firehose.holdsBefore(e.stream); ok {
		if m := time.UnixMicro(at).UTC().Truncate(time.Minute); m.Before(next) {
			if m.Before(e.closedUpTo) {
				return e.closedUpTo
			}
			return m
		}
	}
	return next
}
