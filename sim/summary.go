package sim

import (
	"maps"
	"slices"
	"time"
)

// Summary is what a headless run prints at the end. Its counts are
// materialised: what really is on disk.
type Summary struct {
	Totals
	Quarantined         int64   `json:"quarantined"`
	SampleOneIn         int64   `json:"sample_one_in"`
	SimSeconds          float64 `json:"sim_seconds"`
	WallSeconds         float64 `json:"wall_seconds"`
	EventsPerWallSecond float64 `json:"events_per_wall_second"`

	Scenario    string    `json:"scenario"`
	RatePerHour int64     `json:"rate_per_hour"`
	Shards      int       `json:"shards"`
	Seed        uint64    `json:"seed"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Out         string    `json:"out"`
	Ledger      string    `json:"ledger"`
	Drained     bool      `json:"drained"`
}

func (e *Engine) summary(wall time.Duration) (Summary, error) {
	s := Summary{
		Totals:      e.totals,
		Quarantined: e.glued.quarantined,
		SampleOneIn: e.weight,
		SimSeconds:  float64(e.now-e.start.UnixMicro()) / 1e6,
		WallSeconds: wall.Seconds(),
		Scenario:    e.scenario,
		RatePerHour: e.rate,
		Shards:      len(e.stream.open()),
		Seed:        e.opt.Seed,
		Start:       e.start,
		End:         e.simTime(),
		Out:         e.opt.Out,
		Ledger:      e.backend,
		Drained:     e.done,
	}
	if s.WallSeconds > 0 {
		s.EventsPerWallSecond = float64(s.Sent) / s.WallSeconds
	}
	// files and bytes as they are on disk, not as the engine believes
	staged, err := e.lake.StagingFiles(time.Time{}, time.Unix(1<<40, 0))
	if err != nil {
		return s, err
	}
	s.StagingFiles, s.StagingBytes = 0, 0
	for _, f := range staged {
		s.StagingFiles++
		s.StagingBytes += f.Bytes
	}
	processed, err := e.lake.ProcessedFiles()
	if err != nil {
		return s, err
	}
	s.ProcessedFiles, s.ProcessedBytes = 0, 0
	for _, f := range processed {
		s.ProcessedFiles++
		s.ProcessedBytes += f.Bytes
	}
	return s, nil
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
