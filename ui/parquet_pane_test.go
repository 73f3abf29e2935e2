package ui

import (
	"strings"
	"testing"

	"pipesim/sim"
)

// A partition whose files straddle the band says how many fall where; an
// average in the band does not make it "ok". The band and its legend are
// the config's (glue.target_file_bytes), not a constant of the screen.
func TestParquetRowCountsFilesAgainstTheBand(t *testing.T) {
	s := fakeSnapshot()
	pp := &s.Processed[len(s.Processed)-1]
	pp.Files = nil
	for i := range 11 {
		size := int64(5_000_000) // 9 small files …
		if i >= 9 {
			size = 900_000_000 // … and 2 in the band: the average, 168 MB, is in it
		}
		pp.Files = append(pp.Files, sim.ParquetFile{Name: "f", Bytes: size, Rows: size / 40, NominalBytes: size, NominalRows: size / 40})
	}
	m, _ := newTestModel(t, s, 160, 48)
	var row string
	for _, l := range screenLines(m) {
		if strings.Contains(l, " "+lang(pp.Value)+" ") && strings.Contains(l, "11f") {
			row = l
		}
	}
	if !strings.Contains(row, "9 small 2 ok") {
		t.Errorf("the row of a partition of 9 small files and 2 in the band: %q; want \"9 small 2 ok\"", row)
	}

	s = fakeSnapshot()
	s.FileBand = sim.FileBand{Lo: 1_000_000, Hi: 1_000_000_000}
	m, _ = newTestModel(t, s, 160, 48)
	if v := screen(m); !strings.Contains(v, "░ 1 MB–1 GB") || strings.Contains(v, " small ") {
		t.Errorf("with glue.target_file_bytes=[1MB,1GB] the pane shows another band, or files below it:\n%s", v)
	}
}
