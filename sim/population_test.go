package sim

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	"pipesim/sim/event"
	"pipesim/store"
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
		e, resume := runToPause(t, cfg, Options{Scenario: "1M", RatePerHour: 1_200_000, Seed: 51, Start: faultStart,
			Duration: 5 * time.Minute, PauseAt: 4 * time.Minute, Out: out})
		snap := e.Snapshot() // the load of the minutes before, mid-run
		checkIdentities(t, out, resume())
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

// With producer.model people, every event of a user carries that user's
// device and location (and, by layout, language), in the lake as Glue
// wrote it; many users have several events.
func TestPeopleKeepTheirFields(t *testing.T) {
	cfg := testConfig(t)
	cfg.Producer.Model = "people"
	cfg.Producer.Users = 2000
	cfg.Glue.Partitioning = "hour_event_type" // language_id is a column
	out := t.TempDir()
	s, _ := runWithEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 52, Start: faultStart,
		Duration: 10 * time.Minute, Out: out})
	checkIdentities(t, out, s)
	cols := []store.Column{{Name: "user_id", Kind: store.String}, {Name: "device", Kind: store.String},
		{Name: "user_location", Kind: store.String}, {Name: "language_id", Kind: store.String}}
	seen := map[string][3]string{}
	events := map[string]int{}
	for _, f := range processedFiles(t, out) {
		err := store.ReadParquet(f.Path, cols, func(row []store.Value) error {
			if !row[0].Valid {
				return nil
			}
			u := row[0].Str
			events[u]++
			have := seen[u]
			for i, v := range row[1:] {
				if !v.Valid || v.Str == event.NotApplicable {
					continue
				}
				if have[i] != "" && have[i] != v.Str {
					t.Errorf("user %s has %s %q and %q", u, cols[i+1].Name, have[i], v.Str)
				}
				have[i] = v.Str
			}
			seen[u] = have
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	busy := 0
	for _, n := range events {
		if n >= 5 {
			busy++
		}
	}
	if len(events) < 100 || busy < 50 {
		t.Errorf("%d users, %d with 5+ events: want a population, not one-offs", len(events), busy)
	}
}

// With people, the times an event states are its own moment (within the
// client's lag), and each login names the user's previous login.
func TestPeopleStateTheirMoments(t *testing.T) {
	cfg := testConfig(t)
	cfg.Producer.Model = "people"
	cfg.Producer.Users = 200
	out := t.TempDir()
	s, _ := runWithEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 53, Start: faultStart,
		Duration: 10 * time.Minute, Out: out})
	checkIdentities(t, out, s)
	cols := []store.Column{{Name: "created_at", Kind: store.Timestamp, Required: true}, {Name: "event_name", Kind: store.String, Required: true},
		{Name: "user_id", Kind: store.String}, {Name: "account_id", Kind: store.String}, {Name: "last_login_time", Kind: store.Timestamp},
		{Name: "start_time", Kind: store.Timestamp}, {Name: "resume_time", Kind: store.Timestamp}, {Name: "end_time", Kind: store.Timestamp}}
	type login struct{ at, last int64 }
	logins := map[string][]login{} // by account: a login has no user_id
	moments := 0
	for _, f := range processedFiles(t, out) {
		err := store.ReadParquet(f.Path, cols, func(row []store.Value) error {
			for _, v := range row[5:] {
				if v.Valid {
					moments++
					if lag := row[0].Int - v.Int; lag < 0 || lag > cfg.Producer.ClientLag.Microseconds() {
						t.Errorf("%s at %d states %d: %d µs off", row[1].Str, row[0].Int, v.Int, lag)
					}
				}
			}
			if row[1].Str == loginEvent {
				logins[row[3].Str] = append(logins[row[3].Str], login{row[0].Int, row[4].Int})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	chained := 0
	for acct, ls := range logins {
		slices.SortFunc(ls, func(a, b login) int { return cmp.Compare(a.at, b.at) })
		for i := 1; i < len(ls); i++ {
			if ls[i].last != ls[i-1].at {
				t.Errorf("account %s logged in at %d naming %d as its last login, want %d", acct, ls[i].at, ls[i].last, ls[i-1].at)
			}
			chained++
		}
	}
	if moments < 100 || chained < 20 {
		t.Errorf("%d stated moments, %d chained logins: too few to tell", moments, chained)
	}
}

// With people, an exercise keeps its exercise_id over its attempts until
// it ends, and a user's lessons are no more than the lessons they started
// or went on with after one ended (and one under way when the run began):
// until journeys order the events, a lesson event after an end begins one.
func TestPeopleCarryTheirThreads(t *testing.T) {
	cfg := testConfig(t)
	cfg.Producer.Model = "people"
	cfg.Producer.Users = 100
	out := t.TempDir()
	s, _ := runWithEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 54, Start: faultStart,
		Duration: 10 * time.Minute, Out: out})
	checkIdentities(t, out, s)
	cols := []store.Column{{Name: "created_at", Kind: store.Timestamp, Required: true}, {Name: "event_name", Kind: store.String, Required: true},
		{Name: "user_id", Kind: store.String}, {Name: "exercise_id", Kind: store.String}, {Name: "lesson_id", Kind: store.String}}
	type ev struct {
		at         int64
		name, id   string
		lesson     string
		isExercise bool
	}
	byUser := map[string][]ev{}
	for _, f := range processedFiles(t, out) {
		err := store.ReadParquet(f.Path, cols, func(row []store.Value) error {
			if row[2].Valid {
				byUser[row[2].Str] = append(byUser[row[2].Str], ev{row[0].Int, row[1].Str, row[3].Str, row[4].Str, row[3].Valid})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	carried := 0
	for u, evs := range byUser {
		slices.SortFunc(evs, func(a, b ev) int { return cmp.Compare(a.at, b.at) })
		var prev *ev
		started, lessons := 0, map[string]bool{}
		ends := 0
		for i := range evs {
			e := &evs[i]
			switch e.name {
			case "lesson:started":
				started++
			case "lesson:completed", "lesson:skipped":
				ends++
			}
			if e.lesson != "" {
				lessons[e.lesson] = true
			}
			if !e.isExercise {
				continue
			}
			if prev != nil && !strings.HasSuffix(prev.name, ":completed") && !strings.HasSuffix(prev.name, ":failed") && !strings.HasSuffix(prev.name, ":skipped") {
				if e.id != prev.id {
					t.Errorf("user %s: %s at %d has exercise %s, the attempt before it %s", u, e.name, e.at, e.id, prev.id)
				}
				carried++
			}
			prev = e
		}
		if len(lessons) > started+ends+1 {
			t.Errorf("user %s has %d lessons; started %d, ended %d", u, len(lessons), started, ends)
		}
	}
	if carried < 50 {
		t.Errorf("only %d exercise events followed an attempt under way: too few to tell", carried)
	}
}
