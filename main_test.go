package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadCommandLines(t *testing.T) {
	tests := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"run", "--rate", "lots"}, 1, "--rate:"},
		{[]string{"run", "--rate", "-5k"}, 1, "--rate:"},
		{[]string{"run", "--duration", "-1h"}, 1, "--duration: want a simulated time > 0"},
		{[]string{"run", "--speed", "fast"}, 2, `want "max" or a factor > 0 such as 60, got "fast"`},
		{[]string{"run", "--seed", "x"}, 2, `want a whole number ≥ 0, got "x"`},
		{[]string{"run", "--start", "yesterday"}, 1, "--start: want RFC 3339"},
		{[]string{"run", "--scenario", "1T"}, 1, `unknown scenario "1T"`},
		{[]string{"run", "--config", "nope.yml"}, 1, "nope.yml"},
		{[]string{"run", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"sample", "-n", "0"}, 1, "-n: want at least 1 event"},
		{[]string{"run", "--redis", "redis://127.0.0.1:1", "--out", "OUT"}, 1, "127.0.0.1:1"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			for i, a := range tc.args {
				if a == "OUT" {
					tc.args[i] = t.TempDir()
				}
			}
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
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
	for _, want := range []string{"-config", `(default "config.yml")`, "-scenario", "-rate", "-seed", "-start",
		"-out", `(default "output")`, "-redis", "-duration", "(default 1h0m0s)", "-speed", "(default max)", "-json", "-sample"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("run --help lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestRunPrintsJSONSummary(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"run", "--scenario", "1k", "--duration", "30m", "--seed", "3", "--out", out, "--json"}, &stdout, &stderr)
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
	reports, _ := filepath.Glob(filepath.Join(out, "cloudwatch_reports", "*-final.md"))
	if len(reports) != 1 {
		t.Errorf("final reports: %v", reports)
	}
}

func TestSampleWritesEventsAndPayload(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"sample", "-n", "25", "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var events []map[string]any
	b, _ := os.ReadFile(filepath.Join(out, "sample_events.json"))
	if err := json.Unmarshal(b, &events); err != nil || len(events) != 25 {
		t.Fatalf("sample_events.json: %d events, %v", len(events), err)
	}
	var payload struct {
		Records []struct {
			Kinesis struct {
				PartitionKey, SequenceNumber, Data string
			}
			EventSource, EventID string
		}
	}
	b, _ = os.ReadFile(filepath.Join(out, "kinesis_payload.json"))
	if err := json.Unmarshal(b, &payload); err != nil || len(payload.Records) != 25 {
		t.Fatalf("kinesis_payload.json: %d records, %v", len(payload.Records), err)
	}
	r := payload.Records[0]
	if r.Kinesis.PartitionKey != events[0]["event_uuid"] || r.EventSource != "aws:kinesis" ||
		!strings.HasPrefix(r.EventID, "shardId-000000000000:") || !strings.HasSuffix(r.EventID, r.Kinesis.SequenceNumber) {
		t.Errorf("first record %+v does not carry the first event", r)
	}
}
