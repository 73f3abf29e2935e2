package sim

import (
	"testing"
	"time"
)

// Keys by user_id make a hot shard: the busiest users' shard refuses
// writes while the stream as a whole uses well under its capacity, and
// doubling the shards leaves one hot; event_uuid keys keep the shards
// within a few percent of each other.
func TestPartitionKeysAndHotShards(t *testing.T) {
	load := func(t *testing.T, key string, shards int) *Snapshot {
		cfg := testConfig(t)
		cfg.Producer.PartitionKey = key
		cfg.Kinesis.Shards = shards
		// 1.2M/h is 333 records a second, 2.8 shards' worth; at user_skew 2
		// the busiest user sends 61% of them, 1.7 shards' worth
		cfg.Producer.UserSkew = 2
		cfg.Kinesis.WriteRecordsPerSecond = 120
		cfg.Kinesis.WriteBytesPerSecond = 1 << 20
		out := t.TempDir()
		e, err := New(t.Context(), cfg, Options{Scenario: "1M", RatePerHour: 1_200_000, Seed: 51, Start: faultStart,
			Duration: 5 * time.Minute, PauseAt: 4 * time.Minute, Out: out})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		ran := make(chan Summary, 1)
		go func() {
			s, err := e.Run(t.Context())
			if err != nil {
				t.Error(err)
			}
			ran <- s
		}()
		for !e.Snapshot().Paused {
			time.Sleep(time.Millisecond)
		}
		snap := e.Snapshot() // the load of the minutes before, mid-run
		e.Send(Command{Kind: CmdTogglePause})
		checkIdentities(t, out, <-ran)
		return snap
	}
	spread := func(s *Snapshot) (lo, hi int64) {
		lo = s.ShardUse[0].RecordsPerSec
		for _, u := range s.ShardUse {
			lo, hi = min(lo, u.RecordsPerSec), max(hi, u.RecordsPerSec)
		}
		return lo, hi
	}
	even := load(t, "event_uuid", 8)
	if lo, hi := spread(even); even.HotShard != "" || float64(hi-lo) > 0.1*float64(hi) {
		t.Errorf("event_uuid keys: shards from %d to %d records/s, hot shard %q; want within a few percent", lo, hi, even.HotShard)
	}
	for _, shards := range []int{8, 16} {
		hot := load(t, "user_id", shards)
		if lo, hi := spread(hot); hot.HotShard == "" || hi < 120 || lo > 60 {
			t.Errorf("user_id keys on %d shards: hot shard %q, shards from %d to %d records/s; want one at the limit, the others far below", shards, hot.HotShard, lo, hi)
		}
	}
}
