package store

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// earlierRun writes every kind of file a run leaves under root: staging
// at minutes 00:00 and 00:01 (the watermark through 00:00 when compacted
// is true, so 00:01 was never compacted), a dead letter, a quarantine
// file, a Parquet file and a temp one, reports, the watermark; and a file
// of the user's own outside the lake. ended is how the run ended.
func earlierRun(t *testing.T, root string, compacted, ended bool) {
	t.Helper()
	l, err := CreateLake(root, false)
	if err != nil {
		t.Fatal(err)
	}
	m0 := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	w := l.NewStagingWriter()
	for _, m := range []time.Time{m0, m0.Add(time.Minute)} {
		if err := w.Append(m, "shardId-000000000003", []byte("{}")); err != nil {
			t.Fatal(err)
		}
	}
	dlq := l.NewDeadLetterWriter()
	if err := dlq.Write(m0, "shardId-000000000003", "invalid_json", "x", []byte("{")); err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(w.Close(), dlq.Close(), l.WriteQuarantine(1, []byte("{}\n"))); err != nil {
		t.Fatal(err)
	}
	through := m0
	if compacted {
		through = m0.Add(time.Minute)
	}
	v, err := l.BeginVersion(DayLanguage)
	if err != nil {
		t.Fatal(err)
	}
	writeIn(t, v, m0, "lang_de", PartName{Run: 1}.String(), 2)
	if err := v.Commit("glue run 1", Watermark{Through: through, Runs: 1}); err != nil {
		t.Fatal(err)
	}
	// the version a killed run was building, with a temp file
	if _, err := l.BeginVersion(DayLanguage); err != nil {
		t.Fatal(err)
	}
	dir, err := DayLanguage.dir(DayLanguage.PartitionOf(m0, "lang_de"))
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(l.versionDir(2), dir, tempName(PartName{Run: 2}.String()))
	if err := os.MkdirAll(filepath.Dir(tmp), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, final := range []bool{false, true} {
		if _, err := l.WriteReport(m0, final, []byte("# r\n")); err != nil {
			t.Fatal(err)
		}
	}
	if ended {
		if err := l.MarkEnded(); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "sample_events.json"), []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// filesUnder lists the files under root, relative, with /.
func filesUnder(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCreateLakeReplacesAnEarlierRun(t *testing.T) {
	fresh := []string{"datalake/.versions/processed-00000/_commit.json", "datalake/_state/run.json", "datalake/processed", "sample_events.json"}
	cases := []struct {
		name               string
		compacted, ended   bool
		discard            bool
		foreign            string // a file of someone else's, relative to the root
		wantErr            string // "" when the earlier run is replaced
		wantErrContains    []string
		wantFilesUntouched bool
	}{
		{name: "ended cleanly, staging left", ended: true},
		{name: "crashed, everything compacted", compacted: true},
		{name: "crashed with staging never compacted", wantErrContains: []string{
			"the run that wrote it did not finish, and its staging from 2026-01-05 00:01 to 00:01 (1 minute) was never compacted",
			"'pipesim compact --out ", "or --force discards it"}},
		{name: "crashed, --force", discard: true},
		{name: "a file of the user's in the lake", ended: true, foreign: "datalake/.versions/processed-00001/year=2026/month=1/day=5/language_id=lang_de/notes.txt",
			wantErrContains: []string{"holds 1 file pipesim did not write (datalake/.versions/processed-00001/year=2026/month=1/day=5/language_id=lang_de/notes.txt)", "move them, or choose another --out"}},
		{name: "a padded folder of an older pipesim", ended: true, foreign: "datalake/staging/year=2026/month=01/day=05/hour=00/minute=00/shard-000000000000.ndjson",
			wantErrContains: []string{"pipesim did not write (datalake/staging/year=2026/month=01/"}},
		{name: "a report of the user's, even with --force", discard: true, foreign: "cloudwatch_reports/my-notes.md",
			wantErrContains: []string{"holds 1 file pipesim did not write (cloudwatch_reports/my-notes.md)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			earlierRun(t, root, tc.compacted, tc.ended)
			if tc.foreign != "" {
				p := filepath.Join(root, filepath.FromSlash(tc.foreign))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte("mine"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before := filesUnder(t, root)
			l, err := CreateLake(root, tc.discard)
			if len(tc.wantErrContains) > 0 {
				if err == nil {
					t.Fatal("CreateLake replaced the earlier run")
				}
				for _, want := range tc.wantErrContains {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not say %q", err, want)
					}
				}
				if strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), root) {
					t.Errorf("error %q is not one line naming %s", err, root)
				}
				if after := filesUnder(t, root); !slices.Equal(after, before) {
					t.Errorf("a refused CreateLake changed the folder:\n%q\nwas\n%q", after, before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := filesUnder(t, root); !slices.Equal(got, fresh) {
				t.Errorf("after CreateLake the folder holds %q, want %q", got, fresh)
			}
			if s, err := l.loadRunState(); err != nil || s.Ended {
				t.Errorf("run state %+v, %v; want a run in progress", s, err)
			}
		})
	}
}

func TestCreateLakeInAnEmptyFolder(t *testing.T) {
	root := filepath.Join(t.TempDir(), "new")
	if _, err := CreateLake(root, false); err != nil {
		t.Fatal(err)
	}
	if got := filesUnder(t, root); !slices.Equal(got, []string{"datalake/.versions/processed-00000/_commit.json", "datalake/_state/run.json", "datalake/processed"}) {
		t.Errorf("a new lake holds %q", got)
	}
}

func TestWrote(t *testing.T) {
	ours := []string{
		"cloudwatch_reports/cloudwatch-2026-01-05T00-00-00Z.md",
		"cloudwatch_reports/.cloudwatch-2026-01-05T00-00-00Z-final.md.tmp",
		"datalake/staging/year=2026/month=1/day=5/hour=0/minute=7/shard-000000000003.ndjson",
		"datalake/staging/year=2026/month=1/day=5/hour=0/minute=7/firehose-00000012.ndjson",
		"datalake/staging/year=2026/month=1/day=5/hour=0/minute=7/.firehose-00000013.ndjson.tmp",
		"datalake/dlq/year=2026/month=12/day=31/hour=23/dlq-shard-000000000003.ndjson",
		"datalake/processed",
		"datalake/.processed.link.tmp",
		"datalake/.versions/processed-00003/_commit.json",
		"datalake/.versions/processed-00003/._commit.json.tmp",
		"datalake/.versions/processed-00003/year=2026/month=1/day=5/language_id=lang_pt-BR/part-r00001-0000.parquet",
		"datalake/.versions/processed-123456/year=2026/month=1/day=5/language_id=lang_de/.part-m123456-0001-of-0003.parquet.tmp",
		"datalake/.versions/processed-00004/year=2026/month=1/day=5/hour=23/event_type=lesson/part-r00004-0000.parquet",
		"datalake/quarantine/run-00007.ndjson",
		"datalake/quarantine/run-123456.ndjson",
		"datalake/_state/run.json",
		"datalake/lambda_on_failure/invocations.ndjson",
		"datalake/_state/.run.json.tmp",
		"datalake/staging/.pipesim-write-probe",
	}
	foreign := []string{
		"cloudwatch_reports/notes.md",
		"cloudwatch_reports/old/cloudwatch-2026-01-05T00-00-00Z.md",
		"datalake/staging/year=2026/month=01/day=5/hour=0/minute=7/shard-000000000003.ndjson",
		"datalake/staging/year=2026/month=1/day=5/hour=0/shard-000000000003.ndjson",
		"datalake/staging/year=2026/month=1/day=5/hour=0/minute=7/shard-3.ndjson",
		"datalake/staging/year=2026/month=1/day=5/hour=0/minute=7/firehose-12.ndjson",
		"datalake/dlq/year=2026/month=1/day=5/hour=0/shard-000000000003.ndjson",
		"datalake/processed/year=2026/month=1/day=5/language_id=lang_de/part-r00001-0000.parquet",
		"datalake/.versions/processed-00003/year=2026/month=1/day=5/language_id=lang_de/data.parquet",
		"datalake/.versions/processed-00003/year=2026/month=1/day=5/part-r00001-0000.parquet",
		"datalake/.versions/processed-00004/year=2026/month=1/day=5/hour=24/event_type=lesson/part-r00004-0000.parquet",
		"datalake/.versions/processed-00004/year=2026/month=1/day=5/hour=3/language_id=lang_de/part-r00004-0000.parquet",
		"datalake/.versions/processed-00004/year=2026/month=1/day=5/event_type=lesson/part-r00004-0000.parquet",
		"datalake/.versions/processed-3/_commit.json",
		"datalake/.versions/notes.txt",
		"datalake/quarantine/run-7.ndjson",
		"datalake/quarantine/run-007777.ndjson",
		"datalake/_state/watermark.json",
		"datalake/lambda_on_failure/shard-1.ndjson",
		"datalake/README.txt",
		"datalake/.hidden",
	}
	for _, rel := range ours {
		if !wrote(rel) {
			t.Errorf("wrote(%q) = false, want true", rel)
		}
	}
	for _, rel := range foreign {
		if wrote(rel) {
			t.Errorf("wrote(%q) = true, want false", rel)
		}
	}
}
