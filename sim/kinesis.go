package sim

import (
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"pipesim/sim/config"
	"time"
)

// record is one Kinesis record as the stream holds it. data is what a
// Lambda receives in kinesis.data: base64 of the event JSON.
type record struct {
	uuid    [16]byte
	data    []byte    // base64 text
	size    int64     // bytes counted against the shard limit: data blob + partition key
	seq     uint64    // per shard, increasing
	arrival int64     // µs, simulated: when it entered the producer's buffer, then when the stream took it
	copy    bool      // a copy an SDK re-sent, not the event's first send
	key     *[16]byte // its partition key (a user or session); nil: its event_uuid
	weight  int64     // nominal records it stands for: the sampling ratio when its event was made
}

// tally is a number of records and what they stand for.
type tally struct{ n, nominal int64 }

func (t *tally) add(r record) {
	t.n++
	t.nominal += r.weight
}

func (t *tally) sub(o tally) {
	t.n -= o.n
	t.nominal -= o.nominal
}

// shard is one Kinesis shard: a hash-key range, write limits enforced as
// token buckets in nominal units, and the records waiting for Lambda.
type shard struct {
	id      int
	open    bool // closed parents take no writes and are drained first
	records []record
	head    int   // records[head:] are unread
	unread  tally // records[head:]
	copies  tally // of the unread records
	nextSeq uint64

	recTokens, byteTokens float64

	// write load, nominal: this minute so far and the minutes before
	cur     shardLoad
	past    [ShardWindowMinutes]shardLoad
	minutes int // complete minutes in past, up to its length
}

// shardLoad is a shard's write load over some seconds, nominal.
type shardLoad struct {
	records, bytes int64
	refused        int64 // put attempts refused
	seconds        int64 // what it covers: a minute, or less when the rate changed in it
}

// ShardWindowMinutes is the longest window shard load is averaged over.
const ShardWindowMinutes = 10

// closeMinute ends the minute of the shard's load.
func (s *shard) closeMinute() {
	copy(s.past[1:], s.past[:len(s.past)-1])
	s.past[0], s.cur = s.cur, shardLoad{}
	s.minutes = min(s.minutes+1, len(s.past))
}

// load averages the shard's write load per second over this minute so far
// and up to k minutes before it, and says whether it refused any put then.
func (s *shard) load(k int) (perSec shardLoad, refused bool) {
	sum, seconds := s.window(k)
	if seconds == 0 {
		return shardLoad{}, false
	}
	return shardLoad{records: sum.records / seconds, bytes: sum.bytes / seconds, refused: sum.refused / seconds}, sum.refused > 0
}

// window sums the shard's load over this minute so far and up to k
// minutes before it, and says how many seconds that is.
func (s *shard) window(k int) (sum shardLoad, seconds int64) {
	sum = s.cur
	for _, l := range s.past[:min(k, s.minutes)] {
		sum.records += l.records
		sum.bytes += l.bytes
		sum.refused += l.refused
		sum.seconds += l.seconds
	}
	return sum, sum.seconds
}

func (s *shard) name() string { return shardName(s.id) }

func shardName(id int) string { return fmt.Sprintf("shardId-%012d", id) }

func (s *shard) backlog() int { return len(s.records) - s.head }

// iteratorAge is how long the oldest unread record has waited at now (µs).
func (s *shard) iteratorAge(now int64) time.Duration {
	if s.backlog() == 0 {
		return 0
	}
	return time.Duration(now-s.records[s.head].arrival) * time.Microsecond
}

// peekAt returns up to n unread records after the first skip, without
// consuming them; the slice is valid until the next put or advance.
func (s *shard) peekAt(skip, n int) []record {
	from := s.head + skip
	return s.records[from : from+min(n, len(s.records)-from)]
}

// advance consumes n records, once their batch has succeeded (or they
// expired), and returns what they and the copies among them stand for.
func (s *shard) advance(n int) (gone, copies tally) {
	for _, r := range s.records[s.head : s.head+n] {
		gone.add(r)
		if r.copy {
			copies.add(r)
		}
	}
	s.unread.sub(gone)
	s.copies.sub(copies)
	s.head += n
	if s.head == len(s.records) {
		s.records, s.head = s.records[:0], 0
	} else if s.head > 4096 && s.head > len(s.records)/2 {
		// compact so a long-lived backlog does not pin a growing array
		kept := copy(s.records, s.records[s.head:])
		s.records, s.head = s.records[:kept], 0
	}
	return gone, copies
}

// stream is the Kinesis data stream.
type stream struct {
	cfg    config.Kinesis
	counts *counts // for the sampling weight: the nominal records one materialised record stands for
	shards []*shard
	nextID int
}

func newStream(cfg config.Kinesis, shards int, c *counts) *stream {
	s := &stream{cfg: cfg, counts: c}
	s.reshard(shards)
	return s
}

// open returns the shards that take writes, in hash-key order.
func (s *stream) open() []*shard {
	var out []*shard
	for _, sh := range s.shards {
		if sh.open {
			out = append(out, sh)
		}
	}
	return out
}

// reshard closes the open shards and opens n new ones covering the whole
// hash-key space. Closed parents keep their records until Lambda drains
// them, as Kinesis does; drained parents are forgotten.
func (s *stream) reshard(n int) {
	kept := s.shards[:0]
	for _, sh := range s.shards {
		sh.open = false
		if sh.backlog() > 0 {
			kept = append(kept, sh)
		}
	}
	s.shards = kept
	for range n {
		sh := &shard{id: s.nextID, open: true}
		sh.recTokens, sh.byteTokens = s.bucketSize()
		s.shards = append(s.shards, sh)
		s.nextID++
	}
}

// refill adds one second of write capacity. A bucket holds one second's
// worth. When sampled, it may also hold a few sampled records' weight: a
// shard sees only a handful of sampled records a second, and their random
// clumping must not read as throttling that the full stream would not
// see. Sustained overload still throttles.
// forgetLoad starts every shard's load window afresh: after the rate
// changes, an average over minutes of the rate before would not be the
// load of the rate in force.
func (s *stream) forgetLoad() {
	for _, sh := range s.shards {
		sh.cur, sh.minutes = shardLoad{}, 0
	}
}

func (s *stream) refill() {
	recs, bytes := s.bucketSize()
	for _, sh := range s.shards {
		sh.recTokens = min(sh.recTokens+float64(s.cfg.WriteRecordsPerSecond), recs)
		sh.byteTokens = min(sh.byteTokens+float64(s.cfg.WriteBytesPerSecond), bytes)
		sh.cur.seconds++
	}
}

func (s *stream) bucketSize() (records, bytes float64) {
	records, bytes = float64(s.cfg.WriteRecordsPerSecond), float64(s.cfg.WriteBytesPerSecond)
	if w := s.counts.weight; w > 1 {
		const clump = 32 // sampled records
		records += float64(clump * w)
		bytes += float64(clump * w * 1024)
	}
	return records, bytes
}

// shardsNeeded is how many shards carry ratePerHour events of avgBytes
// each (0: not known yet) with cfg.Headroom of both write limits left
// free: the larger of the two counts, at least 1.
func shardsNeeded(ratePerHour int64, avgBytes float64, cfg config.Kinesis) int {
	perSec, use := float64(ratePerHour)/3600, 1-cfg.Headroom
	n := math.Ceil(perSec / (float64(cfg.WriteRecordsPerSecond) * use))
	n = max(n, math.Ceil(perSec*avgBytes/(float64(cfg.WriteBytesPerSecond)*use)))
	return max(int(n), 1)
}

// shardIndex maps a partition key to one of n shards by the MD5 hash-key range
// that contains it: shard i of n owns [i·2¹²⁸/n, (i+1)·2¹²⁸/n).
func shardIndex(partitionKey []byte, n int) int {
	sum := md5.Sum(partitionKey)
	hi := binary.BigEndian.Uint64(sum[:8])
	lo := binary.BigEndian.Uint64(sum[8:])
	// floor((hi·2⁶⁴ + lo)·n / 2¹²⁸), exactly
	hiN, hiNLo := bits.Mul64(hi, uint64(n))
	loN, _ := bits.Mul64(lo, uint64(n))
	_, carry := bits.Add64(hiNLo, loN, 0)
	return int(hiN + carry)
}

// put offers one record to the stream at time now (µs). It reports false
// when the shard's write limit throttles it.
func (s *stream) put(open []*shard, r record, partitionKey []byte, now int64) bool {
	sh := open[shardIndex(partitionKey, len(open))]
	w := float64(r.weight)
	if sh.recTokens < w || sh.byteTokens < w*float64(r.size) {
		sh.cur.refused += r.weight
		return false
	}
	sh.recTokens -= w
	sh.byteTokens -= w * float64(r.size)
	sh.cur.records += r.weight
	sh.cur.bytes += r.weight * r.size
	sh.nextSeq++
	r.seq = sh.nextSeq
	r.arrival = now
	sh.records = append(sh.records, r)
	sh.unread.add(r)
	if r.copy {
		sh.copies.add(r)
	}
	return true
}

// sequenceNumber renders a record's sequence number the way Kinesis shows
// them: a long decimal that increases within a shard.
func sequenceNumber(shardID int, seq uint64) string {
	return fmt.Sprintf("4959%06d%046d", shardID, seq)
}

// expire drops records older than the retention period and counts them,
// and the copies among them.
func (s *stream) expire(now int64) (gone, copies tally) {
	cutoff := now - s.cfg.Retention.Microseconds()
	for _, sh := range s.shards {
		n := 0
		for _, r := range sh.records[sh.head:] {
			if r.arrival > cutoff {
				break
			}
			n++
		}
		g, c := sh.advance(n)
		gone.n, gone.nominal = gone.n+g.n, gone.nominal+g.nominal
		copies.n, copies.nominal = copies.n+c.n, copies.nominal+c.nominal
	}
	return gone, copies
}

// closeMinute ends the minute of every shard's load.
func (s *stream) closeMinute() {
	for _, sh := range s.shards {
		sh.closeMinute()
	}
}

// copies is what the copies among the records in the stream stand for.
func (s *stream) copies() (t tally) {
	for _, sh := range s.shards {
		t.n, t.nominal = t.n+sh.copies.n, t.nominal+sh.copies.nominal
	}
	return t
}

// inFlight is every record in the stream not yet read by Lambda.
func (s *stream) inFlight() (t tally) {
	for _, sh := range s.shards {
		t.n, t.nominal = t.n+sh.unread.n, t.nominal+sh.unread.nominal
	}
	return t
}
