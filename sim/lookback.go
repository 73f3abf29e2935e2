package sim

import (
	"cmp"
	"encoding/binary"
	"slices"
)

// lookback remembers the uuids Glue wrote during a window of simulated
// time, as one sorted run per Glue run: 16 bytes a uuid, and whole runs
// dropped as they age out. Each run is indexed by its keys' leading bits,
// so a lookup reads a slot of the index and the few keys it points at
// (two cache misses a run) instead of binary-searching millions.
type lookback struct {
	window int64 // µs
	runs   []uuidRun
}

type uuidKey struct{ hi, lo uint64 }

// uuidRun is the uuids one Glue run wrote, sorted; start[p] is the first
// of them whose leading bits (hi >> shift) are at least p.
type uuidRun struct {
	at    int64
	keys  []uuidKey
	shift uint
	start []uint32
}

// Index sizing: about keysPerSlot keys a slot (a cache line of keys),
// at most 2^maxIndexBits slots.
const (
	keysPerSlot  = 4
	maxIndexBits = 24
)

func keyOf(id [16]byte) uuidKey {
	return uuidKey{binary.BigEndian.Uint64(id[:8]), binary.BigEndian.Uint64(id[8:])}
}

func compareKeys(a, b uuidKey) int {
	if c := cmp.Compare(a.hi, b.hi); c != 0 {
		return c
	}
	return cmp.Compare(a.lo, b.lo)
}

func newUUIDRun(at int64, keys []uuidKey) uuidRun {
	slices.SortFunc(keys, compareKeys)
	bits := 0
	for bits < maxIndexBits && len(keys)>>bits > keysPerSlot {
		bits++
	}
	r := uuidRun{at: at, keys: keys, shift: uint(64 - bits), start: make([]uint32, 1<<bits+1)}
	i := 0
	for p := range r.start {
		for i < len(keys) && keys[i].hi>>r.shift < uint64(p) {
			i++
		}
		r.start[p] = uint32(i)
	}
	return r
}

func (r *uuidRun) contains(k uuidKey) bool {
	p := k.hi >> r.shift
	_, ok := slices.BinarySearchFunc(r.keys[r.start[p]:r.start[p+1]], k, compareKeys)
	return ok
}

func (lb *lookback) contains(id [16]byte) bool {
	k := keyOf(id)
	for i := range lb.runs {
		if lb.runs[i].contains(k) {
			return true
		}
	}
	return false
}

// add keeps the uuids written by a run at time at, and forgets runs that
// have left the window.
func (lb *lookback) add(at int64, ids []uuidKey) {
	kept := lb.runs[:0]
	for _, r := range lb.runs {
		if r.at >= at-lb.window {
			kept = append(kept, r)
		}
	}
	clear(lb.runs[len(kept):])
	lb.runs = kept
	if len(ids) == 0 {
		return
	}
	lb.runs = append(lb.runs, newUUIDRun(at, ids))
}
