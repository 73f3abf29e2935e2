package sim

import (
	"bytes"
	"container/heap"
	"encoding/base64"
	"math/rand/v2"
	"pipesim/sim/config"
	"pipesim/sim/event"
	"pipesim/sim/metric"
	"time"
)

// producer is the app's SDKs: it creates events at the configured rate,
// re-sends some of them (retries seconds later, a few much later than the
// ledger remembers), replays bursts on request, and, as the Kinesis
// Producer Library does, buffers what Kinesis throttles and retries it
// until the record's time to live runs out.
type producer struct {
	cfg     config.Producer
	cat     *event.Catalog
	gen     *event.Generator
	rng     *rand.Rand
	people  *population // nil: independent events keyed by their event_uuid
	curve   *dailyCurve
	creates bool // false once a run's duration is over

	ratePerHour int64
	owed        int64 // nominal events owed, ×3600 (integer rate accounting)
	sampleOwed  int64 // nominal events not yet stood for by a materialised one
	retryRate   float64
	malformed   float64 // share of records sent malformed (fault)
	poison      float64 // share of records that make the function throw (fault)
	late        float64 // share of events sent hours after they were created (fault)

	outbox   []record // the buffer, put every second: throttled retries first
	retrying int      // outbox[:retrying] were refused before
	buffered tally    // outbox
	copies   tally    // of the records in outbox
	pending  dueHeap  // duplicates scheduled for later
	recent   []record // ring of the last records created, for bursts
	next     int      // ring position

	ev    event.Event
	jsonb []byte
	slab  []byte

	dueTimes []int64 // scratch for scheduleDuplicates

	counts *counts
}

func newProducer(cfg config.Producer, j config.Journeys, cat *event.Catalog, seed uint64, ratePerHour int64, c *counts) *producer {
	return &producer{
		cfg:         cfg,
		cat:         cat,
		gen:         cat.NewGenerator(seed),
		rng:         rand.New(rand.NewPCG(seed, 0x70726f6475636572)),
		people:      newPopulation(cfg, j, cat, seed),
		curve:       newDailyCurve(cfg),
		counts:      c,
		creates:     true,
		ratePerHour: ratePerHour,
		retryRate:   cfg.RetryProbability,
		recent:      make([]record, 0, max(1, cfg.BurstSize)),
	}
}

// tick prepares the outbox for the simulated second starting at now (µs).
func (p *producer) tick(now int64) {
	for len(p.pending) > 0 && p.pending[0].due < now+1e6 {
		d := heap.Pop(&p.pending).(due)
		d.rec.arrival = max(d.due, now) // a late event's copies fall due as soon as it is sent
		p.buffer(d.rec)
		p.counts.addNominal(metric.DuplicatesInjected, 1, d.rec.weight)
	}
	if !p.creates {
		return
	}
	// owed is in millionths of an event ×3600: the rate times the curve's factor
	p.owed += p.ratePerHour * p.curve.at(time.UnixMicro(now))
	n := p.owed / (3600 * curveUnit)
	p.owed -= n * 3600 * curveUnit
	// of the n nominal events, 1 in weight is materialised
	p.sampleOwed += n
	w := p.counts.weight
	m := p.sampleOwed / w
	p.sampleOwed -= m * w
	// the app creates them all; those that find the buffer full are lost
	// before they reach the stream
	room := max((int64(p.cfg.MaxBuffered)-p.buffered.nominal)/w, 0)
	if lost := m - min(m, room); lost > 0 {
		p.counts.add(metric.Produced, lost)
		p.counts.add(metric.ProducerDropped, lost)
		m -= lost
	}
	sample := p.counts.sampler()
	if p.people != nil {
		p.people.resize(p.ratePerHour, w)
	}
	for i := range m {
		id := sample.conform(p.gen.UUID())
		p.ev.UUID = id
		p.ev.CreatedAt = now + i*1e6/m
		if p.late > 0 && p.rng.Float64() < p.late {
			p.ev.CreatedAt -= p.between(time.Hour.Microseconds(), 6*time.Hour.Microseconds())
		}
		var key *[16]byte
		switch {
		case p.people == nil:
			p.gen.Fill(&p.ev)
		case p.people.people:
			key = p.people.next(&p.ev, p.gen, now+i*1e6/m)
		default:
			p.gen.Fill(&p.ev)
			key = p.people.pick(&p.ev)
		}
		kind := -1
		if p.malformed > 0 && p.rng.Float64() < p.malformed {
			kind = p.rng.IntN(malformedKinds)
		} else if p.poison > 0 && p.rng.Float64() < p.poison {
			event.Poison(&p.ev)
		}
		r := p.encode(&p.ev, kind)
		r.arrival, r.weight = now+i*1e6/m, w
		r.key = key
		p.buffer(r)
		p.counts.add(metric.Produced, 1)
		p.remember(r)
		p.scheduleDuplicates(r, p.ev.CreatedAt)
	}
}

// encode renders an event as the record an SDK puts: base64 of its JSON,
// broken in the given malformed way unless that is -1.
func (p *producer) encode(e *event.Event, malformed int) record {
	if malformed >= 0 {
		p.jsonb = p.malformedJSON(e, malformed)
	} else {
		p.jsonb = p.cat.AppendEventJSON(p.jsonb[:0], e)
	}
	n := base64.StdEncoding.EncodedLen(len(p.jsonb))
	if len(p.slab) < n {
		p.slab = make([]byte, max(n, 256<<10))
	}
	data := p.slab[:n:n]
	p.slab = p.slab[n:]
	base64.StdEncoding.Encode(data, p.jsonb)
	if malformed == badBase64 {
		data[len(data)/2] = '!'
	}
	return record{uuid: e.UUID, data: data, size: int64(len(p.jsonb)) + event.UUIDTextLen}
}

func (p *producer) scheduleDuplicates(r record, createdAt int64) {
	at := p.dueTimes[:0]
	if p.rng.Float64() < p.retryRate {
		lo, hi := p.cfg.RetryCopies[0], p.cfg.RetryCopies[1]
		for range lo + p.rng.IntN(hi-lo+1) {
			at = append(at, createdAt+p.between(p.cfg.RetryDelay[0].Microseconds(), p.cfg.RetryDelay[1].Microseconds()))
		}
	}
	if p.rng.Float64() < p.cfg.LateProbability {
		at = append(at, createdAt+p.between(p.cfg.LateDelay[0].Microseconds(), p.cfg.LateDelay[1].Microseconds()))
	}
	p.dueTimes = at
	if len(at) == 0 {
		return
	}
	// copies wait for up to hours: bytes of their own, rather than pinning
	// the whole slab the original was cut from
	r.data = bytes.Clone(r.data)
	r.copy = true
	for _, t := range at {
		heap.Push(&p.pending, due{t, r})
	}
}

func (p *producer) between(lo, hi int64) int64 { return lo + p.rng.Int64N(hi-lo+1) }

func (p *producer) remember(r record) {
	if cap(p.recent) == 0 {
		return
	}
	if len(p.recent) < cap(p.recent) {
		p.recent = append(p.recent, r)
		return
	}
	p.recent[p.next] = r
	p.next = (p.next + 1) % len(p.recent)
}

// buffer adds a record to the outbox.
func (p *producer) buffer(r record) {
	p.outbox = append(p.outbox, r)
	p.buffered.add(r)
	if r.copy {
		p.copies.add(r)
	}
}

// burst replays the most recent records, as a client re-uploading its
// offline queue does, at time now (µs). It returns what the copies it
// queued stand for.
func (p *producer) burst(now int64) int64 {
	n := min(len(p.recent), int((int64(p.cfg.BurstSize)+p.counts.weight-1)/p.counts.weight))
	var copies tally
	for _, r := range p.recent[:n] {
		r.arrival, r.copy = now, true
		p.buffer(r)
		copies.add(r)
	}
	p.counts.addTally(metric.DuplicatesInjected, copies)
	return copies.nominal
}

// send puts the buffer on the stream at the second starting at now (µs):
// a record past its time to live is dropped, a throttled one stays for the
// next second, ahead of anything new. Throttled counts a record once, the
// first time it is refused; each later attempt is a put retry.
func (p *producer) send(s *stream, now int64) {
	var sent, throttled, retries, dropped, lostCopies tally
	var sentBytes, sentBytesNominal int64
	var units, unitsNominal, kib, kibNominal int64 // billed: 25 KB payload units, 1 KiB on demand
	open := s.open()
	ttl := p.cfg.RecordTTL.Microseconds()
	var keyBuf [event.UUIDTextLen]byte
	kept := p.outbox[:0]
	for i, r := range p.outbox {
		retry := i < p.retrying
		if now-r.arrival >= ttl {
			p.unbuffer(r)
			dropped.add(r)
			if r.copy {
				lostCopies.add(r)
			}
			continue
		}
		if retry {
			retries.add(r)
		}
		key := event.AppendUUID(keyBuf[:0], r.uuid)
		if r.key != nil {
			key = event.AppendUUID(keyBuf[:0], *r.key)
		}
		if s.put(open, r, key, now+int64(i)*1e6/int64(len(p.outbox))) {
			p.unbuffer(r)
			sent.add(r)
			sentBytes += r.size
			sentBytesNominal += r.size * r.weight
			u, k := ceilDiv(r.size, 25<<10), ceilDiv(r.size, 1<<10)
			units, unitsNominal = units+u, unitsNominal+u*r.weight
			kib, kibNominal = kib+k, kibNominal+k*r.weight
			continue
		}
		if !retry {
			throttled.add(r)
		}
		kept = append(kept, r)
	}
	clear(p.outbox[len(kept):])
	p.outbox, p.retrying = kept, len(kept)
	p.counts.addTally(metric.Sent, sent)
	p.counts.addNominal(metric.SentBytes, sentBytes, sentBytesNominal)
	p.counts.addNominal(metric.PutPayloadUnits, units, unitsNominal)
	p.counts.addNominal(metric.PutKiB, kib, kibNominal)
	p.counts.addTally(metric.Throttled, throttled)
	p.counts.addTally(metric.PutRetries, retries)
	p.counts.addTally(metric.ProducerDropped, dropped)
	p.counts.addTally(metric.DuplicatesLost, lostCopies)
}

// unbuffer takes a record that leaves the outbox off its tallies.
func (p *producer) unbuffer(r record) {
	one := tally{1, r.weight}
	p.buffered.sub(one)
	if r.copy {
		p.copies.sub(one)
	}
}

// due is a duplicate waiting for its moment.
type due struct {
	due int64
	rec record
}

type dueHeap []due

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].due < h[j].due }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(due)) }
func (h *dueHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
