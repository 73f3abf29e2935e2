package ui

import (
	"slices"
	"testing"
	"time"

	"pipesim/sim"
	"pipesim/sim/config"

	tea "charm.land/bubbletea/v2"
)

// BenchmarkKeyToAnswer is how long a key takes to show its answer while
// the engine runs the 1M/h scenario as fast as it can on its own
// goroutine: from the key press to the first frame drawn from a snapshot
// in which the engine has applied it. The model is driven as Bubble Tea
// drives it (each command run, its message handed back to Update, a
// frame drawn after each), so the polls are the dashboard's own; Bubble
// Tea's renderer adds at most one frame (1/60 s) to what is reported.
// Keys alternate + and -, each moving the rate one step.
func BenchmarkKeyToAnswer(b *testing.B) {
	cfg, err := config.ParseFile("../config.yml")
	if err != nil {
		b.Fatal(err)
	}
	e := startEngine(b, cfg, sim.Options{Scenario: "1M", SampleOneIn: 1, Seed: 1, Duration: 6 * time.Hour}) // at most ~3 GB of files
	m := New(e, Options{Width: 160, Height: 48})
	msgs := make(chan tea.Msg, 16)
	var run func(tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		go func() {
			msg := cmd()
			if batch, ok := msg.(tea.BatchMsg); ok {
				for _, c := range batch {
					run(c)
				}
				return
			}
			msgs <- msg
		}()
	}
	run(m.Init())
	for m.snap == nil {
		_, cmd := m.Update(<-msgs)
		run(cmd)
	}
	var waits []time.Duration
	keys := []string{"+", "-"}
	for b.Loop() {
		before := m.snap.RatePerHour
		start := time.Now()
		_, cmd := m.Update(keyMsg(keys[len(waits)%2]))
		run(cmd)
		m.View()
		for m.snap.RatePerHour == before {
			if m.snap.Done || m.snap.Err != nil {
				b.Fatalf("the engine stopped (%v) before it answered", m.snap.Err)
			}
			_, cmd := m.Update(<-msgs)
			run(cmd)
			m.View()
		}
		waits = append(waits, time.Since(start))
	}
	slices.Sort(waits)
	b.ReportMetric(ms(waits[len(waits)/2]), "p50-ms")
	b.ReportMetric(ms(waits[len(waits)*99/100]), "p99-ms")
	b.ReportMetric(ms(waits[len(waits)-1]), "max-ms")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
