package store

import (
	"strings"
	"testing"
	"time"
)

func TestPartNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		part PartName
	}{
		{"part-r00007-0000.parquet", PartName{Run: 7}},
		{"part-m00009-0001-of-0003.parquet", PartName{Run: 9, Merge: true, Index: 1, Of: 3}},
		{"part-r99999-0000.parquet", PartName{Run: 99999}},
		{"part-r123456-0000.parquet", PartName{Run: 123456}},
	} {
		if got := tc.part.String(); got != tc.name {
			t.Errorf("%+v names %q, want %q", tc.part, got, tc.name)
		}
		if got, ok := ParsePartName(tc.name); !ok || got != tc.part {
			t.Errorf("ParsePartName(%q) = %+v, %v; want %+v", tc.name, got, ok, tc.part)
		}
	}
	for _, name := range []string{"part-r3.parquet", "part-r00007-0001.parquet", "part-x00007-0000.parquet",
		"part-m00009-0001.parquet", "part-r00007-0000.parquet.tmp", ".part-r00007-0000.parquet", "data.parquet"} {
		if got, ok := ParsePartName(name); ok {
			t.Errorf("ParsePartName(%q) = %+v, want not ours", name, got)
		}
	}
}

// A sampled file says in its footer how many rows it stands for, and the
// listing reads it back; a file without the entry stands for itself.
func TestProcessedFilesNominalRows(t *testing.T) {
	l := openTestLake(t)
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	v, err := l.BeginVersion(DayLanguage)
	if err != nil {
		t.Fatal(err)
	}
	w, err := v.CreatePart(DayLanguage.PartitionOf(day, "lang_de"), PartName{Run: 1}, testCols, ParquetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for i, r := range testRows(10) {
		weight := int64(500 + i) // weights change mid-file when the rate does
		want += weight
		if err := w.WriteWeighted(r, weight); err != nil {
			t.Fatal(err)
		}
	}
	info, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if info.Rows != 10 || info.NominalRows != want {
		t.Fatalf("committed %d rows standing for %d, want 10 for %d", info.Rows, info.NominalRows, want)
	}
	writeIn(t, v, day, "lang_fr", "foreign.parquet", 4)
	if err := v.Commit("test", Watermark{}); err != nil {
		t.Fatal(err)
	}
	files, _, err := l.ProcessedFiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].NominalRows != want || files[1].NominalRows != 4 {
		t.Fatalf("listed %+v, want lang_de standing for %d rows and lang_fr for its 4", files, want)
	}
}

func TestProcessedFilesBadNominalRows(t *testing.T) {
	l := openTestLake(t)
	v, err := l.BeginVersion(DayLanguage)
	if err != nil {
		t.Fatal(err)
	}
	w, err := v.CreatePart(DayLanguage.PartitionOf(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), "lang_de"), PartName{Run: 1}, testCols, ParquetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range testRows(3) {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.nominal = 2 // fewer than the rows: a footer not to believe
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	_, err = v.Files()
	if err == nil || !strings.Contains(err.Error(), `pipesim.nominal_rows is "2"`) || !strings.Contains(err.Error(), "part-r00001-0000.parquet") {
		t.Fatalf("got %v, want an error naming the file and the bad entry", err)
	}
}
