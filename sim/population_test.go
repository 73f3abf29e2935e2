package sim

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"pipesim/sim/config"
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
		cfg.Producer.Model = "independent" // a person's pace bounds their events; a hot key is a Zipf law per event
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

// With people, sessions walk the journeys: a lesson has one
// lesson:started, its first event, and at most one end, its last; an
// exercise keeps its id over its attempts; an exercise's score agrees
// with its outcome; a game's score never falls and its attempts count its
// plays; a session's end states the seconds since its start.
func TestPeopleWalkJourneys(t *testing.T) {
	cfg := testConfig(t)
	cfg.Producer.Model = "people"
	out := t.TempDir()
	s, _ := runWithEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 54, Start: faultStart,
		Duration: 20 * time.Minute, Out: out})
	checkIdentities(t, out, s)
	cols := []store.Column{{Name: "created_at", Kind: store.Timestamp, Required: true}, {Name: "event_name", Kind: store.String, Required: true},
		{Name: "lesson_id", Kind: store.String}, {Name: "exercise_id", Kind: store.String}, {Name: "game_id", Kind: store.String},
		{Name: "score", Kind: store.Int64}, {Name: "attempts", Kind: store.Int64}, {Name: "session_id", Kind: store.String},
		{Name: "start_time", Kind: store.Timestamp}, {Name: "end_time", Kind: store.Timestamp}, {Name: "duration", Kind: store.Int64}}
	type ev struct {
		at             int64
		name           string
		score, attempt int64
		start, end     int64
		duration       int64
	}
	threads := map[string][]ev{} // lessons, exercises and games by id
	sessions := map[string][]ev{}
	for _, f := range processedFiles(t, out) {
		err := store.ReadParquet(f.Path, cols, func(row []store.Value) error {
			e := ev{row[0].Int, row[1].Str, row[5].Int, row[6].Int, row[8].Int, row[9].Int, row[10].Int}
			for _, id := range row[2:5] {
				if id.Valid {
					threads[id.Str] = append(threads[id.Str], e)
				}
			}
			sessions[row[7].Str] = append(sessions[row[7].Str], e)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	byTime := func(a, b ev) int { return cmp.Compare(a.at, b.at) }
	counted := map[string]int{}
	for id, evs := range threads {
		slices.SortStableFunc(evs, byTime)
		kind := strings.Split(evs[0].name, ":")[0]
		best, plays := int64(0), int64(0)
		for i, e := range evs {
			counted[e.name]++
			switch e.name {
			case "lesson:started":
				if i != 0 {
					t.Errorf("lesson %s started as its event %d", id, i)
				}
			case "lesson:completed", "lesson:skipped", "game:completed":
				if i != len(evs)-1 {
					t.Errorf("%s %s ended at its event %d of %d", kind, id, i, len(evs))
				}
			case "exercise:completed":
				if e.score < passMark {
					t.Errorf("exercise %s completed with score %d", id, e.score)
				}
			case "exercise:failed":
				if e.score >= passMark {
					t.Errorf("exercise %s failed with score %d", id, e.score)
				}
			case "game:started":
				plays = 1
			case "game:resumed":
				plays++
			}
			if kind == "game" && evs[0].name == "game:started" {
				if e.score < best {
					t.Errorf("game %s: score fell from %d to %d", id, best, e.score)
				}
				best = e.score
				if e.name != "game:started" && e.attempt != plays {
					t.Errorf("game %s: %s states %d attempts after %d plays", id, e.name, e.attempt, plays)
				}
			}
		}
	}
	ended := 0
	for id, evs := range sessions {
		slices.SortStableFunc(evs, byTime)
		var start int64
		for _, e := range evs {
			switch e.name {
			case "session:created":
				start = e.start
			case "session:ended":
				if want := (e.end - start) / 1e6; start == 0 || e.duration != want {
					t.Errorf("session %s ended stating %d s, want %d", id, e.duration, want)
				}
				ended++
			}
		}
	}
	if counted["lesson:completed"] < 50 || counted["exercise:failed"] < 50 || counted["game:resumed"] < 20 || ended < 100 {
		t.Errorf("too few to tell: %v, %d sessions ended", counted, ended)
	}
}

// The mean length of a session solves the table's loops: a step that
// repeats itself half the time is two events on average.
func TestWalkMeanEvents(t *testing.T) {
	cfg := testConfig(t)
	j := config.Journeys{Begin: []config.Next{{Event: "lesson:started", P: 1}}, Order: []string{"lesson:started", "exercise:attempted"},
		Steps: map[string]config.Step{
			"lesson:started":     {Next: []config.Next{{Event: "exercise:attempted", P: 1}}},
			"exercise:attempted": {Next: []config.Next{{Event: "exercise:attempted", P: 0.5}, {Event: config.End, P: 0.5}}},
		}}
	if got := newWalk(j, cfg.Catalog).mean; math.Abs(got-3) > 1e-6 {
		t.Errorf("mean events %v, want 3 (a start and two attempts)", got)
	}
}
