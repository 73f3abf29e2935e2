package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"pipesim/sim/metric"
)

// Summary is what a headless run prints at the end. Its counts are
// materialised (what really is on disk); Nominal holds the same counts at
// the scenario's volume, equal to them when nothing is sampled.
type Summary struct {
	metric.Tally        `json:"-"`
	SampleOneIn         int64   `json:"sample_one_in"`
	SimSeconds          float64 `json:"sim_seconds"`
	WallSeconds         float64 `json:"wall_seconds"`
	EventsPerWallSecond float64 `json:"events_per_wall_second"`

	Config      string `json:"config"` // where the config came from: built in, files, --set
	Scenario    string `json:"scenario"`
	RatePerHour int64  `json:"rate_per_hour"`
	Shards      int    `json:"shards"`
	// ShardsNeeded sizes the stream for the rate at the end, on the daily curve (kinesis.headroom free).
	ShardsNeeded int       `json:"shards_needed"`
	Seed         uint64    `json:"seed"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	Out          string    `json:"out"`
	Report       string    `json:"report"` // the final report's path
	Ledger       string    `json:"ledger"`
	Drained      bool      `json:"drained"`
	Cost         Cost      `json:"cost"`

	// stalled: a fault (ledger down, Lambda stopped, a poison record)
	// held records in the stream at some point, which explains records
	// expiring there.
	stalled bool
}

// UnaskedLoss says what the run lost that no injected fault explains:
// records that expired in the stream although the Lambda was never
// stopped and the ledger never taken down (the consumer could not keep
// up, or an external Redis went away), and events the producer dropped
// because the stream had too few shards. Nil when nothing was lost so.
func (s Summary) UnaskedLoss() error {
	if n := s.Nominal[metric.Expired]; n > 0 && !s.stalled {
		return fmt.Errorf("%d records expired in the stream with no fault injected to explain it: lost (see the CloudWatch log in %s)", n, s.Out)
	}
	if n := s.Nominal[metric.DiscardedOnFailure] - s.Nominal[metric.DiscardedKept]; n > 0 {
		return fmt.Errorf("%d records discarded by Lambda's event-source mapping (lambda.max_retry_attempts or max_record_age) with no on-failure destination to keep their range: lost", n)
	}
	if n := s.Nominal[metric.ProducerDropped]; n > 0 {
		return fmt.Errorf("%d events dropped at the producer: the stream's %s refused them for longer than producer.record_ttl, or the producer's buffer was full: lost", n, metric.Plural(s.Shards, "shard"))
	}
	return nil
}

// MarshalJSON writes one object: the materialised counts by their keys,
// the run's settings, and "nominal" with the same keys as the counts.
func (s Summary) MarshalJSON() ([]byte, error) {
	type settings Summary // without this method
	rest, err := json.Marshal(struct {
		settings
		Nominal metric.Counts `json:"nominal"`
	}{settings(s), s.Nominal})
	if err != nil {
		return nil, err
	}
	counts, _ := s.Counts.MarshalJSON()
	var b bytes.Buffer
	b.Write(counts[:len(counts)-1])
	b.WriteByte(',')
	b.Write(rest[1:])
	return b.Bytes(), nil
}

func (e *Engine) summary(wall time.Duration) (Summary, error) {
	s := Summary{
		SampleOneIn:  e.counts.weight,
		SimSeconds:   float64(e.now-e.start.UnixMicro()) / 1e6,
		WallSeconds:  wall.Seconds(),
		Config:       e.cfg.Origin(),
		Scenario:     e.scenario,
		ShardsNeeded: e.shardsNeeded(),
		RatePerHour:  e.rate,
		Shards:       len(e.stream.open()),
		Seed:         e.opt.Seed,
		Start:        e.start,
		End:          e.simTime(),
		Out:          e.opt.Out,
		Report:       e.finalReport,
		Ledger:       e.backend,
		Drained:      e.done,
		Cost:         e.cost(),
		stalled:      e.stalled,
	}
	// files and bytes as they are on disk, not as the engine believes
	c := e.counts
	staged, err := e.lake.StagingFiles(time.Time{}, time.Unix(1<<40, 0))
	if err != nil {
		return s, err
	}
	// at the ratio each minute was written at, as far as this run knows
	ratio := map[time.Time]StagingPartition{}
	for _, p := range e.stagingParts {
		ratio[p.Minute] = p
	}
	var files, size, nominal int64
	for _, f := range staged {
		files++
		size += f.Bytes
		if p, ok := ratio[f.Minute]; ok && p.Bytes > 0 {
			nominal += mulDiv(f.Bytes, p.NominalBytes, p.Bytes)
		} else {
			nominal += f.Bytes * e.counts.weight
		}
	}
	c.set(metric.StagingFiles, files)
	c.total.Set(metric.StagingBytes, size, nominal)
	processed, _, err := e.lake.ProcessedFiles()
	if err != nil {
		return s, err
	}
	files, size, nominal = 0, 0, 0
	for _, f := range processed {
		files++
		size += f.Bytes
		nominal += nominalBytes(f)
	}
	c.set(metric.ProcessedFiles, files)
	c.total.Set(metric.ProcessedBytes, size, nominal)
	s.Tally = c.total
	if s.WallSeconds > 0 {
		s.EventsPerWallSecond = float64(s.Counts[metric.Sent]) / s.WallSeconds
	}
	return s, nil
}
