package sim

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pipesim/sim/metric"
)

// Firehose delivers a buffer when the next record would take it past
// firehose.buffer_size or its oldest record has waited buffer_interval,
// whichever comes first: no staging object is bigger than the size, none
// waited longer than the interval, and every record is accounted for.
func TestFirehoseDeliversBySizeOrTime(t *testing.T) {
	for _, tc := range []struct {
		name     string
		rate     int64
		size     int64
		interval time.Duration
		bySize   bool // most deliveries fill the buffer
	}{
		{"by size", 1_000_000, 1 << 20, 900 * time.Second, true},           // ~110 kB/s fills 1 MiB in ~10 s
		{"by time", 60_000, 5 << 20, 60 * time.Second, false},              // ~7 kB/s: a minute holds ~400 kB
		{"every second", 60_000, 1 << 20, 0, false},                        // interval 0: what a second read goes at once
		{"the default hints", 1_000_000, 5 << 20, 300 * time.Second, true}, // 5 MiB in ~47 s
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Pipeline.Mode = "firehose"
			cfg.Firehose.BufferSize, cfg.Firehose.BufferInterval = tc.size, tc.interval
			out := t.TempDir()
			s, e := runWithEngine(t, cfg, Options{Scenario: "1M", RatePerHour: tc.rate, Seed: 21, Start: faultStart,
				Duration: 10 * time.Minute, Out: out, Faults: faults(t, "late=2%")})
			checkIdentities(t, out, s)
			var objects, full int64
			err := filepath.WalkDir(filepath.Join(out, "datalake", "staging"), func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				if !strings.HasPrefix(d.Name(), "firehose-") {
					t.Errorf("%s: not a Firehose object", p)
				}
				info, err := d.Info()
				if err != nil {
					return err
				}
				objects++
				if info.Size() > tc.size {
					t.Errorf("%s is %d bytes, more than the %d buffer", p, info.Size(), tc.size)
				}
				if info.Size() > tc.size*9/10 {
					full++
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if objects == 0 || objects != s.Counts[metric.FirehoseDeliveries] {
				t.Errorf("%d objects on disk, %d deliveries counted", objects, s.Counts[metric.FirehoseDeliveries])
			}
			if tc.bySize != (full*2 > objects) {
				t.Errorf("%d of %d objects are nearly full; want most full: %v", full, objects, tc.bySize)
			}
			fi := e.Snapshot().Firehose
			if fi.LongestWait > tc.interval || !fi.On || fi.Buffered != 0 {
				t.Errorf("longest wait %s (interval %s), on %v, %d bytes left", fi.LongestWait, tc.interval, fi.On, fi.Buffered)
			}
			if tc.interval > 0 && !tc.bySize && fi.LongestWait != tc.interval {
				t.Errorf("buffers delivered by time waited at most %s, want %s", fi.LongestWait, tc.interval)
			}
			if s.Counts[metric.LambdaInvocations] != 0 || s.Counts[metric.DuplicatesDroppedLambda] != 0 || s.Counts[metric.FirehoseRecords] != s.Counts[metric.Sent] {
				t.Errorf("invocations %d, dropped by the ledger %d, read by Firehose %d of %d sent", s.Counts[metric.LambdaInvocations],
					s.Counts[metric.DuplicatesDroppedLambda], s.Counts[metric.FirehoseRecords], s.Counts[metric.Sent])
			}
		})
	}
}

// The stream's reader flips live both ways: the Lambda's staging and
// Firehose's objects sit side by side, Glue reads each as what it is, the
// delivery stream hands over what it holds when stopped, and every record
// is accounted for.
func TestPipelineModeFlipsLive(t *testing.T) {
	cfg := testConfig(t)
	out := t.TempDir()
	e, resume := runToPause(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 22, Start: faultStart,
		Duration: 30 * time.Minute, Out: out, PauseAt: 6 * time.Minute, Speed: 900, Faults: faults(t, "malformed=1%", "late=2%")})
	waitFor := func(what string, ok func(*Snapshot) bool) {
		deadline := time.Now().Add(20 * time.Second)
		for s := e.Snapshot(); !ok(s); s = e.Snapshot() {
			if time.Now().After(deadline) {
				t.Fatalf("waited 20 s for %s; at %s", what, s.SimTime)
			}
			time.Sleep(time.Millisecond)
		}
	}
	e.Send(Command{Kind: CmdCycleSwitch, Arg: "pipeline.mode"})
	ran := make(chan Summary, 1)
	go func() { ran <- resume() }()
	waitFor("Firehose to hold records", func(s *Snapshot) bool { return s.Firehose.On && s.Firehose.Records > 0 })
	e.Send(Command{Kind: CmdCycleSwitch, Arg: "pipeline.mode"})
	s := <-ran
	checkIdentities(t, out, s)
	kinds := map[string]int{}
	for _, f := range stagingFileNames(t, out) {
		kinds[f[:strings.IndexByte(f, '-')]]++
	}
	if kinds["shard"] == 0 || kinds["firehose"] == 0 || s.Counts[metric.FirehoseBuffered] != 0 {
		t.Errorf("staging files by kind %v, %d left in the buffer", kinds, s.Counts[metric.FirehoseBuffered])
	}
	if !hasLog(e, "design choice pipeline.mode = firehose: ") || !hasLog(e, "design choice pipeline.mode = lambda: ") {
		t.Errorf("the flips are not logged:\n%v", e.cw.log)
	}
}

// stagingFileNames lists the names of the staging files under out.
func stagingFileNames(t *testing.T, out string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(filepath.Join(out, "datalake", "staging"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, d.Name())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// Switching to Firehose over a backlog older than what Glue has read (a
// poison record blocked a shard while the others were staged and
// compacted): Firehose delivers those records into the first minute still
// open, never behind Glue's watermark, and every one reaches the lake.
func TestFirehoseOverABacklog(t *testing.T) {
	cfg := testConfig(t)
	cfg.Kinesis.Shards = 8
	out := t.TempDir()
	e, resume := runToPause(t, cfg, Options{Scenario: "1M", RatePerHour: 60_000, Seed: 31, Start: faultStart,
		Duration: 30 * time.Minute, Out: out, PauseAt: 16 * time.Minute, Faults: faults(t, "poison=0.05%")})
	s := e.Snapshot()
	var oldest time.Duration
	for _, u := range s.ShardUse {
		oldest = max(oldest, u.IteratorAge)
	}
	if s.Totals.Counts[metric.GlueRuns] == 0 || oldest < 8*time.Minute {
		resume()
		t.Fatalf("want Glue to have run and a backlog older than its last run: runs %d, oldest %s", s.Totals.Counts[metric.GlueRuns], oldest)
	}
	e.Send(Command{Kind: CmdCycleSwitch, Arg: "pipeline.mode"})
	checkIdentities(t, out, resume())
}
