package sim

import "testing"

func TestFileBand(t *testing.T) {
	band := FileBand{Lo: 100_000_000, Hi: 1_000_000_000}
	var files []ParquetFile
	for _, tc := range []struct {
		b    int64
		want SizeClass
	}{{2_000_000, BelowBand}, {99_999_999, BelowBand}, {100_000_000, InBand}, {1_000_000_000, InBand}, {1_000_000_001, AboveBand}} {
		if got := band.Classify(tc.b); got != tc.want {
			t.Errorf("Classify(%d) = %v, want %v", tc.b, got, tc.want)
		}
		files = append(files, ParquetFile{NominalBytes: tc.b})
	}
	if got := band.Count(files); got != [3]int{2, 2, 1} {
		t.Errorf("Count = %v, want 2 below, 2 in, 1 above", got)
	}
}
