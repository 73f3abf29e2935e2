package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pipesim/sim"
)

// dayOfPartitions is a whole day of minute partitions, oldest first, with
// files and bytes that differ per minute so sums are checkable.
func dayOfPartitions() []sim.StagingPartition {
	day := time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)
	parts := make([]sim.StagingPartition, 1440)
	for i := range parts {
		bytes := int64(1000 + i*13)
		parts[i] = sim.StagingPartition{
			Minute:       day.Add(time.Duration(i) * time.Minute),
			Files:        1 + i%7,
			Bytes:        bytes,
			NominalBytes: bytes, // not sampled
			Closed:       i < 1439,
		}
	}
	return parts
}

func TestStagingTreeOfADay(t *testing.T) {
	parts := dayOfPartitions()
	tree := buildStageTree(parts)

	var wantFiles, wantBytes int64
	hourFiles := map[int]int64{}
	hourBytes := map[int]int64{}
	for _, p := range parts {
		wantFiles += int64(p.Files)
		wantBytes += p.Bytes
		hourFiles[p.Minute.Hour()] += int64(p.Files)
		hourBytes[p.Minute.Hour()] += p.Bytes
	}
	if tree.parts != 1440 || tree.files != wantFiles || tree.bytes != wantBytes {
		t.Fatalf("tree totals %d parts %d files %d bytes, want 1440 %d %d", tree.parts, tree.files, tree.bytes, wantFiles, wantBytes)
	}
	if len(tree.roots) != 1 {
		t.Fatalf("%d years", len(tree.roots))
	}
	year := tree.roots[0]
	month := year.kids[0]
	day := month.kids[0]
	for _, n := range []*stageNode{year, month, day} {
		if n.files != wantFiles || n.bytes != wantBytes || n.parts != 1440 || len(n.kids) == 0 {
			t.Errorf("%s: %d files %d bytes %d parts, want %d %d 1440", n.label, n.files, n.bytes, n.parts, wantFiles, wantBytes)
		}
	}
	if year.label != "year=2024" || month.label != "month=3" || day.label != "day=15" {
		t.Errorf("labels %q %q %q", year.label, month.label, day.label)
	}
	if len(day.kids) != 24 {
		t.Fatalf("%d hours", len(day.kids))
	}
	for i, h := range day.kids {
		hour := 23 - i // newest first
		if h.label != fmt.Sprintf("hour=%d", hour) {
			t.Fatalf("hour %d is %q, want newest first", i, h.label)
		}
		if h.files != hourFiles[hour] || h.bytes != hourBytes[hour] || len(h.kids) != 60 {
			t.Errorf("%s: %d files %d bytes %d minutes, want %d %d 60", h.label, h.files, h.bytes, len(h.kids), hourFiles[hour], hourBytes[hour])
		}
		for j, m := range h.kids {
			p := parts[hour*60+59-j]
			if m.label != fmt.Sprintf("minute=%d", 59-j) || m.files != int64(p.Files) || m.bytes != p.Bytes {
				t.Fatalf("%s/%s = %d files %d bytes, want minute=%d %d %d", h.label, m.label, m.files, m.bytes, 59-j, p.Files, p.Bytes)
			}
		}
	}
	if !day.kids[0].kids[0].open || day.kids[0].kids[1].open {
		t.Error("only the newest minute (23:59) is open")
	}
	if !day.kids[0].newest || day.kids[1].newest || !day.kids[0].kids[0].newest {
		t.Error("newest path not marked")
	}
}

// Unsorted input comes out the same; partitions across years and months
// group correctly.
func TestStagingTreeAcrossMonths(t *testing.T) {
	parts := []sim.StagingPartition{
		{Minute: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Files: 2, Bytes: 20, NominalBytes: 20},
		{Minute: time.Date(2023, 12, 31, 23, 59, 0, 0, time.UTC), Files: 1, Bytes: 10, NominalBytes: 10},
		{Minute: time.Date(2024, 1, 1, 0, 1, 0, 0, time.UTC), Files: 3, Bytes: 30, NominalBytes: 30},
	}
	tree := buildStageTree(parts)
	if len(tree.roots) != 2 || tree.roots[0].label != "year=2024" || tree.roots[1].label != "year=2023" {
		t.Fatalf("years: %v", tree.roots)
	}
	if tree.roots[0].files != 5 || tree.roots[1].bytes != 10 {
		t.Errorf("sums: %d files in 2024, %d bytes in 2023", tree.roots[0].files, tree.roots[1].bytes)
	}
	min := tree.roots[0].kids[0].kids[0].kids[0].kids
	if len(min) != 2 || min[0].label != "minute=1" {
		t.Errorf("2024-01-01 00h minutes: %d, first %q", len(min), min[0].label)
	}
}

func stagingModel(t *testing.T, w, h int) (*Model, *fakeSource) {
	s := fakeSnapshot()
	s.Staging = dayOfPartitions()
	m, src := newTestModel(t, s, w, h)
	press(m, "tab", "tab") // focus staging
	if m.focus != PaneStaging {
		t.Fatalf("focus %v", m.focus)
	}
	return m, src
}

func stagingPaneOf(m *Model) *stagingPane { return m.panes[PaneStaging].(*stagingPane) }

// By default the newest path is open: year, month, day, 24 hours, and the
// newest hour's 60 minutes.
func TestStagingDefaultFoldsAndRender(t *testing.T) {
	m, _ := stagingModel(t, 80, 24)
	p := stagingPaneOf(m)
	if got := len(p.rows); got != 3+24+60 {
		t.Fatalf("%d visible rows, want 87", got)
	}
	v := screen(m)
	for _, want := range []string{"›▾ year=2024", "▾ hour=23", "minute=59 ●", "minute=58", "1-9/87"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

func TestStagingFoldChangesRowCount(t *testing.T) {
	m, _ := stagingModel(t, 80, 24)
	p := stagingPaneOf(m)
	press(m, "down", "down", "down") // year, month, day, hour=23
	if p.rows[p.cursor].label != "hour=23" {
		t.Fatalf("cursor on %q", p.rows[p.cursor].label)
	}
	press(m, "enter")
	if len(p.rows) != 27 {
		t.Fatalf("after folding hour=23: %d rows, want 27", len(p.rows))
	}
	if !strings.Contains(screen(m), "▸ hour=23") || strings.Contains(screen(m), "minute=59") {
		t.Errorf("fold not visible:\n%s", screen(m))
	}
	press(m, "down", "enter") // unfold hour=22
	if len(p.rows) != 87 || !strings.Contains(screen(m), "▾ hour=22") {
		t.Fatalf("after unfolding hour=22: %d rows", len(p.rows))
	}
	// folding the year hides everything below it
	press(m, "g", "enter")
	if len(p.rows) != 1 || !strings.Contains(screen(m), "▸ year=2024") {
		t.Fatalf("after folding the year: %d rows", len(p.rows))
	}
	// enter on a leaf does nothing
	press(m, "enter", "G")
	before := len(p.rows)
	press(m, "enter")
	if p.rows[p.cursor].level == 4 && len(p.rows) != before {
		t.Error("enter on a minute changed the tree")
	}
}

func firstTreeRow(t *testing.T, m *Model) string {
	t.Helper()
	r := m.layout.Panes[PaneStaging]
	line := []rune(screenLines(m)[r.Y+1])
	return strings.TrimSpace(string(line[r.X+1 : r.X+r.W-1]))
}

func TestStagingScrollChangesFirstVisibleRow(t *testing.T) {
	m, _ := stagingModel(t, 80, 24)
	first := firstTreeRow(t, m)
	if !strings.Contains(first, "year=2024") {
		t.Fatalf("first row %q", first)
	}
	for i := 0; i < 9; i++ { // the pane shows 9 rows: the 10th down scrolls
		press(m, "j")
	}
	if got := firstTreeRow(t, m); got == first || !strings.Contains(got, "month=3") {
		t.Errorf("after 9 downs the first row is %q", got)
	}
	press(m, "pgdown")
	if got := firstTreeRow(t, m); !strings.Contains(got, "minute=") {
		t.Errorf("after pgdown the first row is %q", got)
	}
	press(m, "G")
	if !strings.Contains(screen(m), "79-87/87") || !strings.Contains(screen(m), "hour=0 ") {
		t.Errorf("G does not reach the bottom:\n%s", screen(m))
	}
	press(m, "k")
	press(m, "home")
	if got := firstTreeRow(t, m); !strings.Contains(got, "year=2024") {
		t.Errorf("home: first row %q", got)
	}
}

// A new snapshot with the same staging list does not rebuild the tree; a
// changed one does, and the cursor stays on its folder.
func TestStagingRebuildsOnlyOnChange(t *testing.T) {
	m, src := stagingModel(t, 80, 24)
	p := stagingPaneOf(m)
	press(m, "down", "down", "down", "down") // hour=22? no: hour=23's first minute
	key := p.curKey
	tree := p.tree.roots[0]

	same := *src.snap
	same.Staging = append([]sim.StagingPartition(nil), src.snap.Staging...)
	src.set(&same)
	tick(m, 100*time.Millisecond)
	if p.tree.roots[0] != tree {
		t.Error("an identical staging list rebuilt the tree")
	}

	grown := same
	grown.Staging = append(append([]sim.StagingPartition(nil), same.Staging...), sim.StagingPartition{
		Minute: time.Date(2024, 3, 16, 0, 0, 0, 0, time.UTC), Files: 5, Bytes: 500,
	})
	src.set(&grown)
	tick(m, 100*time.Millisecond)
	if p.tree.roots[0] == tree || p.tree.parts != 1441 {
		t.Fatal("a grown staging list did not rebuild the tree")
	}
	if p.curKey != key || p.rows[p.cursor].key != key {
		t.Errorf("cursor moved off %q to %q", key, p.rows[p.cursor].key)
	}
	if !strings.Contains(screen(m), "day=16") {
		t.Error("the new day is not shown")
	}
}

func BenchmarkStagingDay(b *testing.B) {
	parts := dayOfPartitions()
	sh := &shared{st: NewStyles(true, false), keys: DefaultKeyMap()}
	p := newStagingPane(sh)
	p.SetSize(60, 40)
	s := fakeSnapshot()
	for i := 0; i < b.N; i++ {
		s2 := *s
		s2.Staging = append([]sim.StagingPartition(nil), parts...)
		s2.Staging[len(parts)-1].Files = i
		p.SetSnapshot(&s2)
		_ = p.View()
	}
}
