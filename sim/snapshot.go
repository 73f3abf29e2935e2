package sim

import "time"

// Snapshot is an immutable picture of the pipeline that the engine
// publishes for readers (the dashboard, progress lines). Nothing in it is
// shared with the engine: a reader may keep it as long as it likes.
//
// Counters are materialised counts: what really went through the code and
// onto disk. When SampleOneIn > 1 each materialised event stands for
// SampleOneIn events of the nominal volume: Scaled holds the totals at that
// volume (each count scaled by the ratio in force when it happened) and
// Nominal scales a per-minute or per-second count.
type Snapshot struct {
	SimTime       time.Time
	Start         time.Time
	Speed         float64 // requested simulated seconds per wall second; 0 means as fast as possible
	AchievedSpeed float64 // measured over the last wall second
	Paused        bool
	Done          bool  // the run has ended (drained); nothing will change any more
	Err           error // the run stopped on this error

	Scenario      string
	RatePerHour   int64 // nominal event rate
	Shards        int
	SampleOneIn   int64
	DuplicateRate float64 // background share of events an SDK re-sends
	Ledger        LedgerInfo

	Totals   Totals
	Scaled   Totals          // Totals at the nominal volume
	Minutes  []MinuteMetrics // the last simulated minutes, oldest first (at most MinutesKept)
	ShardUse []ShardUse      // per shard, over the last simulated second
	Lambda   LambdaInfo

	Staging   []StagingPartition // minute partitions still in staging, oldest first
	Processed []ParquetPartition // processed day/language partitions, oldest day first
	Alarms    []AlarmState
	Faults    []FaultState // every fault kind, and whether it is in force
	Log       []LogLine    // what just happened, oldest first (at most LogKept)
}

// MinutesKept and LogKept bound the history a snapshot carries.
const (
	MinutesKept = 120
	LogKept     = 50
)

// Nominal scales a materialised count of the current sampling ratio to
// the volume it stands for.
func (s *Snapshot) Nominal(n int64) int64 { return n * s.SampleOneIn }

// Totals are the run's counters so far; the summary prints them.
type Totals struct {
	Produced                int64 `json:"produced"`
	Sent                    int64 `json:"sent"`
	DuplicatesInjected      int64 `json:"duplicates_injected"`
	Throttled               int64 `json:"throttled"`
	LambdaInvocations       int64 `json:"lambda_invocations"`
	DeadLettered            int64 `json:"dead_lettered"`
	DuplicatesDroppedLambda int64 `json:"duplicates_dropped_lambda"`
	Staged                  int64 `json:"staged"`
	GlueRuns                int64 `json:"glue_runs"`
	DuplicatesDroppedGlue   int64 `json:"duplicates_dropped_glue"`
	Processed               int64 `json:"processed"`
	DuplicatesLeaked        int64 `json:"duplicates_leaked"`
	InFlight                int64 `json:"in_flight"`
	Expired                 int64 `json:"expired"`
	StagingFiles            int64 `json:"staging_files"`
	StagingBytes            int64 `json:"staging_bytes"`
	ProcessedFiles          int64 `json:"processed_files"`
	ProcessedBytes          int64 `json:"processed_bytes"`
}

// MinuteMetrics is one simulated minute of CloudWatch metrics (materialised).
type MinuteMetrics struct {
	Minute             time.Time
	SampleOneIn        int64 // the sampling ratio in force during the minute
	Put                int64 // records accepted by Kinesis
	PutBytes           int64
	Throttled          int64
	LambdaRecords      int64 // records Lambda processed
	Invocations        int64 // nominal: a sampled batch stands for records·SampleOneIn/BatchSize calls
	DuplicatesInjected int64
	DuplicatesLedger   int64
	DuplicatesGlue     int64
	DeadLettered       int64
	IteratorAgeMax     time.Duration
}

// ShardUse is one shard's write load against its limits (nominal, last second).
type ShardUse struct {
	ID              string  // shardId-000000000000
	RecordsPerSec   int64   // nominal
	BytesPerSec     int64   // nominal
	RecordsUse      float64 // share of the records limit, 1 = at the limit
	BytesUse        float64 // share of the bytes limit
	ThrottledPerSec int64   // nominal
	Backlog         int64   // records waiting for Lambda (materialised)
}

type LambdaInfo struct {
	InvocationsPerMin int64 // over the last simulated minute (nominal)
	IteratorAge       time.Duration
	Concurrency       int // invocations that can run at once (shards × parallelization factor)
}

type LedgerInfo struct {
	Backend string // "miniredis (embedded)" or the Redis address
	Keys    int64  // uuids held
	TTL     time.Duration
}

// StagingPartition is one minute folder of the staging area.
type StagingPartition struct {
	Minute time.Time
	Files  int
	Bytes  int64
	Closed bool // no more writes will land here; Glue may read it
}

// ParquetPartition is one day/language folder of the processed lake.
type ParquetPartition struct {
	Day         time.Time
	Language    string
	Files       []ParquetFile
	NDJSONBytes int64 // staging bytes its rows took, for the compression ratio
	Merged      bool  // the day is closed and its small files were merged
}

type ParquetFile struct {
	Name  string
	Bytes int64
	Rows  int64
}

type AlarmState struct {
	Name      string
	Metric    string
	Threshold float64
	Value     float64
	Firing    bool
	Since     time.Time
}

type LogLine struct {
	At   time.Time
	Text string
	Warn bool
}
