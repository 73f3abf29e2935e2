package sim

import (
	"testing"
	"time"

	"pipesim/internal/perevent"
	"pipesim/sim/config"
	"pipesim/sim/event"
	"pipesim/store"
)

// The engine's stages one at a time, in events per wall-second and
// allocations per event (the codec's share of them is in sim/event, the
// ledger, staging files and Parquet in store; BenchmarkPipeline is all of
// them together). At 1B/h, 278k events a second, two cores give each
// event ~7 µs of CPU in all.

func benchConfig(b *testing.B) *config.Config {
	cfg, err := config.ParseFile("../config.yml")
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// BenchmarkProduce is the app's SDKs: events generated (users, sessions
// and journeys as configured), encoded, base64'd and buffered, a
// simulated second of the 1M/h scenario per tick.
func BenchmarkProduce(b *testing.B) {
	cfg := benchConfig(b)
	c := &counts{weight: 1}
	p := newProducer(cfg.Producer, cfg.Journeys, cfg.Catalog, 1, 1_000_000, c)
	now := cfg.Start.UnixMicro()
	var n int64
	pc := perevent.Start(b)
	for b.Loop() {
		p.tick(now)
		n += int64(len(p.outbox))
		clear(p.outbox)
		p.outbox, p.buffered, p.copies = p.outbox[:0], tally{}, tally{}
		now += 1e6
	}
	pc.Done(n)
}

// BenchmarkKinesisPut is the stream taking records: the MD5 of each
// partition key picks its shard, whose write limits are token buckets.
// Sixteen shards, refilled every 1,600 records (a tenth of what they
// take in a second, so that hot keys are not throttled), emptied by a
// reader as they fill.
func BenchmarkKinesisPut(b *testing.B) {
	cfg := benchConfig(b)
	s := newStream(cfg.Kinesis, 16, &counts{weight: 1})
	open := s.open()
	recs, keys := benchRecords(b, cfg, 4096)
	var n int64
	pc := perevent.Start(b)
	for b.Loop() {
		if !s.put(open, recs[n%4096], keys[n%4096], n) {
			b.Fatalf("record %d throttled", n)
		}
		if n++; n%1_600 == 0 {
			s.refill()
			for _, sh := range open {
				sh.advance(sh.backlog())
			}
		}
	}
	pc.Done(n)
}

// BenchmarkLambdaDecode is the function's first half for one record:
// kinesis.data's base64 decoded, the JSON parsed and validated against
// the catalogue.
func BenchmarkLambdaDecode(b *testing.B) {
	cfg := benchConfig(b)
	l := benchDecoder(cfg)
	recs, _ := benchRecords(b, cfg, 4096)
	now := cfg.Start.Add(time.Hour).UnixMicro()
	var ev event.Event
	var n int64
	pc := perevent.Start(b)
	for b.Loop() {
		if n%4096 == 0 {
			l.raw = l.raw[:0] // as each second's invocations start
		}
		if _, err := l.decode(&recs[n%4096], now, &ev); err != nil {
			b.Fatal(err)
		}
		n++
	}
	pc.Done(n)
}

// BenchmarkGlueIngest is Glue reading a closed staging minute (four
// shards' files of 1M/h's 16,667 events, one in a hundred a copy):
// lines parsed, deduplicated in the run and against the lookback, rows
// partitioned and handed to the Parquet writers, whose encoding (on a
// goroutine of its own) is store's BenchmarkParquetWrite.
func BenchmarkGlueIngest(b *testing.B) {
	cfg := benchConfig(b)
	lake, err := store.OpenLake(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	minute := cfg.Start
	const perMinute = 1_000_000 / 60
	w := lake.NewStagingWriter()
	recs, _ := benchRecords(b, cfg, perMinute)
	l := benchDecoder(cfg)
	var ev event.Event
	var line []byte
	for i := range recs {
		r := &recs[i]
		if i%100 == 99 {
			r = &recs[i-50]
		}
		if _, err := l.decode(r, minute.Add(time.Minute).UnixMicro(), &ev); err != nil {
			b.Fatal(err)
		}
		line = cfg.Catalog.AppendStagingJSON(line[:0], &ev)
		if err := w.Append(minute, shardName(i%4), line); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	g := newGlue(cfg.Glue, cfg.Catalog, cfg.Producer.MaxClockSkew, lake, 1)
	var n int64
	pc := perevent.Start(b)
	for b.Loop() {
		if err := g.ingest(minute.Add(time.Minute)); err != nil {
			b.Fatal(err)
		}
		n += g.next.res.Read
		g.abort()
	}
	pc.Done(n)
}

// benchDecoder is a Lambda with no ledger or files: only its decode is used.
func benchDecoder(cfg *config.Config) *lambdaStage {
	return newLambda(cfg.Lambda, cfg.Producer.MaxClockSkew, cfg.Catalog, nil, nil, nil, &counts{weight: 1}, &tail{})
}

// benchRecords is n records as the producer makes them, and their
// partition keys.
func benchRecords(b *testing.B, cfg *config.Config, n int) ([]record, [][]byte) {
	p := newProducer(cfg.Producer, cfg.Journeys, cfg.Catalog, 1, 1_000_000, &counts{weight: 1})
	now := cfg.Start.UnixMicro()
	for len(p.outbox) < n {
		p.tick(now)
		now += 1e6
	}
	keys := make([][]byte, n)
	for i, r := range p.outbox[:n] {
		k := r.uuid
		if r.key != nil {
			k = *r.key
		}
		keys[i] = event.AppendUUID(nil, k)
	}
	return p.outbox[:n], keys
}
