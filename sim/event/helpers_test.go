package event_test

import (
	"testing"

	"pipesim/sim/config"
	"pipesim/sim/event"
)

// realCatalog is the catalogue of the repository's config.yml.
func realCatalog(t testing.TB) *event.Catalog {
	t.Helper()
	cfg, err := config.Load("../../config.yml")
	if err != nil {
		t.Fatalf("config.Load: %v", err)
	}
	return cfg.Catalog
}
