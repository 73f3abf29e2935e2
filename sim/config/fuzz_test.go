package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseConfig: whatever the bytes, a file over the built-in config
// gives a config or an
// error that names the file, and never panics; a config it accepts has a
// catalogue and a default scenario that exists.
func FuzzParseConfig(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yml")
	seeds = append(seeds, "../../config.yml")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	base, err := ParseFile("../../config.yml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := base.Overlay("fuzz.yml", data)
		if err != nil {
			for line := range strings.Lines(err.Error()) {
				if !strings.HasPrefix(line, "fuzz.yml") {
					t.Fatalf("error line %q does not name the file", line)
				}
			}
			return
		}
		if cfg.Catalog == nil || len(cfg.Catalog.Subtypes) == 0 {
			t.Fatal("accepted a config without a catalogue")
		}
		if _, ok := cfg.Scenarios[cfg.Scenario]; !ok {
			t.Fatalf("accepted default scenario %q that does not exist", cfg.Scenario)
		}
	})
}

// FuzzParseRate: any text is a rate from 1 to MaxRatePerHour or a
// one-line error, and an accepted rate reads back the same from its digits.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"1000", "2.5M/h", "1B", "1000B", "9223372036854775807", "-1M", "1e6", " 3K ", "0.001k"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("ParseRate(%q): error of more than one line: %q", s, err)
			}
			return
		}
		if r < 1 || r > MaxRatePerHour {
			t.Fatalf("ParseRate(%q) = %d, outside 1..%d", s, r, int64(MaxRatePerHour))
		}
		if back, err := ParseRate(strconv.FormatInt(r, 10)); err != nil || back != r {
			t.Fatalf("ParseRate(%q) = %d, but its digits read back as %d, %v", s, r, back, err)
		}
	})
}

// FuzzSet: whatever --set is given, it changes the config or says why in
// lines that each start with "--set", and never panics.
func FuzzSet(f *testing.F) {
	base, err := ParseFile("../../config.yml")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"glue.dedupe=batch", "kinesis.shards=4", "glue.target_file_bytes=[1MB, 1GB]", "scenario=1B",
		"ledger.ttl=-1h", "x", "=", "producer.duplicate_rates=[0.1, 2]", "scenarios={a: {rate: 1k, shards: 1}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, assignment string) {
		cfg, err := base.Set(assignment)
		if err != nil {
			for line := range strings.Lines(err.Error()) {
				if !strings.HasPrefix(line, "--set") {
					t.Fatalf("Set(%q): error line %q does not start with --set", assignment, line)
				}
			}
			return
		}
		if cfg.Catalog == nil || cfg.Scenarios[cfg.Scenario].RatePerHour < 1 {
			t.Fatalf("Set(%q) gave a config without a catalogue or a default scenario", assignment)
		}
	})
}
