package sim

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The tail shows real events with their real fates: each staged one is in
// the staging files, each caught one is a copy of one staged before, each
// dead-lettered one has its dead letter on disk with the same reason.
func TestTailTellsEachEventsFate(t *testing.T) {
	cfg := testConfig(t)
	cfg.Producer.RetryProbability = 0.3
	out := t.TempDir()
	e, resume := runToPause(t, cfg, Options{Scenario: "1k", RatePerHour: 3600, Seed: 5, Start: faultStart,
		Duration: 10 * time.Minute, PauseAt: 5 * time.Minute, Out: out, Faults: faults(t, "malformed=20%")})
	tail := e.Snapshot().Tail
	resume()
	if len(tail) != TailKept {
		t.Fatalf("tail holds %d events, want %d", len(tail), TailKept)
	}
	staged, _ := stagedUUIDs(t, cfg, out)
	letters := readDeadLetters(t, dlqGlob(out))
	fates := map[Fate]int{}
	for i, ev := range tail {
		fates[ev.Fate]++
		if i > 0 && ev.At.Before(tail[i-1].At) {
			t.Errorf("tail out of order: %v after %v", ev.At, tail[i-1].At)
		}
		switch ev.Fate {
		case FateStaged, FateCaught:
			if !staged[ev.UUID] {
				t.Errorf("%s event %x is in no staging file", ev.Fate, ev.UUID)
			}
			if _, ok := cfg.Catalog.Lookup(ev.Name); !ok {
				t.Errorf("%s event named %q, not in the catalogue", ev.Fate, ev.Name)
			}
			if ev.Fate == FateCaught && !ev.Copy {
				t.Errorf("caught %x, which is no copy, with no fault that replays", ev.UUID)
			}
		case FateDeadLettered:
			if !slices.ContainsFunc(letters, func(dl deadLetter) bool {
				return dl.At.Equal(ev.At) && dl.Shard == ev.Shard && dl.Reason == string(ev.Reason)
			}) {
				t.Errorf("no dead letter %v %s %s on disk", ev.At, ev.Shard, ev.Reason)
			}
		default:
			t.Errorf("fate %q in a run with a ledger and a Lambda", ev.Fate)
		}
	}
	for _, f := range []Fate{FateStaged, FateCaught, FateDeadLettered} {
		if fates[f] == 0 {
			t.Errorf("no %s event among the last %d: %v", f, TailKept, fates)
		}
	}
}

// deadLetter is one line of a dead-letter (or quarantine) file.
type deadLetter struct {
	Reason, Detail, Shard, Data string
	At                          time.Time
}

// dlqGlob finds the Lambda's dead-letter files.
func dlqGlob(out string) string {
	return filepath.Join(out, "datalake", "dlq", "*", "*", "*", "*", "*.ndjson")
}

// readDeadLetters reads every dead letter in the files glob finds.
func readDeadLetters(t *testing.T, glob string) []deadLetter {
	t.Helper()
	files, _ := filepath.Glob(glob)
	var out []deadLetter
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(b)) {
			var dl deadLetter
			if err := json.Unmarshal([]byte(line), &dl); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			out = append(out, dl)
		}
	}
	return out
}
