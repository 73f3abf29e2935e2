package sim

import "testing"

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

func TestSamplerKeepsAboutOneInK(t *testing.T) {
	s := sampler{oneIn: 40}
	kept := 0
	const n = 400_000
	for i := range n {
		var id [16]byte
		id[0], id[1], id[2], id[9] = byte(i), byte(i>>8), byte(i>>16), 0x40
		if s.keep(id) {
			kept++
			if !s.keep(id) {
				t.Fatal("the same uuid was kept once and dropped once")
			}
		}
	}
	if kept < n/40*9/10 || kept > n/40*11/10 {
		t.Errorf("kept %d of %d at 1:40, want about %d", kept, n, n/40)
	}
}
