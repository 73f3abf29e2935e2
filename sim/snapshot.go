package sim

import (
	"pipesim/sim/metric"
	"pipesim/store"
	"time"
)

// Snapshot is an immutable picture of the pipeline that the engine
// publishes for readers (the dashboard, progress lines). Nothing in it is
// shared with the engine: a reader may keep it as long as it likes.
//
// Every count is published twice (metric.Tally): as materialised, what
// really went through the code and onto disk, and as nominal, what it
// stands for at the scenario's volume (each count scaled by the sampling
// ratio in force when it happened). Readers choose which to show; they
// never scale a count themselves.
type Snapshot struct {
	SimTime       time.Time
	Start         time.Time
	Speed         float64 // requested simulated seconds per wall second; 0 means as fast as possible
	AchievedSpeed float64 // measured over the last wall second
	Paused        bool
	Applied       int   // commands sent with Send that the engine has applied so far
	Done          bool  // the run has ended (drained); nothing will change any more
	Err           error // the run stopped on this error
	Restarting    bool  // a Session is replacing the run with a fresh one: nothing moves meanwhile

	Scenario    string
	RatePerHour int64 // nominal event rate
	Shards      int
	OnDemand    OnDemandInfo // kinesis.mode on_demand: where its capacity is going
	// HotShard refuses writes while the stream uses under half its
	// capacity: a hot partition key (producer.partition_key)
	HotShard      string
	ShardsNeeded  int  // for the rate now (RatePerHour on the daily curve) with kinesis.headroom free (see shardsNeeded)
	ShardsAtPeak  int  // the same at the busiest minute of the week (producer.peak_to_mean)
	Cost          Cost // the bill so far and a month at the recent rate
	SampleOneIn   int64
	DuplicateRate float64 // background share of events an SDK re-sends
	Ledger        LedgerInfo

	Totals      metric.Tally
	Minutes     []metric.Minute // the last simulated minutes, oldest first (at most MinutesKept)
	ShardUse    []ShardUse      // per shard, averaged over ShardWindow
	ShardWindow time.Duration   // this minute so far and the minutes before it, up to this long
	Load        Load            // what the stream accepts a second over ShardWindow, all shards
	ShardLimit  Load            // what one shard takes a second (kinesis.write_records_per_second, write_bytes_per_second)
	NextGlueRun time.Time       // the next scheduled Glue run (zero: none scheduled)
	Glue        *GlueInFlight   // the Glue run being published; nil: none
	Tail        []TailEvent     // the last events the reader of the stream handled, oldest first
	ShardsAlike bool            // too few sampled records to tell shards apart: those not refusing show the average
	Lambda      LambdaInfo
	Firehose    FirehoseInfo

	Staging          []StagingPartition   // minute partitions still in staging, oldest first
	MinutesToCompact int                  // closed staging minutes no published compaction has read
	Processed        []ParquetPartition   // processed day/language partitions, oldest day first
	Projected        []ProjectedPartition // one partition per value at the rate in force, largest first
	FileBand         FileBand             // the size band merged files aim for
	Layout           store.Layout         // the processed lake's partition layout
	Relayout         string               // the layout the next Glue run rewrites the lake into; "" if none
	Alarms           []AlarmState
	Faults           []FaultState  // every fault kind, and whether it is in force
	Switches         []SwitchState // every design choice, and its value in force
	Log              []LogLine     // what just happened, oldest first (at most LogKept)
}

// GlueInFlight is the Glue run being published: when it started and
// ends in simulated time, and, while the clock waits for the machine to
// finish it, how far it has got.
type GlueInFlight struct {
	Run      int64 // 0 until its reading is done
	Why      string
	Started  time.Time
	Ends     time.Time // zero until its reading is done
	Next     string    // why a run waits to start when it ends; "" none
	Waiting  bool      // the clock stands still until the machine has done it
	Step     GlueStep  // while waiting: what it is doing
	Done, Of int64     // the step's progress, in its units
	Rows     int64     // the rows the step rewrites or merges, nominal
	Layout   string    // the layout it writes
}

// MinutesKept and LogKept bound the history a snapshot carries.
const (
	MinutesKept = 120
	LogKept     = 50
)

// ShardUse is one shard's write load against its limits, nominal, per
// second averaged over the snapshot's ShardWindow.
type ShardUse struct {
	ID             string        // shardId-000000000000
	RecordsPerSec  int64         // nominal
	BytesPerSec    int64         // nominal
	RecordsUse     float64       // share of the records limit, 1 = at the limit
	BytesUse       float64       // share of the bytes limit
	RefusedPerSec  int64         // put attempts the shard refused (nominal)
	Refused        bool          // it refused some: full, whatever its average says
	Backlog        int64         // records waiting for Lambda (materialised)
	NominalBacklog int64         // what they stand for, at today's sampling ratio
	IteratorAge    time.Duration // how long its oldest unread record has waited
	// FailingSince is when the Lambda's batch of this shard first threw
	// (a poison record), zero while none does: the shard is blocked
	FailingSince time.Time
}

type LambdaInfo struct {
	InvocationsPerMin int64 // over the last simulated minute (nominal)
	IteratorAge       time.Duration
	Concurrency       int // invocations that can run at once (shards × parallelization factor)
}

// FirehoseInfo is the delivery stream of pipeline.mode firehose: its
// buffer against the two hints that deliver it.
type FirehoseInfo struct {
	On          bool          // it reads the stream (pipeline.mode: firehose)
	Buffered    int64         // nominal bytes in the buffer
	Records     int64         // nominal records in the buffer
	Size        int64         // firehose.buffer_size
	Waited      time.Duration // how long the buffer's oldest record has waited
	Interval    time.Duration // firehose.buffer_interval
	LongestWait time.Duration // the longest a delivered buffer had waited
}

type LedgerInfo struct {
	Backend string // "miniredis (embedded)" or the Redis address
	Keys    int64  // uuids held
	TTL     time.Duration
}

// StagingPartition is one minute folder of the staging area. Its nominal
// figures add up the lines at the sampling ratio in force as each was
// written.
type StagingPartition struct {
	Minute       time.Time
	Files        int
	Lines        int64
	Bytes        int64
	NominalLines int64
	NominalBytes int64
	Closed       bool // no more writes will land here; Glue may read it
}

// ParquetPartition is one folder of the processed lake (its layout is
// Snapshot.Layout).
type ParquetPartition struct {
	store.Partition
	Files       []ParquetFile
	NDJSONBytes int64 // staging bytes its rows took, for the compression ratio
	Merged      bool  // the partition is closed and its small files were merged
}

// Load is a stream's write load per second, nominal, with its fractions:
// at 1k/h a stream takes 0.28 records a second.
type Load struct {
	Records, Bytes float64
}

// ParquetFile is one committed file. NominalRows is what its rows stand
// for (kept in the file's footer, so it survives merges and restarts);
// NominalBytes is its size at that many rows and the same bytes per row.

type ParquetFile struct {
	Name         string
	Bytes        int64
	Rows         int64
	NominalRows  int64
	NominalBytes int64
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
