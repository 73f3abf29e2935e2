package sim

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"pipesim/store"
)

func TestRecoverMergesAfterACrash(t *testing.T) {
	cfg := testConfig(t)
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		files []string
		want  []string
	}{
		{"merge wrote part of its files: undone",
			[]string{"part-r00001-0000.parquet", "part-r00002-0000.parquet", "part-m00003-0000-of-0002.parquet"},
			[]string{"part-r00001-0000.parquet", "part-r00002-0000.parquet"}},
		{"merge wrote all its files: its sources go, a file not ours stays",
			[]string{"part-m00001-0000-of-0001.parquet", "part-r00002-0000.parquet", "part-r00003-0000.parquet",
				"part-m00003-0000-of-0002.parquet", "part-m00003-0001-of-0002.parquet", "part-r00004-0000.parquet", "part-r3.parquet"},
			[]string{"part-m00003-0000-of-0002.parquet", "part-m00003-0001-of-0002.parquet", "part-r00004-0000.parquet", "part-r3.parquet"}},
		{"no merge: nothing changes",
			[]string{"part-r00001-0000.parquet", "part-r00002-0000.parquet"},
			[]string{"part-r00001-0000.parquet", "part-r00002-0000.parquet"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lake, err := store.OpenLake(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			dir, err := store.ProcessedDir(day, "lang_de")
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range tc.files {
				w, err := lake.CreateParquet(dir, name, cfg.Catalog.Columns(), store.ParquetOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := w.Commit(); err != nil {
					t.Fatal(err)
				}
			}
			g := newGlue(cfg.Glue, cfg.Catalog, lake, 1)
			if err := g.recoverMerges(); err != nil {
				t.Fatal(err)
			}
			files, err := lake.ProcessedFiles()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range files {
				got = append(got, filepath.Base(f.Path))
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("left %v, want %v", got, tc.want)
			}
		})
	}
}
