package store

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// writeIn writes a Parquet file of n test rows, named name, into v's
// partition of day and language.
func writeIn(t testing.TB, v *NextVersion, day time.Time, lang, name string, n int) ParquetFileInfo {
	t.Helper()
	dir, err := DayLanguage.dir(DayLanguage.PartitionOf(day, lang))
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(v.l.Root, filepath.Join(v.dir, dir))
	if err != nil {
		t.Fatal(err)
	}
	return writeTestParquet(t, v.l, rel, name, testRows(n), ParquetOptions{})
}

func TestAnEmptyLakeIsVersionZero(t *testing.T) {
	l := openTestLake(t)
	c, err := l.CurrentCommit()
	want := Commit{Added: []string{}, Retired: []string{}}
	if err != nil || !reflect.DeepEqual(c, want) {
		t.Fatalf("CurrentCommit = %+v, %v; want %+v", c, err, want)
	}
	if target, err := os.Readlink(filepath.Join(l.Root, "datalake", "processed")); err != nil || target != filepath.Join(".versions", "processed-00000") {
		t.Errorf("processed links to %q, %v", target, err)
	}
	// Opening it again changes nothing.
	if _, err := OpenLake(l.Root); err != nil {
		t.Fatal(err)
	}
	if files, _, err := l.ProcessedFiles(); err != nil || len(files) != 0 {
		t.Errorf("ProcessedFiles = %v, %v; want none", files, err)
	}
}

func TestCommitRecordsWhatChanged(t *testing.T) {
	l := openTestLake(t)
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	v, err := l.BeginVersion(DayLanguage)
	if err != nil {
		t.Fatal(err)
	}
	writeIn(t, v, day, "lang_de", "part-r00001-0000.parquet", 2)
	writeIn(t, v, day, "lang_fr", "part-r00001-0000.parquet", 3)
	east := time.FixedZone("east", 3*3600)
	if err := v.Commit("glue run 1", Watermark{Through: time.Date(2026, 1, 5, 3, 5, 0, 0, east), Runs: 1}); err != nil {
		t.Fatal(err)
	}
	record := readFile(t, filepath.Join(l.Root, "datalake", "processed", "_commit.json"))
	want := `{
  "version": 1,
  "what": "glue run 1",
  "layout": "day_language",
  "watermark": {
    "through": "2026-01-05T00:05:00Z",
    "runs": 1
  },
  "added": [
    "year=2026/month=1/day=5/language_id=lang_de/part-r00001-0000.parquet",
    "year=2026/month=1/day=5/language_id=lang_fr/part-r00001-0000.parquet"
  ],
  "retired": []
}
`
	if record != want {
		t.Errorf("commit record:\n%s\nwant\n%s", record, want)
	}
	if got := dirNames(t, filepath.Join(l.Root, "datalake", ".versions")); !slices.Equal(got, []string{"processed-00001"}) {
		t.Errorf("versions on disk: %q, want only the current one", got)
	}

	// Version 2 keeps lang_fr, merges lang_de's file into a new one.
	v, err = l.BeginVersion(DayLanguage)
	if err != nil {
		t.Fatal(err)
	}
	writeIn(t, v, day, "lang_de", "part-r00002-0000.parquet", 1)
	if err := v.KeepCurrent(); err != nil {
		t.Fatal(err)
	}
	files, err := v.Files()
	if err != nil {
		t.Fatal(err)
	}
	writeIn(t, v, day, "lang_de", "part-m00002-0000-of-0001.parquet", 3)
	for _, f := range files {
		if f.Partition.Value == "lang_de" {
			if err := v.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := v.Commit("glue run 2", Watermark{Through: day.Add(time.Hour), Runs: 2}); err != nil {
		t.Fatal(err)
	}
	c, err := l.CurrentCommit()
	wantC := Commit{Version: 2, What: "glue run 2", Layout: "day_language", Watermark: Watermark{Through: day.Add(time.Hour), Runs: 2},
		Added:   []string{"year=2026/month=1/day=5/language_id=lang_de/part-m00002-0000-of-0001.parquet"},
		Retired: []string{"year=2026/month=1/day=5/language_id=lang_de/part-r00001-0000.parquet"}}
	if err != nil || !reflect.DeepEqual(c, wantC) {
		t.Errorf("CurrentCommit = %+v, %v; want %+v", c, err, wantC)
	}
	if wm, err := l.LoadWatermark(); err != nil || wm != wantC.Watermark {
		t.Errorf("LoadWatermark = %+v, %v", wm, err)
	}
	got, _, err := l.ProcessedFiles()
	if err != nil {
		t.Fatal(err)
	}
	var rows []int64
	for _, f := range got {
		rows = append(rows, f.Rows)
	}
	if !slices.Equal(rows, []int64{3, 3}) {
		t.Errorf("current rows per file %v, want the merged de file and fr's", rows)
	}
}

func TestCommitRecordCorrupt(t *testing.T) {
	l := openTestLake(t)
	path := filepath.Join(l.versionDir(0), "_commit.json")
	for _, body := range []string{
		"",
		`{"version":0,"watermark":{"through":"2026-11-25T10:05:00Z","runs":3}`,
		`{"version":0,"watermark":{"through":"yesterday","runs":3}}`,
		`{"version":0,"extra":1}`,
		`{"version":0} {}`,
		`{"version":4}`,
		`[]`,
	} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := l.LoadWatermark()
		if err == nil || !strings.HasPrefix(err.Error(), "load commit "+path+": ") {
			t.Errorf("%q: err = %v, want one naming %s", body, err, path)
		}
	}
}

func TestOpenLakeRefusesAProcessedFolder(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "datalake", "processed", "year=2026"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := OpenLake(root)
	if err == nil || !strings.Contains(err.Error(), "is not a link to a version of the processed lake") {
		t.Errorf("err = %v", err)
	}
}

// duckDBRows counts the rows DuckDB reads from the lake's processed glob,
// the README's way. CI installs DuckDB and sets PIPESIM_DUCKDB.
func duckDBRows(t *testing.T, root string) int64 {
	t.Helper()
	script := os.Getenv("PIPESIM_DUCKDB")
	if script == "" {
		t.Skip("PIPESIM_DUCKDB is not set (CI sets it after installing DuckDB): DuckDB check skipped")
	}
	glob := filepath.Join(root, "datalake", "processed", "**", "*.parquet")
	q := "SELECT count(*) AS n FROM read_parquet('" + glob + "', hive_partitioning = true)"
	b, err := exec.Command("node", script, q).CombinedOutput()
	if err != nil {
		t.Fatalf("duckdb: %v\n%s", err, b)
	}
	var got []struct {
		N string `json:"n"`
	}
	if err := json.Unmarshal(b, &got); err != nil || len(got) != 1 {
		t.Fatalf("duckdb said %s: %v", b, err)
	}
	n, err := strconv.ParseInt(got[0].N, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A reader of the processed glob sees whole versions: at every step of
// building the next one (a run's new files, the files kept, a merge, the
// commit record) it reads the last committed rows; a kill at any step
// leaves those rows, and the next start discards the rest.
func TestReadersSeeWholeVersions(t *testing.T) {
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	type step struct {
		name string
		do   func(t *testing.T, v *NextVersion)
	}
	steps := []step{
		{"began", func(*testing.T, *NextVersion) {}},
		{"a run's new file", func(t *testing.T, v *NextVersion) { writeIn(t, v, day, "lang_de", "part-r00002-0000.parquet", 5) }},
		{"a file half written", func(t *testing.T, v *NextVersion) {
			w, err := v.CreatePart(DayLanguage.PartitionOf(day, "lang_fr"), PartName{Run: 2}, testCols, ParquetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range testRows(3) {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"the current files kept", func(t *testing.T, v *NextVersion) {
			if err := v.KeepCurrent(); err != nil {
				t.Fatal(err)
			}
		}},
		{"a merged file written", func(t *testing.T, v *NextVersion) {
			writeIn(t, v, day, "lang_de", PartName{Run: 2, Merge: true, Of: 1}.String(), 9)
		}},
		{"its sources removed", func(t *testing.T, v *NextVersion) {
			files, err := v.Files()
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if p, _ := ParsePartName(filepath.Base(f.Path)); f.Partition.Value == "lang_de" && !p.Merge {
					if err := v.Remove(f); err != nil {
						t.Fatal(err)
					}
				}
			}
		}},
		{"the commit record written", func(t *testing.T, v *NextVersion) {
			if err := writeCommit(v.dir, Commit{Version: v.n, What: "glue run 2"}); err != nil {
				t.Fatal(err)
			}
		}},
	}
	// version 1: de 4 rows, fr 2 rows
	setup := func(t *testing.T) *Lake {
		l := openTestLake(t)
		v, err := l.BeginVersion(DayLanguage)
		if err != nil {
			t.Fatal(err)
		}
		writeIn(t, v, day, "lang_de", "part-r00001-0000.parquet", 4)
		writeIn(t, v, day, "lang_fr", "part-r00001-0000.parquet", 2)
		if err := v.Commit("glue run 1", Watermark{Runs: 1}); err != nil {
			t.Fatal(err)
		}
		return l
	}
	const committed = 6
	t.Run("every step", func(t *testing.T) {
		l := setup(t)
		v, err := l.BeginVersion(DayLanguage)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range steps[:len(steps)-1] { // Commit writes the record itself
			s.do(t, v)
			if n := duckDBRows(t, l.Root); n != committed {
				t.Errorf("after %s DuckDB reads %d rows, want the committed %d", s.name, n, committed)
			}
		}
		if err := v.Commit("glue run 2", Watermark{Runs: 2}); err != nil {
			t.Fatal(err)
		}
		// de merged to 9 rows, fr 2 (its half-written file never committed)
		if n := duckDBRows(t, l.Root); n != 11 {
			t.Errorf("after the commit DuckDB reads %d rows, want 11", n)
		}
	})
	for i, s := range steps {
		t.Run("killed after "+s.name, func(t *testing.T) {
			l := setup(t)
			v, err := l.BeginVersion(DayLanguage)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range steps[:i+1] {
				s.do(t, v)
			}
			// the process dies here; a new one opens the lake
			l, err = OpenLake(l.Root)
			if err != nil {
				t.Fatal(err)
			}
			if n := duckDBRows(t, l.Root); n != committed {
				t.Errorf("before recovery DuckDB reads %d rows, want the committed %d", n, committed)
			}
			if err := l.DiscardUncommitted(); err != nil {
				t.Fatal(err)
			}
			if got := dirNames(t, filepath.Join(l.Root, "datalake", ".versions")); !slices.Equal(got, []string{"processed-00001"}) {
				t.Errorf("versions after recovery: %q", got)
			}
			if c, err := l.CurrentCommit(); err != nil || c.Version != 1 {
				t.Errorf("current commit %+v, %v; want version 1", c, err)
			}
		})
	}
	t.Run("killed after the link moved", func(t *testing.T) {
		l := setup(t)
		v, err := l.BeginVersion(DayLanguage)
		if err != nil {
			t.Fatal(err)
		}
		writeIn(t, v, day, "lang_de", "part-r00002-0000.parquet", 5)
		if err := v.KeepCurrent(); err != nil {
			t.Fatal(err)
		}
		if err := writeCommit(v.dir, Commit{Version: v.n, What: "glue run 2", Added: []string{}, Retired: []string{}}); err != nil {
			t.Fatal(err)
		}
		if err := l.point(v.n); err != nil {
			t.Fatal(err)
		}
		// dead before the old version was deleted: version 2 is committed
		if n := duckDBRows(t, l.Root); n != committed+5 {
			t.Errorf("DuckDB reads %d rows, want %d", n, committed+5)
		}
		if err := l.DiscardUncommitted(); err != nil {
			t.Fatal(err)
		}
		if got := dirNames(t, filepath.Join(l.Root, "datalake", ".versions")); !slices.Equal(got, []string{"processed-00002"}) {
			t.Errorf("versions after recovery: %q", got)
		}
	})
}

// A version in another layout cannot keep the current one's files: its
// writer rewrites them. Its commit names its layout, and the lake then
// lists by that layout.
func TestAVersionInAnotherLayout(t *testing.T) {
	l := openTestLake(t)
	at := time.Date(2026, 1, 5, 3, 20, 0, 0, time.UTC)
	v, err := l.BeginVersion(DayLanguage)
	if err != nil {
		t.Fatal(err)
	}
	if v.Repartitions() {
		t.Error("a first version repartitions an empty lake")
	}
	writeIn(t, v, at, "lang_de", "part-r00001-0000.parquet", 2)
	if err := v.Commit("glue run 1", Watermark{Runs: 1}); err != nil {
		t.Fatal(err)
	}
	v, err = l.BeginVersion(HourEventType)
	if err != nil {
		t.Fatal(err)
	}
	if files, layout := v.Current(); !v.Repartitions() || len(files) != 1 || layout.Name != DayLanguage.Name {
		t.Fatalf("Repartitions %v, current %d files in %s", v.Repartitions(), len(files), layout.Name)
	}
	if err := v.KeepCurrent(); err == nil || !strings.Contains(err.Error(), "cannot keep the day_language files of version 1") {
		t.Errorf("KeepCurrent across layouts: %v", err)
	}
	w, err := v.CreatePart(HourEventType.PartitionOf(at, "lesson"), PartName{Run: 2}, testCols, ParquetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range testRows(3) {
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := v.Commit("glue run 2", Watermark{Runs: 2}); err != nil {
		t.Fatal(err)
	}
	c, err := l.CurrentCommit()
	if err != nil || c.Layout != "hour_event_type" || !slices.Equal(c.Retired, []string{"year=2026/month=1/day=5/language_id=lang_de/part-r00001-0000.parquet"}) {
		t.Errorf("commit %+v, %v", c, err)
	}
	files, layout, err := l.ProcessedFiles()
	want := Partition{time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC), time.Date(2026, 1, 5, 4, 0, 0, 0, time.UTC), "lesson"}
	if err != nil || layout.Name != "hour_event_type" || len(files) != 1 || files[0].Partition != want || files[0].Rows != 3 {
		t.Errorf("ProcessedFiles = %+v in %s, %v; want one file of 3 rows in %v", files, layout.Name, err, want)
	}
}
