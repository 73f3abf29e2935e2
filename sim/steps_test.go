package sim

import (
	"pipesim/sim/config"
	"testing"
)

func TestRateLadder(t *testing.T) {
	tests := []struct {
		cur  int64
		dir  int
		want int64
	}{
		{1_000, -1, 1_000}, {1_000, +1, 2_000}, {2_000, +1, 5_000}, {5_000, +1, 10_000},
		{1_000_000, +1, 2_000_000}, {1_000_000, -1, 500_000}, {1_000_000_000, +1, 1_000_000_000},
		{300_000, +1, 500_000}, {300_000, -1, 200_000},
	}
	for _, tc := range tests {
		if got := nextRate(tc.cur, tc.dir); got != tc.want {
			t.Errorf("nextRate(%d, %+d) = %d, want %d", tc.cur, tc.dir, got, tc.want)
		}
	}
}

func TestSpeedLadder(t *testing.T) {
	if got := nextSpeed(1, -1); got != 1 {
		t.Errorf("below ×1: %g", got)
	}
	if got := nextSpeed(3600, +1); got != 0 {
		t.Errorf("after ×3600 comes max (0), got %g", got)
	}
	if got := nextSpeed(0, +1); got != 0 {
		t.Errorf("max stays max, got %g", got)
	}
	if got := nextSpeed(0, -1); got != 3600 {
		t.Errorf("below max comes ×3600, got %g", got)
	}
	if up, down := nextSpeed(300, +1), nextSpeed(300, -1); up != 600 || down != 60 {
		t.Errorf("from ×300 (off the ladder): up %g, down %g; want 600 and 60", up, down)
	}
}

func TestSampleRatio(t *testing.T) {
	tests := []struct{ rate, max, want int64 }{
		{1_000, 2_000_000, 1}, {2_000_000, 2_000_000, 1}, {5_000_000, 2_000_000, 5},
		{1_000_000_000, 2_000_000, 500}, {3_000_000, 2_000_000, 2}, {1_000_000_000, 0, 1},
	}
	for _, tc := range tests {
		if got := sampleRatio(tc.rate, tc.max); got != tc.want {
			t.Errorf("sampleRatio(%d, %d) = %d, want %d", tc.rate, tc.max, got, tc.want)
		}
	}
}

func TestSamplerConform(t *testing.T) {
	cfg, err := config.ParseFile("../config.yml")
	if err != nil {
		t.Fatal(err)
	}
	gen := cfg.Catalog.NewGenerator(1)
	for _, k := range []uint64{2, 40, 500, 1 << 39} {
		s := sampler{oneIn: k}
		kept := 0
		const n = 100_000
		for range n {
			id := gen.UUID()
			c := s.conform(id)
			if !s.keep(c) {
				t.Fatalf("1:%d: conform(%x) = %x is not kept", k, id, c)
			}
			if s.keep(id) {
				kept++
				if c != id {
					t.Fatalf("1:%d: a kept uuid was changed", k)
				}
			}
			if c[6]>>4 != 4 || c[8]>>6 != 2 || [10]byte(c[6:]) != [10]byte(id[6:]) {
				t.Fatalf("1:%d: conform touched more than the first six bytes: %x → %x", k, id, c)
			}
		}
		if want := n / int(k); k <= 500 && (kept < want*8/10 || kept > want*12/10) {
			t.Errorf("1:%d kept %d of %d random uuids, want about %d", k, kept, n, want)
		}
	}
}
