package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"pipesim/sim"
	"pipesim/sim/config"
)

// engineSnapshot runs the real engine with the built-in config as fast as
// it goes until it pauses itself at opt.PauseAt (Glue's runs collected),
// and returns that snapshot with the one wall-clock figure fixed.
func engineSnapshot(t *testing.T, opt sim.Options, tweak func(*config.Config)) *sim.Snapshot {
	t.Helper()
	cfg, err := config.ParseFile("../config.yml")
	if err != nil {
		t.Fatal(err)
	}
	tweak(cfg)
	e := startEngine(t, cfg, opt)
	deadline := time.Now().Add(time.Minute)
	for s := e.Snapshot(); ; s = e.Snapshot() {
		if s.Paused {
			c := *s
			c.AchievedSpeed = c.Speed
			return &c
		}
		if time.Now().After(deadline) {
			t.Fatalf("the engine did not pause at %s within a minute; it is at %s", opt.PauseAt, s.SimTime)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startEngine runs a real engine on its own goroutine, from 2026-11-25
// into a temporary folder, until the test ends.
func startEngine(t testing.TB, cfg *config.Config, opt sim.Options) *sim.Engine {
	t.Helper()
	opt.Out = t.TempDir()
	opt.Start = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	ctx, cancel := context.WithCancel(context.Background())
	e, err := sim.New(ctx, cfg, opt)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ran := make(chan error, 1)
	go func() {
		_, err := e.Run(ctx)
		ran <- err
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-ran; err != nil && !errors.Is(err, context.Canceled) {
			t.Error(err)
		}
		e.Close()
	})
	return e
}

// Screens of real runs, to the figure: the 1B/h scenario sampled, after
// Glue has run, and the 1M/h one through a ledger outage, where nothing is
// sampled and so no figure may carry a ~.
func TestEngineGoldenViews(t *testing.T) {
	// Glue every 10 minutes, so that it has run a few times by minute 25
	glue := func(c *config.Config) { c.Glue.Schedule = 10 * time.Minute }
	b := engineSnapshot(t, sim.Options{Scenario: "1B", Seed: 42, SampleOneIn: 20_000, PauseAt: 25 * time.Minute}, glue)
	h := engineSnapshot(t, sim.Options{Scenario: "1B", Seed: 42, SampleOneIn: 20_000, PauseAt: 25 * time.Minute},
		func(c *config.Config) { glue(c); c.Glue.Partitioning = "hour_event_type" })
	f := engineSnapshot(t, sim.Options{Scenario: "1M", Seed: 42, PauseAt: 12 * time.Minute,
		Faults: []sim.Fault{{Kind: sim.Malformed, Share: 0.01}}}, func(c *config.Config) { glue(c); c.Pipeline.Mode = "firehose" })
	p := engineSnapshot(t, sim.Options{Scenario: "1M", Seed: 42, PauseAt: 12 * time.Minute,
		Faults: []sim.Fault{{Kind: sim.Poison, Share: 0.00002}}}, func(c *config.Config) { glue(c); c.Kinesis.Shards = 4 })
	k := engineSnapshot(t, sim.Options{Scenario: "1B", Seed: 42, SampleOneIn: 20_000, PauseAt: 10 * time.Minute},
		func(c *config.Config) { glue(c); c.Producer.PartitionKey = "user_id" })
	m := engineSnapshot(t, sim.Options{Scenario: "1M", Seed: 42, PauseAt: 12 * time.Minute,
		Faults: []sim.Fault{{Kind: sim.LedgerDown, At: 4 * time.Minute, For: 4 * time.Minute}}}, glue)
	// the README's screenshot: go run . --seed 42 --pause-at 44m --set glue.schedule=10m
	r := engineSnapshot(t, sim.Options{Scenario: "1M", Seed: 42, PauseAt: 44 * time.Minute}, glue)
	r.Speed, r.AchievedSpeed = 60, 60 // the dashboard's default; the test ran it as fast as it goes
	for _, tc := range []struct {
		name string
		snap *sim.Snapshot
		w, h int
		cost bool // focus the Cost pane (shift+tab from Throughput)
	}{
		{"engine_1B_80x24.golden", b, 80, 24, false},
		{"engine_1B_160x48.golden", b, 160, 48, false},
		{"engine_1B_cost_80x24.golden", b, 80, 24, true},
		{"engine_1M_firehose_cost_80x24.golden", f, 80, 24, true},
		{"engine_1M_ledger_down_cost_120x36.golden", m, 120, 36, true},
		{"engine_1B_120x36.golden", b, 120, 36, false},
		{"engine_1B_by_hour_80x24.golden", h, 80, 24, false},
		{"engine_1B_by_hour_120x36.golden", h, 120, 36, false},
		{"engine_1M_firehose_80x24.golden", f, 80, 24, false},
		{"engine_1M_firehose_120x36.golden", f, 120, 36, false},
		{"engine_1M_poison_80x24.golden", p, 80, 24, false},
		{"engine_1M_poison_120x36.golden", p, 120, 36, false},
		{"engine_1B_user_keys_120x36.golden", k, 120, 36, false},
		{"engine_1M_ledger_down_80x24.golden", m, 80, 24, false},
		{"engine_1M_ledger_down_120x36.golden", m, 120, 36, false},
		{"readme_1M_120x36.golden", r, 120, 36, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mdl, _ := newTestModel(t, tc.snap, tc.w, tc.h)
			if tc.cost {
				press(mdl, "shift+tab")
			}
			got := screen(mdl)
			checkSize(t, got, tc.w, tc.h)
			golden(t, tc.name, got)
			if tc.snap.SampleOneIn == 1 && strings.Contains(got, "~") {
				t.Errorf("an unsampled run shows an estimate (~):\n%s", got)
			}
		})
	}
}
