package sim

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// The index finds every uuid a run wrote and no other, whatever the keys
// look like: random, all under one prefix (one slot holds them all), at
// the edges of the key space, a run of one, a run of none.
func TestLookbackFindsWhatItHolds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []uuidKey {
		keys := make([]uuidKey, n)
		for i := range keys {
			keys[i] = uuidKey{rng.Uint64(), rng.Uint64()}
		}
		return keys
	}
	samePrefix := random(1000)
	for i := range samePrefix {
		samePrefix[i].hi = 0xabcd<<48 | samePrefix[i].hi&0xff
	}
	for _, tc := range []struct {
		name string
		keys []uuidKey
	}{
		{"random", random(100_000)},
		{"one prefix", samePrefix},
		{"edges", []uuidKey{{0, 0}, {0, 1}, {^uint64(0), ^uint64(0)}, {^uint64(0), 0}, {1 << 63, 0}}},
		{"one", random(1)},
		{"none", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			held := append([]uuidKey(nil), tc.keys...)
			lb := lookback{window: 10}
			lb.add(0, held)
			for _, k := range tc.keys {
				if !lb.contains(idOf(k)) {
					t.Fatalf("%x not found", k)
				}
				for _, near := range []uuidKey{{k.hi, k.lo + 1}, {k.hi + 1, k.lo}, {k.hi ^ 1<<63, k.lo}} {
					if lb.contains(idOf(near)) && !holds(tc.keys, near) {
						t.Fatalf("%x found, never added", near)
					}
				}
			}
			for _, k := range random(1000) {
				if lb.contains(idOf(k)) != holds(tc.keys, k) {
					t.Fatalf("%x: contains disagrees with the keys", k)
				}
			}
		})
	}
}

// A run is forgotten once it is older than the window, the others kept.
func TestLookbackForgetsOldRuns(t *testing.T) {
	a, b, c := uuidKey{1, 1}, uuidKey{2, 2}, uuidKey{3, 3}
	lb := lookback{window: 100}
	lb.add(0, []uuidKey{a})
	lb.add(60, []uuidKey{b})
	lb.add(150, []uuidKey{c}) // a (at 0) is 150 old: gone
	if lb.contains(idOf(a)) || !lb.contains(idOf(b)) || !lb.contains(idOf(c)) {
		t.Errorf("after 150: a %v b %v c %v, want false true true", lb.contains(idOf(a)), lb.contains(idOf(b)), lb.contains(idOf(c)))
	}
}

func idOf(k uuidKey) (id [16]byte) {
	binary.BigEndian.PutUint64(id[:8], k.hi)
	binary.BigEndian.PutUint64(id[8:], k.lo)
	return id
}

func holds(keys []uuidKey, k uuidKey) bool {
	for _, h := range keys {
		if h == k {
			return true
		}
	}
	return false
}

// BenchmarkLookbackContains is Glue's check of a staging line against six
// hourly runs of 2M uuids each (a 6 h lookback at 2M/h), for a uuid that
// is in none of them, the common case.
func BenchmarkLookbackContains(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	lb := lookback{window: 1 << 62}
	for at := range int64(6) {
		keys := make([]uuidKey, 2_000_000)
		for i := range keys {
			keys[i] = uuidKey{rng.Uint64(), rng.Uint64()}
		}
		lb.add(at, keys)
	}
	probes := make([][16]byte, 1<<16)
	for i := range probes {
		probes[i] = idOf(uuidKey{rng.Uint64(), rng.Uint64()})
	}
	var n int64
	for b.Loop() {
		if lb.contains(probes[n&(1<<16-1)]) {
			b.Fatal("found a uuid never added")
		}
		n++
	}
}
