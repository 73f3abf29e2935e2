package sim

import "encoding/binary"

// sampler keeps a deterministic 1-in-K share of events, chosen by hashing
// the event uuid, so that every copy of an event is kept exactly when its
// original is.
type sampler struct{ oneIn uint64 }

func (s sampler) keep(id [16]byte) bool {
	if s.oneIn <= 1 {
		return true
	}
	return mix64(binary.LittleEndian.Uint64(id[:8])^binary.LittleEndian.Uint64(id[8:]))%s.oneIn == 0
}

// mix64 is the splitmix64 finaliser: uuid bytes are random already, this
// only guards against structure in how they were made.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// sampleRatio is the K that keeps at most maxPerHour of ratePerHour, on the
// 1-2-5 ladder so the figure reads well ("sampled 1:500").
func sampleRatio(ratePerHour, maxPerHour int64) int64 {
	if maxPerHour <= 0 || ratePerHour <= maxPerHour {
		return 1
	}
	need := (ratePerHour + maxPerHour - 1) / maxPerHour
	for decade := int64(1); ; decade *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if k := m * decade; k >= need {
				return k
			}
		}
	}
}
