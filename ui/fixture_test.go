package ui

import (
	"errors"
	"math"
	"sync"
	"time"

	"pipesim/sim"
	"pipesim/sim/metric"
	"pipesim/store"
)

// fakeSnapshot is a fixed, realistic picture: scenario 1M (one shard, not
// sampled) on its second day, at 14:37:25, with 93 minute partitions in
// staging (13:05 … 14:37, the newest still open), yesterday's partitions
// merged and today's hourly small files in the lake.
func fakeSnapshot() *sim.Snapshot {
	start := time.Date(2024, 3, 14, 0, 0, 0, 0, time.UTC)
	now := time.Date(2024, 3, 15, 14, 37, 25, 0, time.UTC)
	c := metric.Counts{
		metric.Produced:                39_392_400,
		metric.Sent:                    39_392_400 + 788_100,
		metric.DuplicatesInjected:      788_100,
		metric.Throttled:               0,
		metric.LambdaInvocations:       393_910,
		metric.DeadLettered:            3_180,
		metric.DuplicatesDroppedLambda: 784_950,
		metric.Staged:                  39_392_400 + 788_100 - 216 - 784_950 - 3_180,
		metric.GlueRuns:                38,
		metric.DuplicatesDroppedGlue:   2_980,
		metric.DuplicatesOnTheWay:      2, // in the stream
		metric.DuplicatesUnresolved:    4, // late copies staged, Glue not yet run over them
		metric.Processed:               37_051_380,
		metric.StagedUncompacted:       39_392_400 + 788_100 - 216 - 784_950 - 3_180 - 37_051_380 - 2_980, // since the last run
		metric.DuplicatesLeaked:        164,
		metric.InFlight:                216,
		metric.Expired:                 0,
	}
	s := &sim.Snapshot{
		SimTime:       now,
		Start:         start,
		Speed:         600,
		AchievedSpeed: 598,
		Scenario:      "1M",
		RatePerHour:   1_000_000,
		Shards:        1,
		ShardsNeeded:  1,
		SampleOneIn:   1,
		DuplicateRate: 0.02,
		FileBand:      sim.FileBand{Lo: 100_000_000, Hi: 1_000_000_000},
		ShardLimit:    sim.Load{Records: 1000, Bytes: 1 << 20},
		Switches: []sim.SwitchState{
			{Key: "pipeline.mode", Value: "lambda"}, {Key: "glue.dedupe", Value: "lookback"}, {Key: "ledger.on_failure", Value: "retry"},
			{Key: "glue.engine", Value: "glue"}, {Key: "glue.partitioning", Value: "day_language"},
			{Key: "ledger.ttl", Value: "1h"},
		},
		Ledger: sim.LedgerInfo{Backend: "miniredis (embedded)", Keys: 24_012_330, TTL: 24 * time.Hour},
		Cost: sim.Cost{AsOf: "2026-12-04", Region: "us-east-1",
			USD:      sim.Bill{0.57, 0, 0.08, 24.62, 2.5, 0.001, 1.76},
			PerMonth: sim.Bill{21.3, 0, 2.95, 462.25, 45.53, 0.02, 53.53}},
		Load: sim.Load{Records: 281, Bytes: 193_890},
		Tail: fakeTail(now),
		ShardUse: []sim.ShardUse{{
			ID: "shardId-000000000000", RecordsPerSec: 281, BytesPerSec: 193_890,
			RecordsUse: 0.281, BytesUse: 0.185, Backlog: 37, NominalBacklog: 37,
		}},
		Lambda: sim.LambdaInfo{InvocationsPerMin: 168, IteratorAge: 1200 * time.Millisecond, Concurrency: 1},
		Alarms: []sim.AlarmState{
			{Name: "iterator-age-high", Metric: "IteratorAgeMilliseconds", Threshold: 60000, Value: 1300},
			{Name: "throttling", Metric: "WriteProvisionedThroughputExceeded", Threshold: 0, Value: 0},
			{Name: "duplicates-leaked", Metric: "DuplicatesLeaked", Threshold: 100, Value: 164, Firing: true,
				Since: time.Date(2024, 3, 15, 11, 5, 0, 0, time.UTC)},
		},
	}
	// 120 whole minutes up to 14:36, and the current one (14:37) in progress
	for i := 0; i <= 120; i++ {
		m := now.Truncate(time.Minute).Add(time.Duration(i-120) * time.Minute)
		wave := 1 + 0.08*math.Sin(float64(i)/9)
		put := int64(16_667 * wave)
		if i == 120 {
			put = 6_900 // 25 s into the minute
		}
		dups := put * 2 / 100
		if i == 103 {
			dups += 5_000 // an injected burst at 14:20
		}
		s.Minutes = append(s.Minutes, metric.Minute{
			Start:       m,
			SampleOneIn: 1,
			Tally: tally(metric.Counts{
				metric.Produced:                put - dups,
				metric.Sent:                    put,
				metric.SentBytes:               put * 697,
				metric.LambdaRecords:           put - 40 + int64(i%7)*11,
				metric.LambdaInvocations:       put/100 + 1,
				metric.DuplicatesInjected:      dups,
				metric.DuplicatesDroppedLambda: dups - int64(i%3),
				metric.DuplicatesDroppedGlue:   int64(i % 3),
				metric.DeadLettered:            int64(i % 4),
			}, 1),
			IteratorAgeMax: time.Duration(800+(i*37)%900) * time.Millisecond,
		})
	}
	// staging: 13:05 … 14:37, oldest first
	for m := time.Date(2024, 3, 15, 13, 5, 0, 0, time.UTC); !m.After(now); m = m.Add(time.Minute) {
		i := int(m.Sub(start) / time.Minute)
		files := 160 + (i*7)%15
		p := sim.StagingPartition{Minute: m, Files: files, Bytes: int64(files)*58_000 + int64(i%97)*1_234, Closed: true}
		if m.Equal(now.Truncate(time.Minute)) {
			p.Closed = false
			p.Files, p.Bytes = 69, 3_998_000
		}
		s.Staging = append(s.Staging, p)
		c[metric.StagingFiles] += int64(p.Files)
		c[metric.StagingBytes] += p.Bytes
	}
	// the lake: 2024-03-14 merged (one file per language), 2024-03-15 in
	// hourly files; "not_applicable" rows are 5/11 of all, each language 6/110
	s.Layout = store.DayLanguage
	langs := []string{"lang_de", "lang_en", "lang_es", "lang_fr", "lang_it", "lang_pl", "lang_pt", "lang_ru", "lang_tr", "lang_zh", "not_applicable"}
	for d, day := range []time.Time{start, start.Add(24 * time.Hour)} {
		for li, l := range langs {
			share := 6.0 / 110
			if l == "not_applicable" {
				share = 5.0 / 11
			}
			pp := sim.ParquetPartition{Partition: store.DayLanguage.PartitionOf(day, l)}
			if d == 0 {
				rows := int64(24_000_000*share) + int64(li*131)
				pp.Files = []sim.ParquetFile{{Name: "part-00000-merged.parquet", Bytes: rows * 34, Rows: rows}}
				pp.NDJSONBytes = rows * 561
				pp.Merged = true
			} else {
				for h := 0; h < 14; h++ {
					rows := int64(1_000_000*share) + int64((h*17+li*5)%40)
					pp.Files = append(pp.Files, sim.ParquetFile{
						Name: "run-" + itoa(h+24) + ".parquet", Bytes: rows * 36, Rows: rows,
					})
					pp.NDJSONBytes += rows * 561
				}
			}
			s.Processed = append(s.Processed, pp)
			for _, f := range pp.Files {
				c[metric.ProcessedFiles]++
				c[metric.ProcessedBytes] += f.Bytes
			}
		}
	}
	s.Totals = tally(c, 1)
	s.MinutesToCompact = len(s.Staging)
	weigh(s, 1)
	at := func(h, m, sec int) time.Time { return time.Date(2024, 3, 15, h, m, sec, 0, time.UTC) }
	s.Log = []sim.LogLine{
		{At: at(13, 0, 0), Text: "CloudWatch report written: cloudwatch_reports/2024-03-15T13-00.md"},
		{At: at(13, 5, 0), Text: "Glue run 37: 55 partitions, 11 files, 31.4 MB, 81 duplicates dropped"},
		{At: at(14, 0, 0), Text: "CloudWatch report written: cloudwatch_reports/2024-03-15T14-00.md"},
		{At: at(14, 5, 0), Text: "Glue run 38: 60 partitions, 11 files, 34.2 MB, 76 duplicates dropped"},
		{At: at(14, 20, 3), Text: "burst: 5,000 recently sent records replayed"},
		{At: at(14, 31, 40), Text: "alarm duplicates-leaked still firing: 164 > 100", Warn: true},
	}
	return s
}

// sampledSnapshot is the 1B scenario on 64 shards, sampled 1 in 40: every
// shard at its limit and refusing puts, the producer losing most events.
func sampledSnapshot() *sim.Snapshot {
	s := fakeSnapshot()
	s.Scenario, s.RatePerHour, s.Shards, s.ShardsNeeded, s.SampleOneIn = "1B", 1_000_000_000, 64, 348, 40
	// the producer lost 12.9M events a minute for the last two hours
	c := s.Totals.Counts
	c[metric.Produced] += 120 * 322_000
	c[metric.ProducerDropped] += 120 * 322_000
	s.Totals = tally(c, 40)
	weigh(s, 40)
	s.Speed, s.AchievedSpeed = 60, 22.5
	s.ShardUse = nil
	for i := 0; i < 64; i++ {
		use := 0.98 + 0.02*math.Sin(float64(i))
		s.ShardUse = append(s.ShardUse, sim.ShardUse{
			ID:         "shardId-" + pad12(i),
			RecordsUse: use, BytesUse: use * 0.66, RecordsPerSec: int64(use * 1000),
			BytesPerSec: int64(use * 0.66 * 1048576), RefusedPerSec: 3300 + int64(i), Refused: true, Backlog: 900 + int64(i), NominalBacklog: 40 * (900 + int64(i)),
		})
	}
	// 64 shards take 3.84M records a minute of the 16.7M offered
	for i := range s.Minutes {
		m := &s.Minutes[i]
		c := m.Counts
		put := 96_000 - int64(i%5)*100
		c[metric.Sent], c[metric.Throttled] = put, 321_000+int64(i%7)*1000
		c[metric.SentBytes], c[metric.LambdaRecords] = put*697, put-300
		c[metric.LambdaInvocations] = 64 * 60 / 40 // 64 calls a second, nominal
		c[metric.DuplicatesInjected], c[metric.DuplicatesDroppedLambda] = put*2/100, put*2/100-3
		c[metric.Produced] = 416_667
		c[metric.ProducerDropped] = c[metric.Produced] + c[metric.DuplicatesInjected] - put
		m.SampleOneIn, m.Tally = 40, tally(c, 40)
		m.IteratorAgeMax = time.Duration(60+i/2) * time.Second
	}
	s.Alarms[1].Firing, s.Alarms[1].Value = true, 213_000
	s.Lambda.Concurrency = 64
	s.Lambda.IteratorAge = 95 * time.Second
	return s
}

// weigh makes the staging and Parquet files stand for w times what they
// hold, and projects a day as the engine does.
func weigh(s *sim.Snapshot, w int64) {
	for i := range s.Staging {
		p := &s.Staging[i]
		p.Lines = p.Bytes / 700
		p.NominalLines, p.NominalBytes = p.Lines*w, p.Bytes*w
	}
	for i := range s.Processed {
		for j := range s.Processed[i].Files {
			f := &s.Processed[i].Files[j]
			f.NominalRows, f.NominalBytes = f.Rows*w, f.Bytes*w
		}
	}
	s.Projected = sim.ProjectPartitions(s.Processed, s.RatePerHour)
}

func pad12(i int) string {
	s := itoa(i)
	for len(s) < 12 {
		s = "0" + s
	}
	return s
}

// fakeSource is the engine as a test sees it: it hands out the snapshot the
// test sets and records every command sent.
type fakeSource struct {
	mu   sync.Mutex
	snap *sim.Snapshot
	sent []sim.Command
}

func (f *fakeSource) Snapshot() *sim.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.snap
}

func (f *fakeSource) Send(c sim.Command) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, c)
}

// set publishes s as the fake engine's answer: it has applied every
// command sent.
func (f *fakeSource) set(s *sim.Snapshot) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s.Applied = len(f.sent)
	f.snap = s
}

func (f *fakeSource) commands() []sim.Command {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sim.Command(nil), f.sent...)
}

var errDiskFull = errors.New("write output/datalake/staging/year=2024/month=3/day=15/hour=14/minute=37/shard-000000000001.ndjson: no space left on device")

// tally is counts materialised at one sampling weight, as the engine
// publishes them.
func tally(c metric.Counts, w int64) metric.Tally {
	var t metric.Tally
	for _, k := range metric.Counters() {
		t.Add(k, c[k], w)
	}
	return t
}

// fakeTail is the last events read, one of each fate, oldest first.
func fakeTail(now time.Time) []sim.TailEvent {
	at := now.Add(-3 * time.Second)
	ev := func(id byte, name, lang string, fate sim.Fate, copied bool) sim.TailEvent {
		return sim.TailEvent{At: at, UUID: [16]byte{0x5e, 0xa1, id, 0x07}, Name: name, Language: lang,
			Shard: "shardId-000000000000", Fate: fate, Copy: copied}
	}
	bad := ev(4, "", "", sim.FateDeadLettered, false)
	bad.Reason = "bad_json"
	return []sim.TailEvent{
		ev(1, "lesson:started", "lang_es", sim.FateStaged, false),
		ev(2, "exercise:attempted", "lang_de", sim.FateStaged, false),
		ev(1, "lesson:started", "lang_es", sim.FateCaught, true),
		bad,
		ev(5, "subscription:renewed", "lang_fr", sim.FateStaged, false),
	}
}
