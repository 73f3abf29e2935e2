package sim

import (
	"sync"
	"testing"
	"time"

	"pipesim/store/redistest"
)

// Two workshop attendees on one Redis: runs with the same seed at the same
// time each leave the files a run alone leaves, and the server is left with
// none of their keys.
func TestConcurrentRunsShareOneRedis(t *testing.T) {
	srv := redistest.Start(t)
	cfg := testConfig(t)
	opt := Options{Scenario: "1M", RatePerHour: 30_000, Seed: 42, RedisURL: srv.URL,
		Start: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), Duration: 20 * time.Minute}
	alone := opt
	alone.Out = t.TempDir()
	runEngine(t, cfg, alone)
	want := hashTree(t, alone.Out)

	var outs [2]string
	var wg sync.WaitGroup
	for i := range outs {
		outs[i] = t.TempDir()
		both := opt
		both.Out = outs[i]
		wg.Go(func() {
			e, err := New(t.Context(), cfg, both)
			if err != nil {
				t.Error(err)
				return
			}
			defer e.Close()
			if _, err := e.Run(t.Context()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i, out := range outs {
		got := hashTree(t, out)
		for p, h := range want {
			if got[p] != h {
				t.Errorf("concurrent run %d: %s differs from the run alone", i+1, p)
			}
		}
		if len(got) != len(want) {
			t.Errorf("concurrent run %d left %d files, the run alone %d", i+1, len(got), len(want))
		}
	}
	keys := srv.Keys(t)
	if len(keys) != 1 || keys[0] != cfg.Ledger.KeyPrefix+"runs" {
		t.Errorf("keys left on the server: %q, want only the run counter", keys)
	}
}
