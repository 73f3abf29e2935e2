package sim

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pipesim/sim/config"
	"pipesim/sim/metric"
	"pipesim/store"
)

// testConfig is config.yml with time scales shrunk so that a short run
// exercises every path: retries, duplicates later than the ledger TTL,
// several Glue runs and a day that closes and merges.
func testConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.ParseFile("../config.yml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Producer.RetryProbability = 0.05
	cfg.Producer.LateProbability = 0.02
	cfg.Producer.LateDelay = [2]time.Duration{3 * time.Minute, 8 * time.Minute}
	cfg.Ledger.TTL = 2 * time.Minute
	cfg.Glue.Schedule = 10 * time.Minute
	cfg.Glue.DedupeLookback = 30 * time.Minute
	cfg.Glue.MergeAfter = 5 * time.Minute
	// a flat rate: these tests count a run's events as its rate times its
	// duration (curve_test.go tests the daily curve)
	cfg.Producer.PeakToMean, cfg.Producer.WeekendLevel = 1, 1
	return cfg
}

func runEngine(t *testing.T, cfg *config.Config, opt Options) Summary {
	t.Helper()
	ctx := context.Background()
	e, err := New(ctx, cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	sum, err := e.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestDrainedRunIdentities(t *testing.T) {
	for _, dedupe := range []string{"lookback", "batch"} {
		t.Run(dedupe, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Glue.Dedupe = dedupe
			out := t.TempDir()
			// across midnight, so a day closes and its small files merge
			s := runEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 7,
				Start: time.Date(2026, 11, 24, 23, 40, 0, 0, time.UTC), Duration: 40 * time.Minute, Out: out})

			checkIdentities(t, out, s)
			if s.Counts[metric.Produced] != 40_000 {
				t.Errorf("produced %d events in 40 minutes at 60k/h, want 40000", s.Counts[metric.Produced])
			}
			if s.Counts[metric.DuplicatesDroppedLambda] == 0 {
				t.Error("the ledger caught no duplicates")
			}

			switch dedupe {
			case "lookback":
				if s.Counts[metric.DuplicatesLeaked] != 0 || s.Counts[metric.DuplicatesDroppedGlue] == 0 {
					t.Errorf("lookback dedupe: leaked %d (want 0), dropped by glue %d (want > 0)", s.Counts[metric.DuplicatesLeaked], s.Counts[metric.DuplicatesDroppedGlue])
				}
			case "batch":
				if s.Counts[metric.DuplicatesLeaked] == 0 {
					t.Error("batch-only dedupe leaked nothing; the late duplicates should slip through")
				}
			}
			perPartition := filesPerPartition(t, out)
			for k, n := range perPartition {
				if strings.Contains(k, "day=24") && n != 1 {
					t.Errorf("%s: %d files; the closed day should be merged into one", k, n)
				}
			}
		})
	}
}

// checkIdentities checks what a drained run must satisfy, against the
// files it left.
func checkIdentities(t *testing.T, out string, s Summary) {
	t.Helper()
	if s.Counts[metric.InFlight] != 0 || !s.Drained {
		t.Fatalf("in_flight = %d, drained = %v; want 0, true", s.Counts[metric.InFlight], s.Drained)
	}
	for _, id := range metric.Identities {
		if whole, parts := id.Sides(s.Counts); whole != parts {
			t.Errorf("%s identity: %v add up to %d, %v to %d", id.Name, id.Whole, whole, id.Parts, parts)
		}
	}
	// every copy injected was caught, leaked, lost or rejected; none is on
	// the way, and none is unresolved unless a record was lost (a copy
	// stood in for it) or staging was left uncompacted
	lost := s.Counts[metric.ProducerDropped] + s.Counts[metric.Expired] + s.Counts[metric.DiscardedOnFailure] + s.Counts[metric.StagedUncompacted]
	if s.Counts[metric.DuplicatesOnTheWay] != 0 || (lost == 0 && s.Counts[metric.DuplicatesUnresolved] != 0) || s.Counts[metric.DuplicatesUnresolved] < 0 {
		t.Errorf("duplicates on the way %d, unresolved %d, with %d records lost", s.Counts[metric.DuplicatesOnTheWay], s.Counts[metric.DuplicatesUnresolved], lost)
	}
	if s.Counts[metric.ProducerBuffered] != 0 || s.Counts[metric.Throttled] > s.Counts[metric.Sent]+s.Counts[metric.ProducerDropped] {
		t.Errorf("buffered %d, throttled %d of %d sent and %d dropped", s.Counts[metric.ProducerBuffered], s.Counts[metric.Throttled], s.Counts[metric.Sent], s.Counts[metric.ProducerDropped])
	}
	if lines := countLines(t, filepath.Join(out, "datalake", "staging")); lines != s.Counts[metric.Staged] {
		t.Errorf("NDJSON lines on disk %d != staged %d", lines, s.Counts[metric.Staged])
	}
	if lines := countLines(t, filepath.Join(out, "datalake", "dlq")); lines != s.Counts[metric.DeadLettered] {
		t.Errorf("dead letters on disk %d != dead_lettered %d", lines, s.Counts[metric.DeadLettered])
	}
	rows, distinct := countParquet(t, out)
	if rows != s.Counts[metric.Processed] {
		t.Errorf("Parquet rows %d != processed %d", rows, s.Counts[metric.Processed])
	}
	if distinct != s.Counts[metric.Processed]-s.Counts[metric.DuplicatesLeaked] {
		t.Errorf("distinct uuids in Parquet %d != processed %d - leaked %d", distinct, s.Counts[metric.Processed], s.Counts[metric.DuplicatesLeaked])
	}
}

// processedFiles lists the lake's Parquet files.
func processedFiles(t *testing.T, out string) []store.ProcessedFile {
	t.Helper()
	lake, err := store.OpenLake(out)
	if err != nil {
		t.Fatal(err)
	}
	files, _, err := lake.ProcessedFiles()
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func filesPerPartition(t *testing.T, out string) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, f := range processedFiles(t, out) {
		m[filepath.Dir(f.Path)]++
	}
	if len(m) == 0 {
		t.Fatal("no Parquet files")
	}
	return m
}

func countLines(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		n += int64(strings.Count(string(b), "\n"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// countParquet counts the lake's rows and distinct uuids, and checks that
// every row sits in the partition of its own event time (and event type,
// where the layout has it).
func countParquet(t *testing.T, out string) (rows, distinct int64) {
	t.Helper()
	lake, err := store.OpenLake(out)
	if err != nil {
		t.Fatal(err)
	}
	files, layout, err := lake.ProcessedFiles()
	if err != nil {
		t.Fatal(err)
	}
	cols := []store.Column{{Name: "event_uuid", Kind: store.String, Required: true}, {Name: "created_at", Kind: store.Timestamp, Required: true}, {Name: "event_name", Kind: store.String, Required: true}}
	seen := map[string]bool{}
	misplaced := 0
	for _, f := range files {
		err := store.ReadParquet(f.Path, cols, func(row []store.Value) error {
			rows++
			seen[row[0].Str] = true
			value := f.Partition.Value // language_id is not in the files
			if layout.Column == "event_type" {
				value, _, _ = strings.Cut(row[2].Str, ":")
			}
			if layout.PartitionOf(time.UnixMicro(row[1].Int), value) != f.Partition {
				misplaced++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if misplaced > 0 {
		t.Errorf("%d of %d rows are not in the %s partition of their event", misplaced, rows, layout.Name)
	}
	return rows, int64(len(seen))
}

// The same seed gives byte-identical staging, dead letters, Parquet and
// reports under every fault kind: faults are timed in simulated time only,
// and no file holds a wall-clock value or the embedded Redis' random port.
func TestSameSeedSameFiles(t *testing.T) {
	cases := map[string][]string{"no fault": nil}
	for _, spec := range FaultSpecs {
		f := spec.Example
		switch spec.Shape { // inside a 20-minute run
		case Window:
			f = string(spec.Kind) + "@5m+4m"
		case Moment:
			f = string(spec.Kind) + "@12m"
		}
		cases[string(spec.Kind)] = []string{f}
	}
	cases["all at once"] = []string{"ledger-down@3m+2m", "lambda-down@6m+2m", "malformed=2%", "late=2%", "glue-crash@10m", "crash@15m"}
	// every design choice other than the defaults, with the fault that shows it
	cases["switched"] = []string{"ledger-down@5m+4m"}
	// Firehose stages what the Lambda would have rejected or dropped
	cases["firehose, all at once"] = cases["all at once"]
	for name, specs := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.CloudWatch.ReportEvery = 10 * time.Minute
			if name == "firehose, all at once" {
				cfg.Pipeline.Mode = "firehose"
			}
			if name == "switched" {
				for _, sw := range Switches {
					var err error
					if cfg, err = cfg.Set(sw.Choice.Key + "=" + sw.Choice.Values[len(sw.Choice.Values)-1]); err != nil {
						t.Fatal(err)
					}
				}
			}
			var trees [2]map[string]string
			for i := range trees {
				out := t.TempDir()
				e, err := New(t.Context(), cfg, Options{Scenario: "1M", RatePerHour: 30_000, Seed: 42,
					Start: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), Duration: 20 * time.Minute, Out: out,
					Faults: faults(t, specs...)})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := e.Run(t.Context()); err != nil && !errors.Is(err, ErrCrashed) {
					t.Fatal(err)
				}
				e.Close()
				trees[i] = hashTree(t, out) // the lake and the reports
				if i == 0 {
					noAddressIn(t, out)
				}
			}
			if len(trees[0]) == 0 {
				t.Fatal("the run left no files")
			}
			for p, h := range trees[0] {
				if trees[1][p] != h {
					t.Errorf("%s differs between two runs with the same seed", p)
				}
			}
			if len(trees[0]) != len(trees[1]) {
				t.Errorf("runs left %d and %d files", len(trees[0]), len(trees[1]))
			}
		})
	}
}

// noAddressIn fails if a file under root names a loopback address.
func noAddressIn(t *testing.T, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		b, err := os.ReadFile(p)
		if bytes.Contains(b, []byte("127.0.0.1")) {
			t.Errorf("%s names a loopback address", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func hashTree(t *testing.T, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 { // processed/: the link to the current version
			target, err := os.Readlink(p)
			rel, _ := filepath.Rel(root, p)
			m[rel] = "-> " + target
			return err
		}
		b, err := os.ReadFile(p)
		sum := sha256.Sum256(b)
		rel, _ := filepath.Rel(root, p)
		m[rel] = hex.EncodeToString(sum[:])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A sampled run publishes what its files stand for, and the nominal
// figures keep the identities the materialised ones keep: what Glue read
// stands for what the Lambda staged, and the rows in the lake (merged or
// not, read back from their footers) for what Glue wrote.
func TestSampledRunNominalIdentities(t *testing.T) {
	cfg := testConfig(t)
	out := t.TempDir()
	const oneIn = 20
	s := runEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 600_000, SampleOneIn: oneIn, Seed: 7,
		Start: time.Date(2026, 11, 24, 23, 40, 0, 0, time.UTC), Duration: 40 * time.Minute, Out: out})
	checkIdentities(t, out, s)

	n := s.Nominal
	if got := n[metric.Processed] + n[metric.DuplicatesDroppedGlue] + n[metric.Quarantined]; n[metric.Staged] != got {
		t.Errorf("nominal: staged %d != processed + dropped by glue + quarantined = %d", n[metric.Staged], got)
	}
	for _, c := range []metric.Counter{metric.Staged, metric.Processed, metric.DuplicatesDroppedGlue} {
		if n[c] != oneIn*s.Counts[c] || n[c] == 0 {
			t.Errorf("%s: nominal %d, want %d × %d", c, n[c], oneIn, s.Counts[c])
		}
	}
	var rows, nominalRows, bytes int64
	for _, f := range processedFiles(t, out) {
		rows += f.Rows
		nominalRows += f.NominalRows
		bytes += f.Bytes
	}
	if nominalRows != n[metric.Processed] || rows != s.Counts[metric.Processed] {
		t.Errorf("the lake's footers hold %d rows standing for %d; processed %d standing for %d", rows, nominalRows, s.Counts[metric.Processed], n[metric.Processed])
	}
	if bytes != s.Counts[metric.ProcessedBytes] || n[metric.ProcessedBytes] != oneIn*bytes {
		t.Errorf("processed bytes %d standing for %d; on disk %d", s.Counts[metric.ProcessedBytes], n[metric.ProcessedBytes], bytes)
	}
	if n[metric.StagingBytes] != oneIn*s.Counts[metric.StagingBytes] {
		t.Errorf("staging bytes %d standing for %d, want ×%d", s.Counts[metric.StagingBytes], n[metric.StagingBytes], oneIn)
	}
}
