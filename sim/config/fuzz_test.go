package config

import (
	"os"
	"path/filepath"
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
