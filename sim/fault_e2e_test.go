package sim

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"pipesim/sim/config"
	"pipesim/sim/event"
	"pipesim/sim/metric"
	"pipesim/store"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var faultStart = time.Date(2026, 11, 25, 0, 20, 0, 0, time.UTC)

func faults(t *testing.T, specs ...string) []Fault {
	t.Helper()
	var fs []Fault
	for _, s := range specs {
		f, err := ParseFault(s)
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
	return fs
}

// runWithEngine is runEngine that also hands back the engine, for its
// minute metrics.
// runToPause starts a run that pauses itself at opt.PauseAt and returns
// once it has; resume lets it run to its end and returns its summary
// (commands sent before it apply as the run resumes).
func runToPause(t *testing.T, cfg *config.Config, opt Options) (e *Engine, resume func() Summary) {
	t.Helper()
	e, err := New(t.Context(), cfg, opt)
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
	return e, func() Summary {
		e.Send(Command{Kind: CmdTogglePause})
		return <-ran
	}
}

func runWithEngine(t *testing.T, cfg *config.Config, opt Options) (Summary, *Engine) {
	t.Helper()
	ctx := context.Background()
	e, err := New(ctx, cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	s, err := e.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s, e
}

func TestLedgerOutageLosesAndDuplicatesNothing(t *testing.T) {
	cfg := testConfig(t)
	out := t.TempDir()
	s, e := runWithEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 11, Start: faultStart,
		Duration: 30 * time.Minute, Out: out, Faults: faults(t, "ledger-down@5m+8m")})
	checkIdentities(t, out, s)
	if s.Counts[metric.DeadLettered] != 0 || s.Counts[metric.Expired] != 0 || s.Counts[metric.DuplicatesLeaked] != 0 {
		t.Errorf("dead-lettered %d, expired %d, leaked %d; an outage should cost none", s.Counts[metric.DeadLettered], s.Counts[metric.Expired], s.Counts[metric.DuplicatesLeaked])
	}
	var age time.Duration
	for _, m := range e.cw.minutes {
		age = max(age, m.IteratorAgeMax)
	}
	if age < 7*time.Minute {
		t.Errorf("largest iterator age %s; records should have waited through the 8-minute outage", age)
	}
	// The outage is the simulated window asked for, to the minute: nothing
	// is staged inside it, and the retries stage at once when it ends.
	down, up := faultStart.Add(5*time.Minute), faultStart.Add(13*time.Minute)
	for _, m := range e.cw.minutes {
		staged := m.Counts[metric.Staged]
		switch {
		case !m.Start.Before(down) && m.Start.Before(up) && staged != 0:
			t.Errorf("minute %s, in the outage, staged %d lines", m.Start.Format("15:04"), staged)
		case (m.Start.Equal(down.Add(-time.Minute)) || m.Start.Equal(up)) && staged == 0:
			t.Errorf("minute %s, next to the outage, staged nothing", m.Start.Format("15:04"))
		}
	}
	if last := e.cw.minutes[len(e.cw.minutes)-1]; last.IteratorAgeMax > time.Minute {
		t.Errorf("iterator age %s at the end; the backlog should have drained", last.IteratorAgeMax)
	}
	// the embedded server's port is random: no log line (and so no report) may name it
	failed := false
	for _, l := range e.cw.log {
		if strings.Contains(l.Text, "ledger") && strings.Contains(l.Text, "retrying") {
			failed = true
			if !strings.Contains(l.Text, "miniredis (embedded)") || strings.Contains(l.Text, "127.0.0.1") {
				t.Errorf("log line %q should name the embedded ledger, not its address", l.Text)
			}
		}
	}
	if !failed {
		t.Error("no log line about the failed ledger calls")
	}
}

// Malformed records are rejected with their reason, by the Lambda into
// the dead-letter folder, or with Firehose (which stages them as sent) by
// Glue into its quarantine; either way every kind is told apart, and the
// re-sent copies of a rejected record count as copies lost.
func TestMalformedRecordsAreDeadLetteredWithTheirReason(t *testing.T) {
	for _, mode := range config.PipelineMode.Values {
		t.Run(mode, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Pipeline.Mode = mode
			out := t.TempDir()
			s, _ := runWithEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 12, Start: faultStart,
				Duration: 20 * time.Minute, Out: out, Faults: faults(t, "malformed=2%")})
			checkIdentities(t, out, s)
			rejected, glob := s.Counts[metric.DeadLettered], dlqGlob(out)
			want := slices.Clone(malformedReason[:])
			if mode == "firehose" {
				// nothing decodes base64 on the way: Glue reads bytes that are no JSON
				rejected, glob = s.Counts[metric.Quarantined], filepath.Join(out, "datalake", "quarantine", "*.ndjson")
				want = slices.DeleteFunc(want, func(r event.Reason) bool { return r == event.ReasonBadBase64 })
				if s.Counts[metric.DeadLettered] != 0 {
					t.Errorf("%d dead-lettered with no Lambda", s.Counts[metric.DeadLettered])
				}
			}
			if rejected < 200 {
				t.Fatalf("rejected %d of ~20k events at 2%%", rejected)
			}
			reasons := map[string]int{}
			letters := readDeadLetters(t, glob)
			for _, dl := range letters {
				if dl.Detail == "" || dl.Shard == "" {
					t.Errorf("dead letter without detail or source: %+v", dl)
				}
				reasons[dl.Reason]++
			}
			if int64(len(letters)) != rejected {
				t.Errorf("%d dead letters on disk, %d counted", len(letters), rejected)
			}
			for _, r := range want {
				if reasons[string(r)] == 0 {
					t.Errorf("no dead letter for %s; got %v", r, reasons)
				}
			}
		})
	}
}

func TestLateEventsReachTheirDayAndAreMerged(t *testing.T) {
	cfg := testConfig(t)
	out := t.TempDir()
	s, _ := runWithEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 13, Start: faultStart,
		Duration: 40 * time.Minute, Out: out, Faults: faults(t, "late=5%")})
	checkIdentities(t, out, s)
	// events 1-6 h late at 00:20-01:00 belong to the day before, which is
	// closed: every Glue run adds a small file there and merges fold them
	parts := filesPerPartition(t, out)
	before := 0
	for dir, n := range parts {
		if strings.Contains(dir, "day=24") {
			before++
			if n != 1 {
				t.Errorf("%s: %d files; the closed day's late files should be merged into one", dir, n)
			}
		}
	}
	if before == 0 {
		t.Error("no late event reached the day before")
	}
}

func TestOutageLongerThanRetentionExpiresRecords(t *testing.T) {
	cfg := testConfig(t)
	cfg.Kinesis.Retention = 10 * time.Minute
	out := t.TempDir()
	s, e := runWithEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 14, Start: faultStart,
		Duration: 40 * time.Minute, Out: out, Faults: faults(t, "lambda-down@5m+20m")})
	checkIdentities(t, out, s)
	if s.Counts[metric.Expired] < 5_000 {
		t.Errorf("expired %d; a 20-minute stop with 10 minutes' retention should lose about 10 minutes of records", s.Counts[metric.Expired])
	}
	warned := false
	for _, l := range e.cw.log {
		warned = warned || (l.Warn && strings.Contains(l.Text, "expired"))
	}
	if !warned {
		t.Error("no warning in the log that records expired")
	}
	if err := s.UnaskedLoss(); err != nil {
		t.Errorf("the injected stop explains the loss, but: %v", err)
	}
}

// A consumer that cannot keep up loses records with no fault asked for:
// the summary says so, and the headless run fails on it.
func TestLossNoFaultExplains(t *testing.T) {
	cfg := testConfig(t)
	cfg.Kinesis.Retention = 10 * time.Minute
	cfg.Lambda.PerRecord = 500 * time.Millisecond // a few records a second a shard, against ~17 arriving
	out := t.TempDir()
	s := runEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 14, Start: faultStart, Duration: 30 * time.Minute, Out: out})
	checkIdentities(t, out, s)
	err := s.UnaskedLoss()
	if s.Counts[metric.Expired] == 0 || err == nil {
		t.Fatalf("expired %d, UnaskedLoss = %v; want records lost and said so", s.Counts[metric.Expired], err)
	}
	want := strconv.FormatInt(s.Nominal[metric.Expired], 10) + " records expired in the stream with no fault injected to explain it"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("UnaskedLoss = %q, want it to say %q", err, want)
	}
}

func TestCompactAfterGlueCrashFinishesExactlyOnce(t *testing.T) {
	cfg := testConfig(t)
	out := t.TempDir()
	ctx := context.Background()
	e, err := New(ctx, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 15, Start: faultStart,
		Duration: 40 * time.Minute, Out: out, Faults: faults(t, "glue-crash@25m")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Run(ctx)
	e.Close()
	if !errors.Is(err, ErrCrashed) {
		t.Fatalf("run ended with %v, want the crash", err)
	}
	// Readers see the last run that committed (runs at 10 and 20 minutes);
	// the crashed run's version lies beside it, never made current.
	lake, err := store.OpenLake(out)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := lake.CurrentCommit(); err != nil || c.What != "glue run 2" || c.Watermark.Runs != 2 {
		t.Fatalf("current commit %+v, %v; want glue run 2's", c, err)
	}
	versions, err := os.ReadDir(filepath.Join(out, "datalake", ".versions"))
	if err != nil || len(versions) != 2 || versions[1].Name() != "processed-00003" {
		t.Fatalf("versions on disk %v, %v; want run 2's and the crashed run 3's", versions, err)
	}
	res, err := Compact(cfg, out)
	if err != nil {
		t.Fatal(err)
	}
	rows, distinct := countParquet(t, out)
	if rows != distinct {
		t.Errorf("%d Parquet rows but %d distinct uuids: something was written twice", rows, distinct)
	}
	staged, torn := stagedUUIDs(t, cfg, out)
	if int64(len(staged)) != distinct {
		t.Errorf("%d distinct uuids staged, %d in the lake: something was skipped or invented", len(staged), distinct)
	}
	if res.Counts[metric.Quarantined] != torn {
		t.Errorf("compact quarantined %d lines, %d staging lines are unreadable", res.Counts[metric.Quarantined], torn)
	}
	again, err := Compact(cfg, out)
	if err != nil || again.Read != 0 || again.Files != 0 {
		t.Errorf("a second compact read %d lines and wrote %d files (%v); the watermark should stop it", again.Read, again.Files, err)
	}
}

// stagedUUIDs reads every staging line: the distinct uuids, and how many
// lines could not be read (torn by a crash).
func stagedUUIDs(t *testing.T, cfg *config.Config, out string) (map[[16]byte]bool, int64) {
	t.Helper()
	ids := map[[16]byte]bool{}
	var torn int64
	var ev event.Event
	err := filepath.WalkDir(filepath.Join(out, "datalake", "staging"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		for line := range strings.Lines(string(b)) {
			if cfg.Catalog.DecodeStagingLine([]byte(strings.TrimSuffix(line, "\n")), &ev) != nil {
				torn++
				continue
			}
			ids[ev.UUID] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids, torn
}

// TestSoak is a long run at 1M/h with a ledger outage, malformed records
// and late events: the identities must hold at the end. It runs for
// PIPESIM_SOAK_HOURS simulated hours (CI sets it; a day takes minutes and
// ~15 GB of disk) and logs the peak memory.
func TestSoak(t *testing.T) {
	hours, err := strconv.Atoi(os.Getenv("PIPESIM_SOAK_HOURS"))
	if err != nil || hours <= 0 {
		t.Skip("PIPESIM_SOAK_HOURS is not set: soak skipped (CI runs it)")
	}
	cfg, err := config.ParseFile("../config.yml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Producer.PeakToMean, cfg.Producer.WeekendLevel = 1, 1 // a flat rate: the events are the rate times the hours
	out := t.TempDir()
	d := time.Duration(hours) * time.Hour
	s := runEngine(t, cfg, Options{Scenario: "1M", Seed: 99, Start: cfg.Start, Duration: d, Out: out,
		Faults: []Fault{{Kind: "ledger-down", At: d / 4, For: 20 * time.Minute}, {Kind: "malformed", Share: 0.005}, {Kind: "late", Share: 0.01}}})
	if s.Counts[metric.Produced] != int64(hours)*1_000_000 {
		t.Errorf("produced %d in %d h at 1M/h", s.Counts[metric.Produced], hours)
	}
	if s.Counts[metric.DeadLettered] == 0 || s.Counts[metric.Expired] != 0 {
		t.Errorf("dead-lettered %d (want > 0), expired %d (want 0)", s.Counts[metric.DeadLettered], s.Counts[metric.Expired])
	}
	checkIdentities(t, out, s)
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for line := range strings.Lines(string(status)) {
			if strings.HasPrefix(line, "VmHWM") {
				t.Logf("soak of %d h: %d events in %.0f s; peak RSS of the test process (engine and checks) %s", hours, s.Counts[metric.Produced], s.WallSeconds, strings.TrimSpace(line))
			}
		}
	}
}

// A poison record, with the event-source mapping's defaults (retry until
// the record expires), blocks its shard and no other: the others keep their
// iterator age near zero, while the records behind it wait, and expire at
// the stream's retention, counted as lost; then the shard flows again.
func TestPoisonBlocksItsShard(t *testing.T) {
	cfg := testConfig(t)
	cfg.Kinesis.Retention = 10 * time.Minute
	cfg.Kinesis.Shards = 8
	out := t.TempDir()
	e, resume := runToPause(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 31, Start: faultStart,
		Duration: 30 * time.Minute, Out: out, PauseAt: 8 * time.Minute, Faults: faults(t, "poison=0.05%")})
	snap := e.Snapshot()
	var blocked []ShardUse
	for _, u := range snap.ShardUse {
		switch {
		case !u.FailingSince.IsZero():
			blocked = append(blocked, u)
			if u.IteratorAge < snap.SimTime.Sub(u.FailingSince)-time.Second { // the record arrived within the second it first threw
				t.Errorf("%s blocked since %s has iterator age %s", u.ID, u.FailingSince.Format("15:04:05"), u.IteratorAge)
			}
		case u.IteratorAge > 5*time.Second:
			t.Errorf("%s is not blocked but its iterator age is %s", u.ID, u.IteratorAge)
		}
	}
	if len(blocked) == 0 || len(blocked) == len(snap.ShardUse) {
		resume()
		t.Fatalf("want some shards blocked and some not at %s, got %d of %d", snap.SimTime.Format("15:04"), len(blocked), len(snap.ShardUse))
	}
	if !hasLog(e, "Lambda threw on a batch of "+blocked[0].ID) {
		t.Errorf("no log line names %s:\n%v", blocked[0].ID, e.cw.log)
	}
	s := resume()
	checkIdentities(t, out, s)
	if s.Counts[metric.FunctionErrors] == 0 || s.Counts[metric.Expired] == 0 || s.UnaskedLoss() != nil {
		t.Errorf("function errors %d, expired %d, unasked loss %v", s.Counts[metric.FunctionErrors], s.Counts[metric.Expired], s.UnaskedLoss())
	}
	for _, u := range e.Snapshot().ShardUse {
		if !u.FailingSince.IsZero() || u.Backlog != 0 {
			t.Errorf("%s still blocked at the end: since %s, backlog %d", u.ID, u.FailingSince, u.Backlog)
		}
	}
}

// The event-source mapping's error handling, against the poison records a
// Firehose run of the same seed stages (nothing runs the function there):
// with bisect the mapping isolates each and gives up on it alone; without,
// it gives up on whole batches, good records with them; a record age limit
// discards what waited too long. Every discarded batch's range is at the
// destination; nothing expires; the identities hold.
func TestBisectIsolatesPoison(t *testing.T) {
	run := func(t *testing.T, mode string, set ...string) (Summary, string) {
		cfg := testConfig(t)
		cfg.Kinesis.Shards = 4
		cfg.Pipeline.Mode = mode
		for _, s := range set {
			var err error
			if cfg, err = cfg.Set(s); err != nil {
				t.Fatal(err)
			}
		}
		out := t.TempDir()
		s, _ := runWithEngine(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 32, Start: faultStart,
			Duration: 20 * time.Minute, Out: out, Faults: faults(t, "poison=0.1%")})
		checkIdentities(t, out, s)
		return s, out
	}
	_, fh := run(t, "firehose")
	var poisoned int64
	err := filepath.WalkDir(filepath.Join(fh, "datalake", "staging"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		poisoned += int64(strings.Count(string(b), `\u0000`))
		return err
	})
	if err != nil || poisoned < 5 {
		t.Fatalf("%d poison records staged by Firehose (%v); want some", poisoned, err)
	}

	for _, tc := range []struct {
		name      string
		set       []string
		exact     bool   // only the poison records are discarded (else whole batches, good records with them)
		condition string // the destination records'
	}{
		{"bisect, 2 retries", []string{"lambda.bisect_on_error=true", "lambda.max_retry_attempts=2"}, true, "RetryAttemptsExhausted"},
		{"item failures, bisect, no retry", []string{"lambda.report_batch_item_failures=true", "lambda.bisect_on_error=true", "lambda.max_retry_attempts=0"}, true, "RetryAttemptsExhausted"},
		{"item failures, no retry", []string{"lambda.report_batch_item_failures=true", "lambda.max_retry_attempts=0"}, false, "RetryAttemptsExhausted"},
		{"1 retry", []string{"lambda.max_retry_attempts=1"}, false, "RetryAttemptsExhausted"},
		{"record age 60s", []string{"lambda.max_record_age=60s"}, false, "RecordAgeExceeded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, out := run(t, "lambda", append(tc.set, "lambda.on_failure=destination")...)
			discarded := s.Counts[metric.DiscardedOnFailure]
			if discarded < poisoned || tc.exact != (discarded == poisoned) || s.Counts[metric.DiscardedKept] != discarded || s.Counts[metric.Expired] != 0 {
				t.Errorf("discarded %d (kept %d), expired %d; %d poison records, want only those: %v",
					discarded, s.Counts[metric.DiscardedKept], s.Counts[metric.Expired], poisoned, tc.exact)
			}
			b, err := os.ReadFile(filepath.Join(out, "datalake", "lambda_on_failure", "invocations.ndjson"))
			if err != nil {
				t.Fatal(err)
			}
			var records int64
			for line := range strings.Lines(string(b)) {
				var r store.OnFailureRecord
				if err := json.Unmarshal([]byte(line), &r); err != nil || r.Condition != tc.condition || r.BatchSize < 1 || (tc.exact && r.BatchSize != 1) {
					t.Errorf("destination record %s (%v): want %s, one record each: %v", line, err, tc.condition, tc.exact)
				}
				records += int64(r.BatchSize)
			}
			if records != discarded {
				t.Errorf("the destination holds %d records' ranges, %d discarded", records, discarded)
			}
		})
	}
}

// A shard a poison record blocks is freed from the keyboard as
// UpdateEventSourceMapping frees it in AWS: bisect on and a retry limit
// take effect at the batch's next retry, the mapping discards the poison
// record alone and the shard moves on, before anything expires.
func TestMappingKeysFreeAPoisonedShard(t *testing.T) {
	cfg := testConfig(t)
	cfg.Kinesis.Retention = 10 * time.Minute
	cfg.Kinesis.Shards = 8
	ctx := context.Background()
	e, err := New(ctx, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 31, Start: faultStart, Out: t.TempDir(), Faults: faults(t, "poison=0.05%")})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	blocked := func() (n int, oldest time.Time) {
		for _, u := range e.Snapshot().ShardUse {
			if !u.FailingSince.IsZero() {
				n++
				if oldest.IsZero() || u.FailingSince.Before(oldest) {
					oldest = u.FailingSince
				}
			}
		}
		return
	}
	stepUntil(t, e, 600, func() bool { e.publish(); n, _ := blocked(); return n > 1 })
	e.apply(Command{Kind: CmdCycleSwitch, Arg: "lambda.bisect_on_error"})
	e.apply(Command{Kind: CmdCycleSwitch, Arg: "lambda.max_retry_attempts"})
	if !e.cfg.Lambda.BisectOnError || e.cfg.Lambda.MaxRetryAttempts != 2 {
		t.Fatalf("after B and R: bisect %v, retries %d; want true, 2", e.cfg.Lambda.BisectOnError, e.cfg.Lambda.MaxRetryAttempts)
	}
	switched := e.simTime()
	stepUntil(t, e, 600, func() bool { return e.simTime().Sub(switched) >= 5*time.Minute })
	e.publish()
	if n, oldest := blocked(); n > 0 && oldest.Before(switched) {
		t.Errorf("%d shards still blocked, one since %s, before the keys at %s", n, oldest.Format("15:04:05"), switched.Format("15:04:05"))
	}
	c := e.counts.total.Counts
	if c[metric.DiscardedOnFailure] == 0 || c[metric.Expired] != 0 || c[metric.Bisections] == 0 {
		t.Errorf("discarded %d, bisections %d, expired %d: want the poison discarded after bisecting, nothing expired", c[metric.DiscardedOnFailure], c[metric.Bisections], c[metric.Expired])
	}
}
