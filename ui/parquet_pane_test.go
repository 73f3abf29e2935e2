package ui

import (
	"strings"
	"testing"
	"time"

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

// Where the whole mix would squeeze the bar, the row says the class with
// the most files outside the band against all of them.
func TestFileMixShort(t *testing.T) {
	m, _ := newTestModel(t, fakeSnapshot(), 80, 24)
	p := m.panes[PaneParquet].(*parquetPane)
	for _, tc := range []struct {
		n           [3]int
		long, short string
	}{
		{[3]int{9, 2, 0}, "9 small 2 ok", "9/11 small"},
		{[3]int{1, 0, 3}, "1 small 3 big", "3/4 big"},
		{[3]int{0, 4, 0}, "ok", "ok"},
		{[3]int{0, 0, 2}, "big", "big"},
	} {
		if long, _ := p.fileMix(tc.n, false); long != tc.long {
			t.Errorf("fileMix(%v) = %q, want %q", tc.n, long, tc.long)
		}
		if short, _ := p.fileMix(tc.n, true); short != tc.short {
			t.Errorf("fileMix(%v, short) = %q, want %q", tc.n, short, tc.short)
		}
	}
}

// The Parquet pane names the Glue run in flight, when it ends, and the run
// queued behind it.
func TestGlueRunningLine(t *testing.T) {
	at := fakeSnapshot().SimTime
	g := &sim.GlueInFlight{Run: 4, Why: "scheduled", Started: at, Ends: at.Add(100 * time.Second), Next: "on demand"}
	want := "Glue run 4 (scheduled) running since 14:37:25, publishes 14:39:05; then the on demand run asked meanwhile"
	if got := glueRunning(g); got != want {
		t.Errorf("glueRunning = %q, want %q", got, want)
	}
	s := fakeSnapshot()
	s.Glue = g
	m, _ := newTestModel(t, s, 160, 48)
	if v := screen(m); !strings.Contains(v, "Glue run 4 (scheduled) running since 14:37:25") {
		t.Errorf("the Parquet pane does not name the run in flight:\n%s", v)
	}
}
