package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"pipesim/internal/perevent"
)

// BenchmarkLedgerCheckAndAdd measures CheckAndAdd throughput in uuids
// (events) per second at steady state: TTL 1 h, every live bucket already
// holding uuids, simulated time moving at 1M events/hour (so buckets roll
// over and their uuids are removed), every 100th uuid a repeat of one seen
// ten batches before. Each uuid is added, looked up and removed once, so the
// cost barely depends on Buckets.
func BenchmarkLedgerCheckAndAdd(b *testing.B) {
	backends := []struct {
		name  string
		start func(testing.TB) *ledgerBackend
	}{
		{"miniredis", startLedgerMiniredis},
		{"redis-server", startLedgerRedisServer},
	}
	for _, be := range backends {
		for _, buckets := range []int{4, 12} {
			for _, batch := range []int{100, 500} {
				b.Run(fmt.Sprintf("%s/buckets=%d/batch=%d", be.name, buckets, batch), func(b *testing.B) {
					benchLedger(b, be.start(b), buckets, batch)
				})
			}
		}
	}
}

func benchLedger(b *testing.B, be *ledgerBackend, buckets, batch int) {
	opt := LedgerOptions{TTL: time.Hour, Buckets: buckets, KeyPrefix: "bench:"}
	l := openTestLedger(b, be, opt)
	ctx := context.Background()
	ids := make([][16]byte, batch)
	seen := make([]bool, batch)
	var next uint64
	fill := func(now time.Time) {
		for i := range ids {
			n := next
			if next%100 == 99 && next >= uint64(10*batch) {
				n = next - uint64(10*batch)
			}
			binary.BigEndian.PutUint64(ids[i][8:], n)
			next++
		}
		if err := l.CheckAndAdd(ctx, now, ids, seen); err != nil {
			b.Fatal(err)
		}
	}
	// Put a batch in every bucket of the window, then run at 1M events/hour.
	now := t0
	for range buckets + 1 {
		fill(now)
		now = now.Add(opt.TTL / time.Duration(buckets))
	}
	const perEvent = time.Hour / 1_000_000
	start := next
	c := perevent.Start(b)
	for b.Loop() {
		fill(now)
		now = now.Add(time.Duration(batch) * perEvent)
	}
	c.Done(int64(next - start))
}
