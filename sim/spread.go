package sim

import (
	"math"
	"math/bits"
)

// spread hands out, one item at a time, the nominal figure that a group of
// materialised items stands for: item i gets ⌊i·nominal/count⌋ −
// ⌊(i−1)·nominal/count⌋, so any run of items gets its share and the whole
// group exactly its total. A staging minute's lines are one group (Glue
// reads them into rows and duplicates), a Parquet file's rows another (a
// merge splits them over new files).
type spread struct {
	nominal, count int64
	given          int64 // items handed out so far
	even           int64 // when every item stands for the same: that
}

func newSpread(nominal, count int64) *spread {
	s := &spread{nominal: nominal, count: count}
	if count > 0 && nominal%count == 0 {
		s.even = nominal / count // the common case: one ratio all along
	}
	return s
}

// uniform is a group of unknown size whose items each stand for weight.
func uniform(weight int64) *spread { return &spread{even: weight} }

// next is the nominal figure of the next item. Items past count (a group
// that grew after it was measured) stand for the group's average.
func (s *spread) next() int64 {
	if s.even > 0 {
		return s.even
	}
	if s.count <= 0 {
		return 1
	}
	if s.given >= s.count {
		return max(1, s.nominal/s.count)
	}
	s.given++
	return mulDiv(s.given, s.nominal, s.count) - mulDiv(s.given-1, s.nominal, s.count)
}

// weightRun is n lines in a row that each stand for weight records.
type weightRun struct{ n, weight int64 }

// runs hands out, line by line, the weights of a file's runs; lines past
// them stand for one.
type runs struct {
	list []weightRun
	i    int
	used int64 // lines of list[i] handed out
}

func (r *runs) next() int64 {
	for r.i < len(r.list) && r.used == r.list[r.i].n {
		r.i, r.used = r.i+1, 0
	}
	if r.i == len(r.list) {
		return 1
	}
	r.used++
	return r.list[r.i].weight
}

// mulDiv is ⌊a·b/c⌋ for non-negative a, b and positive c, computed in
// 128 bits; a result past int64 saturates.
func mulDiv(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(min(q, math.MaxInt64))
}
