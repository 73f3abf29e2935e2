package sim

import "encoding/binary"

// sampler stands for a deterministic 1-in-K sample of events, chosen by
// hashing the event uuid: an event is in the sample when its uuid's two
// halves, XORed, are a multiple of K. Copies of an event share its uuid,
// so a duplicate is in exactly when its original is.
//
// Rather than make K uuids to keep one, the producer makes one and moves
// it into the sample (conform): still a random v4 uuid, now one of those
// the rule keeps.
type sampler struct{ oneIn uint64 }

// MaxSampleOneIn keeps conform's adjustment inside the uuid's first six
// bytes, clear of the version and variant bits.
const MaxSampleOneIn = 1 << 40

func fold(id [16]byte) uint64 {
	return binary.LittleEndian.Uint64(id[:8]) ^ binary.LittleEndian.Uint64(id[8:])
}

func (s sampler) keep(id [16]byte) bool {
	return s.oneIn <= 1 || fold(id)%s.oneIn == 0
}

// conform changes the low bits of id's first half so that keep(id) holds.
func (s sampler) conform(id [16]byte) [16]byte {
	if s.keep(id) {
		return id
	}
	const low = 1<<48 - 1
	x := fold(id)
	r := x % s.oneIn
	y := x - r // the multiple of K below x…
	if x&low < r {
		y = x + (s.oneIn - r) // …or above it, whichever stays in the low 48 bits
	}
	lo := binary.LittleEndian.Uint64(id[:8]) ^ (x ^ y)
	binary.LittleEndian.PutUint64(id[:8], lo)
	return id
}

// sampleRatio is the K that keeps at most maxPerHour of ratePerHour, on the
// 1-2-5 ladder so the figure reads well ("sampled 1:500"), and at most
// MaxSampleOneIn (beyond it the machine materialises more than maxPerHour).
func sampleRatio(ratePerHour, maxPerHour int64) int64 {
	if maxPerHour <= 0 || ratePerHour <= maxPerHour {
		return 1
	}
	need := ratePerHour / maxPerHour // written so that it cannot overflow
	if ratePerHour%maxPerHour != 0 {
		need++
	}
	for decade := int64(1); decade <= MaxSampleOneIn; decade *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if k := m * decade; k >= need {
				return min(k, MaxSampleOneIn)
			}
		}
	}
	return MaxSampleOneIn
}

// ratioAt is the run's ratio at rate r: the one asked for, or the
// automatic one.
func (e *Engine) ratioAt(r int64) int64 {
	if e.opt.SampleOneIn > 0 {
		return e.opt.SampleOneIn
	}
	return sampleRatio(r, e.cfg.Scale.MaxEventsPerHour)
}
