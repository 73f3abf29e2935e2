package sim

import (
	"testing"
	"time"

	"pipesim/sim/metric"
)

// At 1B/h one shard takes 1,000 of the 278k records offered a second: the
// producer buffers what the shard refuses and drops what outlives
// producer.record_ttl or finds the buffer full, and every event is
// accounted for. With the scenario's 750 shards nothing waits.
func TestProducerBufferAt1B(t *testing.T) {
	for _, tc := range []struct {
		shards   int
		wantLost bool
	}{{1, true}, {750, false}} {
		cfg := testConfig(t)
		cfg.Kinesis.Shards = tc.shards
		out := t.TempDir()
		s := runEngine(t, cfg, Options{Scenario: "1B", Seed: 9, Start: faultStart, Duration: 2 * time.Minute, Out: out})
		checkIdentities(t, out, s)
		c, n := s.Counts, s.Nominal
		if tc.wantLost {
			if n[metric.ProducerDropped] < n[metric.Produced]*99/100 {
				t.Errorf("1 shard at 1B/h: %d of %d events dropped at the producer, want over 99%%", n[metric.ProducerDropped], n[metric.Produced])
			}
			if c[metric.Throttled] == 0 || c[metric.PutRetries] == 0 {
				t.Errorf("1 shard at 1B/h: %d records throttled, %d retries; want some of each", c[metric.Throttled], c[metric.PutRetries])
			}
			continue
		}
		if c[metric.ProducerDropped] != 0 || c[metric.Throttled] != 0 {
			t.Errorf("%d shards at 1B/h: %d dropped, %d throttled; want none", tc.shards, c[metric.ProducerDropped], c[metric.Throttled])
		}
	}
}
