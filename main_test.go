package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"pipesim/sim"
	"pipesim/sim/metric"
	"pipesim/store"
)

func TestBadCommandLines(t *testing.T) {
	tests := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"run", "--rate", "lots"}, 2, "--rate:"},
		{[]string{"run", "--rate", "-5k"}, 2, "--rate:"},
		{[]string{"run", "--duration", "-1h"}, 2, "--duration: want a simulated time > 0"},
		{[]string{"run", "--duration", "9000h"}, 2, "pipesim: --duration: 9000h is more than pipesim simulates (at most 8784h, 366 days)\n"},
		{[]string{"bench", "--duration", "0s"}, 2, "pipesim: --duration: want a simulated time > 0 such as 2h, got 0s\n"},
		{[]string{"run", "--fault", "ledger-down@1h+9000h"}, 2, `duration "9000h": want a simulated time > 0, such as 10m, at most 8784h`},
		{[]string{"run", "--shards", "20000"}, 2, "pipesim: --set: kinesis.shards: must be between 0 and 10000, got 20000\n"},
		{[]string{"run", "--set", "lambda.per_record=16m"}, 2, "pipesim: --set: lambda.per_record: must be at most 15m, got 16m\n"},
		{[]string{"run", "--set", "kinesis.retention=9000h"}, 2, "pipesim: --set: kinesis.retention: must be at most 8784h (366 days, the most pipesim simulates), got 9000h\n"},
		{[]string{"run", "--speed", "fast"}, 2, "pipesim: --speed: want \"max\" or a factor from 0.01 to 1e+06 such as 60, got \"fast\"\n"},
		{[]string{"run", "--speed", "NaN"}, 2, `want "max" or a factor from 0.01 to 1e+06 such as 60, got "NaN"`},
		{[]string{"run", "--speed", "1e9"}, 2, `want "max" or a factor from 0.01 to 1e+06 such as 60, got "1e9"`},
		{[]string{"run", "--seed", "x"}, 2, "pipesim: --seed: want a whole number ≥ 0, got \"x\"\n"},
		{[]string{"run", "--fault", "foo"}, 2, "pipesim: --fault: fault \"foo\": want KIND@START+DURATION, KIND@START or KIND=SHARE% (kinds: ledger-down, lambda-down, malformed, poison, late, crash, glue-crash)\n"},
		{[]string{"run", "--sped", "max"}, 2, "pipesim: --sped is not a flag of pipesim run ('pipesim run --help' lists them)\n"},
		{[]string{"run", "--out"}, 2, "pipesim: --out needs a value\n"},
		{[]string{"compact", "--out", "OUT/typo"}, 1, "no datalake/ folder here"},
		{[]string{"run", "--start", "yesterday"}, 2, "--start: want RFC 3339"},
		{[]string{"run", "--scenario", "1T"}, 2, "pipesim: --scenario: unknown scenario \"1T\" (built-in config.yml + config.yml has 1B, 1M, 1k)\n"},
		{[]string{"cost", "--scenario", "1T"}, 2, "pipesim: --scenario: unknown scenario \"1T\" (built-in config.yml + config.yml has 1B, 1M, 1k)\n"},
		{[]string{"run", "--duration", "2x"}, 2, "pipesim: --duration: want a duration such as 90m, 2h or 1h30m, got \"2x\"\n"},
		{[]string{"--pause-at", "soon"}, 2, "pipesim: --pause-at: want a duration such as 90m, 2h or 1h30m, got \"soon\"\n"},
		{[]string{"run", "--config", "nope.yml"}, 1, "pipesim: read config: open nope.yml: no such file or directory\n"},
		{[]string{"run", "--set", "glue.dedupe=x"}, 2, "pipesim: --set: glue.dedupe: want lookback or batch, got \"x\"\n"},
		{[]string{"run", "--set", "glue.dedup=batch"}, 2, "pipesim: --set: glue.dedup: unknown key (did you mean glue.dedupe?)\n"},
		{[]string{"run", "--shards", "0x"}, 2, "pipesim: --set: kinesis.shards: want a whole number, got \"0x\"\n"},
		{[]string{"compact", "--shards", "2000"}, 2, "pipesim: --set: kinesis.shards: 2000 is more than kinesis.max_shards 1024\n"},
		{[]string{"run", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"sample", "-n", "0"}, 2, "-n: want at least 1 event"},
		{[]string{"run", "--redis", "redis://127.0.0.1:1", "--out", "OUT"}, 1, "127.0.0.1:1"},
		{[]string{"--out", "OUT"}, 1, "the dashboard needs a terminal; for scripts and CI use 'pipesim run'"},
		{[]string{"--theme", "neon"}, 2, "pipesim: --theme (or PIPESIM_THEME): \"neon\" is not a theme; use auto, dark, light, high-contrast\n"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			for i, a := range tc.args {
				if a == "OUT" {
					tc.args[i] = t.TempDir()
				}
				if rest, ok := strings.CutPrefix(a, "OUT/"); ok {
					tc.args[i] = filepath.Join(t.TempDir(), rest)
				}
			}
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
			if tc.wantCode == 2 && strings.Count(stderr.String(), "\n") > 1 && !strings.HasPrefix(tc.args[0], "frob") {
				t.Errorf("a bad command line takes one line, got:\n%s", stderr.String())
			}
			if code != tc.wantCode || !strings.Contains(stderr.String(), tc.wantErr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr.String(), tc.wantCode, tc.wantErr)
			}
			if strings.Contains(stderr.String(), "panic") {
				t.Errorf("panicked: %s", stderr.String())
			}
		})
	}
}

func TestHelpListsEveryFlagWithDefaults(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"run", "--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("run --help exited %d", code)
	}
	for _, want := range []string{"-config", "(default: ./config.yml if there is one)", "-set", "-shards", "-scenario", "-rate", "-seed", "-start",
		"-out", `(default "output")`, "-redis", "-duration", "(default 1h0m0s)", "-speed", "(default max)", "-json", "-sample"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("run --help lacks %q on stdout:\n%s", want, stdout.String())
		}
	}
	if stderr.Len() > 0 {
		t.Errorf("run --help wrote to stderr: %q", stderr.String())
	}
}

func TestRunPrintsJSONSummary(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"run", "--scenario", "1k", "--duration", "30m", "--seed", "3", "--out", out, "--json"}, flatRate...), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var sum map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout.String())
	}
	for _, k := range []string{"produced", "sent", "duplicates_injected", "throttled", "lambda_invocations", "dead_lettered",
		"duplicates_dropped_lambda", "staged", "glue_runs", "duplicates_dropped_glue", "processed", "duplicates_leaked",
		"in_flight", "expired", "staging_files", "staging_bytes", "processed_files", "processed_bytes",
		"sample_one_in", "sim_seconds", "wall_seconds", "events_per_wall_second"} {
		if _, ok := sum[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
	if sum["produced"] != float64(500) {
		t.Errorf("produced %v in 30 minutes at 1k/h, want 500", sum["produced"])
	}
	if sum["config"] != "built-in config.yml + config.yml"+flatRateOrigin {
		t.Errorf("config %q, want the built-in config under ./config.yml", sum["config"])
	}
	reports, _ := filepath.Glob(filepath.Join(out, "cloudwatch_reports", "*-final.md"))
	if len(reports) != 1 {
		t.Errorf("final reports: %v", reports)
	}
}

// flatRate makes the rate the scenario's at every moment (no daily
// curve), so that a run's events are its rate times its duration.
var flatRate = []string{"--set", "producer.peak_to_mean=1", "--set", "producer.weekend_level=1"}

const flatRateOrigin = " + --set producer.peak_to_mean=1 + --set producer.weekend_level=1"

// From a folder without a config.yml, pipesim runs on the built-in
// config; --config files and --set flags are layered over it, in order,
// and the summary says so.
func TestConfigLayers(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("my.yml", []byte("scenario: tiny\nscenarios: {tiny: {rate: 2k, shards: 1}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args             []string
		config           string
		produced, shards float64
	}{
		{[]string{"--scenario", "1k"}, "built-in config.yml", 500, 1},
		{[]string{"--scenario", "1k", "--set", "glue.dedupe=batch", "--shards", "2"}, "built-in config.yml + --set glue.dedupe=batch + --set kinesis.shards=2", 500, 2},
		{[]string{"--config", "my.yml"}, "built-in config.yml + my.yml", 1000, 1},
		{[]string{"--config", "my.yml", "--set", "scenarios={tiny: {rate: 4k}}"}, "built-in config.yml + my.yml + --set scenarios={tiny: {rate: 4k}}", 2000, 1},
	}
	for _, tc := range tests {
		tc.config += flatRateOrigin
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append(append([]string{"run", "--duration", "30m", "--json", "--out", t.TempDir()}, tc.args...), flatRate...)
			var stdout, stderr bytes.Buffer
			if code := run(args, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var sum map[string]any
			if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
				t.Fatal(err)
			}
			if sum["config"] != tc.config || sum["produced"] != tc.produced || sum["shards"] != tc.shards {
				t.Errorf("config %q, produced %v, shards %v; want %q, %v, %v", sum["config"], sum["produced"], sum["shards"], tc.config, tc.produced, tc.shards)
			}
		})
	}
}

// pipesim sample writes the events the producer sends, and one
// invocation's payload as the event-source mapping hands it over: records
// of one shard, at most lambda.batch_size, each carrying one of the events,
// in the configured region.
func TestSampleWritesEventsAndPayload(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		n, batch int
	}{{"1M", 25, 25}, {"1M", 250, 100}, {"1B", 500, 0}} {
		t.Run(fmt.Sprintf("%s %d", tc.scenario, tc.n), func(t *testing.T) {
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			if code := run([]string{"sample", "--scenario", tc.scenario, "-n", strconv.Itoa(tc.n), "--out", out}, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var events []map[string]any
			b, _ := os.ReadFile(filepath.Join(out, "sample_events.json"))
			if err := json.Unmarshal(b, &events); err != nil || len(events) != tc.n {
				t.Fatalf("sample_events.json: %d events, %v", len(events), err)
			}
			uuids := map[any]bool{}
			for _, e := range events {
				uuids[e["event_uuid"]] = true
			}
			var payload struct {
				Records []struct {
					Kinesis struct {
						PartitionKey, SequenceNumber, Data string
					}
					EventSource, EventID, AwsRegion string
				}
			}
			b, _ = os.ReadFile(filepath.Join(out, "kinesis_payload.json"))
			if err := json.Unmarshal(b, &payload); err != nil || len(payload.Records) == 0 || len(payload.Records) > 100 ||
				(tc.batch > 0 && len(payload.Records) != tc.batch) {
				t.Fatalf("kinesis_payload.json: %d records (%v); want one batch of at most 100, %d here", len(payload.Records), err, tc.batch)
			}
			shard, last := "", ""
			for _, r := range payload.Records {
				id, seq, _ := strings.Cut(r.EventID, ":")
				if shard == "" {
					shard = id
				}
				data, err := base64.StdEncoding.DecodeString(r.Kinesis.Data)
				var ev map[string]any
				if err == nil {
					err = json.Unmarshal(data, &ev)
				}
				if id != shard || seq != r.Kinesis.SequenceNumber || seq <= last || err != nil || !uuids[ev["event_uuid"]] ||
					r.EventSource != "aws:kinesis" || r.AwsRegion != "us-east-1" {
					t.Errorf("record %+v: want records of one shard in sequence, each one of the events, in us-east-1 (%v)", r, err)
				}
				last = seq
			}
			if !strings.Contains(stdout.String(), "one invocation of "+metric.Plural(len(payload.Records), "record")+" from "+shard) {
				t.Errorf("pipesim sample says %q", stdout.String())
			}
		})
	}
}

// TestDuckDBReadsTheLake runs the README's DuckDB query over a run's lake,
// in each layout, and compares it with the rows as pipesim reads them
// back; and asks DuckDB whether every row sits in the folder of its own
// event time (and, by hour, its own event type). The run is on a day
// below 10 of January, where zero-padded folder names (month=01) would
// make DuckDB read the partition columns as text. CI installs DuckDB (its
// Node package) and points PIPESIM_DUCKDB at .ci/duckdb-query.mjs.
func TestDuckDBReadsTheLake(t *testing.T) {
	duck := duckDB(t)
	misplaced := map[string]string{
		store.DayLanguage.Name: `year != year(utc) OR month != month(utc) OR day != day(utc)`,
		store.HourEventType.Name: `year != year(utc) OR month != month(utc) OR day != day(utc) OR hour != hour(utc)
			OR event_type != split_part(event_name, ':', 1)`,
	}
	for _, layout := range store.Layouts {
		t.Run(layout.Name, func(t *testing.T) {
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			args := []string{"run", "--rate", "50k", "--duration", "30m", "--seed", "5", "--start", "2026-01-05T00:00:00Z", "--out", out, "--set", "glue.partitioning=" + layout.Name}
			if code := run(args, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			from := fmt.Sprintf("read_parquet('%s', hive_partitioning=true)", filepath.Join(out, "datalake", "processed", "**", "*.parquet"))
			var got []struct {
				Language string  `json:"language_id"`
				N        string  `json:"n"`
				AvgScore float64 `json:"avg_score"`
				TsType   string  `json:"ts_type"`
				Month    string  `json:"month_type"`
				Day      string  `json:"day_type"`
			}
			duck(t, fmt.Sprintf(`SELECT language_id, count(*) AS n, round(avg(score), 6) AS avg_score,
				typeof(min(created_at)) AS ts_type, typeof(min(month)) AS month_type, typeof(min(day)) AS day_type
				FROM %s WHERE event_name='game:completed' AND year = 2026 AND month = 1 AND day BETWEEN 1 AND 9
				GROUP BY 1 ORDER BY 1`, from), &got)
			var placed []struct {
				Rows      string `json:"rows"`
				Misplaced string `json:"misplaced"`
			}
			duck(t, fmt.Sprintf(`SELECT count(*) AS rows, count(*) FILTER (WHERE %s) AS misplaced
				FROM (SELECT *, created_at AT TIME ZONE 'UTC' AS utc FROM %s)`, misplaced[layout.Name], from), &placed)

			lake, err := store.OpenLake(out)
			if err != nil {
				t.Fatal(err)
			}
			files, inLayout, err := lake.ProcessedFiles()
			if err != nil || inLayout.Name != layout.Name {
				t.Fatalf("lake in layout %q, %v; want %s", inLayout.Name, err, layout.Name)
			}
			cols := []store.Column{{Name: "event_name", Kind: store.String}, {Name: "score", Kind: store.Int64}, {Name: "language_id", Kind: store.String}}
			if layout.Column == "language_id" {
				cols = cols[:2] // the folder holds it
			}
			var rows int64
			sum, count := map[string]int64{}, map[string]int64{}
			for _, f := range files {
				rows += f.Rows
				err := store.ReadParquet(f.Path, cols, func(row []store.Value) error {
					lang := f.Partition.Value
					if len(row) > 2 {
						lang = row[2].Str
					}
					if row[0].Str == "game:completed" {
						sum[lang] += row[1].Int
						count[lang]++
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if len(placed) != 1 || placed[0].Rows != strconv.FormatInt(rows, 10) || placed[0].Misplaced != "0" {
				t.Errorf("DuckDB: %+v; want %d rows, none misplaced", placed, rows)
			}
			if len(got) != len(count) || len(got) == 0 {
				t.Fatalf("DuckDB found %d languages with game:completed, pipesim %d", len(got), len(count))
			}
			for _, g := range got {
				want := float64(sum[g.Language]) / float64(count[g.Language])
				if g.N != strconv.FormatInt(count[g.Language], 10) || math.Abs(g.AvgScore-want) > 1e-6 {
					t.Errorf("%s: DuckDB n=%s avg=%v, pipesim n=%d avg=%v", g.Language, g.N, g.AvgScore, count[g.Language], want)
				}
				if g.TsType != "TIMESTAMP WITH TIME ZONE" {
					t.Errorf("created_at reads as %s, want a UTC timestamp", g.TsType)
				}
				if g.Month != "BIGINT" || g.Day != "BIGINT" {
					t.Errorf("month reads as %s and day as %s, want BIGINT", g.Month, g.Day)
				}
			}
		})
	}
}

// The README's fault table shows every kind pipesim declares, by its
// example, so that a new kind cannot go undocumented.
// The README's "Design choices, shown" has a row for every switch, with
// its --set.
func TestREADMEListsEveryChoice(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, sw := range sim.Switches {
		ch := sw.Choice
		set := "`--set " + ch.Key + "=" + ch.Values[len(ch.Values)-1] + "`"
		if !bytes.Contains(readme, []byte(set)) {
			t.Errorf("README.md does not show %s", set)
		}
	}
}

func TestREADMEListsEveryFault(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range sim.FaultSpecs {
		if !bytes.Contains(readme, []byte("`--fault "+spec.Example+"`")) {
			t.Errorf("README.md does not show `--fault %s`", spec.Example)
		}
	}
}

// A loss no fault explains fails the run with one line naming it, after
// the summary; the same loss under an injected fault is reported and the
// run succeeds.
func TestUnaskedLossFailsTheRun(t *testing.T) {
	slow := []string{"--scenario", "1M", "--rate", "60k", "--duration", "20m", "--seed", "3", "--json",
		"--set", "kinesis.retention=5m", "--set", "lambda.per_record=500ms"}
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"run", "--out", t.TempDir()}, slow...), &stdout, &stderr)
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	last := lines[len(lines)-1]
	if code != 1 || !strings.HasPrefix(last, "pipesim: ") || !strings.Contains(last, "records expired in the stream with no fault injected to explain it") {
		t.Fatalf("exit %d, stderr ends %q; want 1 and the loss named", code, last)
	}
	if !json.Valid(stdout.Bytes()) {
		t.Errorf("the summary should still be printed: %q", stdout.String())
	}

	stdout.Reset()
	stderr.Reset()
	code = run(append([]string{"run", "--out", t.TempDir(), "--set", "lambda.per_record=1ms", "--fault", "lambda-down@2m+10m"}, slow[:len(slow)-2]...), &stdout, &stderr)
	var sum map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil || code != 0 || sum["expired"] == float64(0) {
		t.Fatalf("exit %d, expired %v (%v); want records lost to the injected stop, and exit 0: %s", code, sum["expired"], err, stderr.String())
	}

	// 1B/h on one shard: the producer drops what the stream refuses
	stdout.Reset()
	stderr.Reset()
	code = run([]string{"run", "--out", t.TempDir(), "--scenario", "1M", "--rate", "1B", "--duration", "2m", "--json"}, &stdout, &stderr)
	lines = strings.Split(strings.TrimSpace(stderr.String()), "\n")
	last = lines[len(lines)-1]
	if code != 1 || !strings.Contains(last, "events dropped at the producer: the stream's 1 shard refused them") {
		t.Fatalf("exit %d, stderr ends %q; want 1 and the producer's loss named", code, last)
	}
}

// compact works on a run's output; a mistyped folder is an error naming
// it, and nothing is created there.
func TestCompactNeedsALake(t *testing.T) {
	typo := filepath.Join(t.TempDir(), "ouptut")
	var stdout, stderr bytes.Buffer
	code := run([]string{"compact", "--out", typo}, &stdout, &stderr)
	want := "pipesim: compact: " + typo + ": no datalake/ folder here; is it the --out of a run?\n"
	if code != 1 || stderr.String() != want {
		t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr.String(), want)
	}
	if _, err := os.Stat(typo); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("compact made %s (%v)", typo, err)
	}
}

// The shard advice is the README's arithmetic: at 1B/h, 277,778 events a
// second over 1,000 × (1 − 0.2) records a shard is 347.2, so 348; the
// bytes, at ~400 a record, need fewer. 1k and 1M need one.
// duckDB asks DuckDB: it runs a query and decodes the rows, a JSON list
// of objects, into into. CI installs DuckDB (its Node package) and points
// PIPESIM_DUCKDB at .ci/duckdb-query.mjs; without it the test is skipped.
func duckDB(t *testing.T) func(t *testing.T, query string, into any) {
	script := os.Getenv("PIPESIM_DUCKDB")
	if script == "" {
		t.Skip("PIPESIM_DUCKDB is not set (CI sets it after installing DuckDB): DuckDB check skipped")
	}
	return func(t *testing.T, query string, into any) {
		t.Helper()
		b, err := exec.Command("node", script, query).CombinedOutput()
		if err != nil {
			t.Fatalf("duckdb: %v\n%s", err, b)
		}
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if err := d.Decode(into); err != nil {
			t.Fatalf("duckdb said %s: %v", b, err)
		}
	}
}

func TestShardsNeeded(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		want     float64
	}{{"1k", 1}, {"1M", 1}, {"1B", 348}} {
		var stdout, stderr bytes.Buffer
		// on a flat rate, so that the rate now is the scenario's
		args := append([]string{"run", "--scenario", tc.scenario, "--duration", "1m", "--json", "--out", t.TempDir()}, flatRate...)
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.scenario, code, stderr.String())
		}
		var sum struct {
			ShardsNeeded float64 `json:"shards_needed"`
			Nominal      struct {
				Sent      float64 `json:"sent"`
				SentBytes float64 `json:"sent_bytes"`
			} `json:"nominal"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
			t.Fatal(err)
		}
		if sum.ShardsNeeded != tc.want {
			t.Errorf("%s: shards_needed %v, want %v", tc.scenario, sum.ShardsNeeded, tc.want)
		}
		if perRecord := sum.Nominal.SentBytes / sum.Nominal.Sent; perRecord < 300 || perRecord > 500 {
			t.Errorf("%s: %.0f bytes a record; the README's arithmetic says about 400", tc.scenario, perRecord)
		}
	}
}

// bench --profile leaves a CPU and a heap profile of the run that pprof
// can read: gzipped protobuf naming what they measured.
func TestBenchProfiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "prof")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"bench", "--duration", "2m", "--profile", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if want := "profiles: " + filepath.Join(dir, "cpu.pprof") + ", " + filepath.Join(dir, "heap.pprof") + "\n"; !strings.HasSuffix(stdout.String(), want) {
		t.Errorf("bench said %q, want it to end with %q", stdout.String(), want)
	}
	if _, err := os.Stat("/proc/self/status"); err == nil && !strings.Contains(stdout.String(), "\npeak memory: ") {
		t.Errorf("bench gave no peak memory where /proc says it: %q", stdout.String())
	}
	for name, unit := range map[string]string{"cpu.pprof": "nanoseconds", "heap.pprof": "bytes"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Contains(b, []byte(unit)) {
			t.Errorf("%s (%d bytes) names no %s: not a %s profile", name, len(b), unit, strings.TrimSuffix(name, ".pprof"))
		}
	}
}

// The README's screenshot is a golden the ui tests draw from a real
// engine run (ui/testdata/readme_1M_120x36.golden), so it cannot go stale.
func TestREADMEScreenshot(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile(filepath.Join("ui", "testdata", "readme_1M_120x36.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, append(append([]byte("```\n"), golden...), []byte("\n```")...)) {
		t.Error("README.md's screenshot is not ui/testdata/readme_1M_120x36.golden (go test ./ui -update draws it; paste it in)")
	}
}

// The README's JSON example is what its command prints: every key it
// shows has the value the run gives, but for the wall clock's figures.
func TestREADMEJSONExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(string(readme), "go run . run ")
	command, _, _ := strings.Cut(after, "\n")
	_, block, _ := strings.Cut(after, "```json\n")
	block, _, _ = strings.Cut(block, "```")
	args := append([]string{"run"}, strings.Fields(command)...)
	for i, a := range args {
		if a == "--out" {
			args[i+1] = t.TempDir()
		}
	}
	t.Chdir(t.TempDir()) // the built-in config, as on a fresh machine
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	shown := 0
	for line := range strings.Lines(block) {
		key, value, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok || !strings.HasPrefix(key, `"`) {
			continue
		}
		key = strings.Trim(key, `"`)
		value = strings.TrimSuffix(value, ",")
		switch key {
		case "wall_seconds", "events_per_wall_second", "out", "nominal":
			continue
		}
		shown++
		if string(got[key]) != value {
			t.Errorf("README shows %q: %s; %v prints %s", key, value, args, got[key])
		}
	}
	if shown < 30 {
		t.Errorf("found %d keys in the README's JSON example; is it still there?", shown)
	}
}
