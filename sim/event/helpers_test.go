package event_test

import (
	"testing"

	"pipesim/sim/config"
	"pipesim/sim/event"
)

// realConfig is the repository's config.yml.
func realConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.ParseFile("../../config.yml")
	if err != nil {
		t.Fatalf("config.ParseFile: %v", err)
	}
	return cfg
}

// realCatalog is the catalogue of the repository's config.yml.
func realCatalog(t testing.TB) *event.Catalog { return realConfig(t).Catalog }

// catalogOf reads a catalogue given as config YAML over the real config.
func catalogOf(t testing.TB, src string) *event.Catalog {
	t.Helper()
	// independent events: the built-in journeys walk the built-in catalogue
	cfg, err := realConfig(t).Overlay("x.yml", []byte("producer: {model: independent}\n"+src))
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Catalog
}
