package sim

import (
	"cmp"
	"encoding/binary"
	"slices"
)

// lookback remembers the uuids Glue wrote during a window of simulated
// time, as one sorted run per Glue run: 16 bytes a uuid, a binary search
// per run to look one up, and whole runs dropped as they age out.
type lookback struct {
	window int64 // µs
	runs   []uuidRun
}

type uuidKey struct{ hi, lo uint64 }

type uuidRun struct {
	at   int64
	keys []uuidKey
}

func keyOf(id [16]byte) uuidKey {
	return uuidKey{binary.BigEndian.Uint64(id[:8]), binary.BigEndian.Uint64(id[8:])}
}

func compareKeys(a, b uuidKey) int {
	if c := cmp.Compare(a.hi, b.hi); c != 0 {
		return c
	}
	return cmp.Compare(a.lo, b.lo)
}

func (lb *lookback) contains(id [16]byte) bool {
	k := keyOf(id)
	for _, r := range lb.runs {
		if _, ok := slices.BinarySearchFunc(r.keys, k, compareKeys); ok {
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
	lb.runs = kept
	if len(ids) == 0 {
		return
	}
	slices.SortFunc(ids, compareKeys)
	lb.runs = append(lb.runs, uuidRun{at: at, keys: ids})
}
