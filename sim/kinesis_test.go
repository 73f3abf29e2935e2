package sim

import (
	"crypto/md5"
	"fmt"
	"math/big"
	"pipesim/sim/config"
	"testing"
	"time"
)

func TestShardIndexMatchesHashKeyRanges(t *testing.T) {
	space := new(big.Int).Lsh(big.NewInt(1), 128)
	for _, n := range []int{1, 2, 3, 7, 280, 1024} {
		for i := range 2000 {
			key := fmt.Appendf(nil, "key-%d", i)
			sum := md5.Sum(key)
			h := new(big.Int).SetBytes(sum[:])
			want := new(big.Int).Div(new(big.Int).Mul(h, big.NewInt(int64(n))), space).Int64()
			if got := shardIndex(key, n); int64(got) != want {
				t.Fatalf("n=%d key %q: shard %d, want %d", n, key, got, want)
			}
		}
	}
}

func TestShardWriteLimits(t *testing.T) {
	cfg := config.Kinesis{WriteRecordsPerSecond: 1000, WriteBytesPerSecond: 1 << 20, Retention: 24 * time.Hour}
	tests := []struct {
		name         string
		weight, size int64
		offered      int
		wantAccepted int64
	}{
		{"records limit", 1, 100, 1500, 1000},
		{"bytes limit", 1, 2048, 1000, 512},                  // 1 MiB / 2 KiB
		{"sampled 1:10", 10, 100, 500, 132},                  // 100 records stand for 1,000, plus a clump of 32
		{"sampled heavier than a second", 2000, 100, 40, 32}, // still moves: the clump allowance
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStream(cfg, 1, &counts{weight: tc.weight})
			open := s.open()
			var accepted int64
			for i := range tc.offered {
				if s.put(open, record{size: tc.size, weight: tc.weight}, fmt.Appendf(nil, "%d", i), 0) {
					accepted++
				}
			}
			if accepted != tc.wantAccepted {
				t.Errorf("accepted %d of %d, want %d", accepted, tc.offered, tc.wantAccepted)
			}
			sh := s.shards[0]
			if sh.cur.records != accepted*tc.weight || sh.cur.refused != (int64(tc.offered)-accepted)*tc.weight {
				t.Errorf("nominal put %d refused %d", sh.cur.records, sh.cur.refused)
			}
			for i, r := range sh.records {
				if r.seq != uint64(i+1) {
					t.Fatalf("record %d has sequence %d", i, r.seq)
				}
			}
		})
	}
}

func TestReshardDrainsParentsFirst(t *testing.T) {
	cfg := config.Kinesis{WriteRecordsPerSecond: 1000, WriteBytesPerSecond: 1 << 20, Retention: time.Hour}
	s := newStream(cfg, 1, &counts{weight: 1})
	s.put(s.open(), record{size: 10, weight: 1}, []byte("a"), 0)
	s.reshard(2)
	if len(s.shards) != 3 || s.shards[0].open || !s.shards[1].open || s.shards[2].id != 2 {
		t.Fatalf("after resharding 1→2: %d shards, first open=%v", len(s.shards), s.shards[0].open)
	}
	s.shards[0].advance(1)
	s.reshard(1)
	if len(s.shards) != 1 || s.shards[0].id != 3 {
		t.Fatalf("drained parents should be forgotten; have %d shards, first id %d", len(s.shards), s.shards[0].id)
	}
}

// A shard's load is averaged over the minutes asked for, this one
// included, and it is full only if it refused a put in them.
func TestShardLoadWindow(t *testing.T) {
	sh := &shard{}
	minute := func(records, refused int64) {
		for range 60 {
			sh.cur.seconds++
		}
		sh.cur.records, sh.cur.bytes, sh.cur.refused = records, records*100, refused
		sh.closeMinute()
	}
	minute(60_000, 600) // refused some, eleven minutes ago: out of every window
	for range ShardWindowMinutes {
		minute(30_000, 0)
	}
	sh.cur.seconds, sh.cur.records, sh.cur.bytes = 30, 60_000, 6_000_000 // this minute so far: twice as busy
	if l, refused := sh.load(1); l.records != (60_000+30_000)/90 || l.bytes != l.records*100 || refused {
		t.Errorf("over this minute and the last: %+v, refused %v; want 1000 records/s, not refused", l, refused)
	}
	if l, _ := sh.load(ShardWindowMinutes); l.records != (60_000+10*30_000)/(30+600) {
		t.Errorf("over the window: %d records/s", l.records)
	}
	sh.cur.refused = 1
	if _, refused := sh.load(1); !refused {
		t.Error("a put refused this minute does not mark the shard")
	}
}

func TestRetentionExpires(t *testing.T) {
	cfg := config.Kinesis{WriteRecordsPerSecond: 1000, WriteBytesPerSecond: 1 << 20, Retention: time.Hour}
	s := newStream(cfg, 1, &counts{weight: 1})
	s.put(s.open(), record{size: 10, copy: true, weight: 3}, []byte("a"), 0)
	s.put(s.open(), record{size: 10, copy: true, weight: 5}, []byte("b"), 30*60e6)
	if got := s.copies(); got != (tally{2, 8}) {
		t.Errorf("copies in the stream %+v, want 2 standing for 8", got)
	}
	gone, copies := s.expire(60 * 60e6)
	if gone != (tally{1, 3}) || copies != (tally{1, 3}) || s.copies() != (tally{1, 5}) {
		t.Errorf("expired %+v, copies %+v, left %+v; want the first record only", gone, copies, s.copies())
	}
	if s.inFlight().n != 1 {
		t.Errorf("in flight %+v, want 1", s.inFlight())
	}
}
