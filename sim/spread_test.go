package sim

import (
	"math"
	"testing"
)

func TestSpreadAddsUpToItsWhole(t *testing.T) {
	for _, tc := range []struct{ nominal, count int64 }{
		{1, 1}, {10, 3}, {500_000, 7}, {7, 7}, {math.MaxInt64 / 2, 1_000_003}, {3_600_000_000, 11},
	} {
		s := newSpread(tc.nominal, tc.count)
		var sum, lo, hi int64 = 0, math.MaxInt64, 0
		for range tc.count {
			n := s.next()
			sum += n
			lo, hi = min(lo, n), max(hi, n)
		}
		if sum != tc.nominal {
			t.Errorf("%d items of %d sum to %d", tc.count, tc.nominal, sum)
		}
		if hi-lo > 1 {
			t.Errorf("%d items of %d range from %d to %d; shares should differ by at most one", tc.count, tc.nominal, lo, hi)
		}
		if n := s.next(); n != max(1, tc.nominal/tc.count) {
			t.Errorf("an item past the group's %d stands for %d, want the average %d", tc.count, n, tc.nominal/tc.count)
		}
	}
	u := uniform(500)
	for range 3 {
		if n := u.next(); n != 500 {
			t.Fatalf("uniform(500).next() = %d", n)
		}
	}
}

func TestMulDiv(t *testing.T) {
	for _, tc := range []struct{ a, b, c, want int64 }{
		{3, 4, 5, 2},
		{1_000_000_000_000, 40_000_000, 1_000_000, 40_000_000_000_000}, // nominal rows × bytes / rows: past 2⁶³ before the division
		{math.MaxInt64, math.MaxInt64, 1, math.MaxInt64},               // saturates
		{0, 7, 3, 0},
	} {
		if got := mulDiv(tc.a, tc.b, tc.c); got != tc.want {
			t.Errorf("mulDiv(%d, %d, %d) = %d, want %d", tc.a, tc.b, tc.c, got, tc.want)
		}
	}
}
