package config

import (
	"fmt"
	"strings"
	"time"

	"pipesim/sim/event"
)

// Config is config.yml, validated: every stage's settings and the event
// catalogue. Parse, and Load, Overlay and Set on a parsed Config, are the
// only ways to make one.
type Config struct {
	Sources   []string            // the layers it was read from, lowest first: files and --set flags
	Scenario  string              // default scenario name
	Scenarios map[string]Scenario // "1k", "1M", "1B", ...
	Seed      uint64
	Start     time.Time

	Producer   Producer
	Kinesis    Kinesis
	Pipeline   Pipeline
	Lambda     Lambda
	Firehose   Firehose
	Ledger     Ledger
	Glue       Glue
	CloudWatch CloudWatch
	Scale      Scale

	Prices   Prices
	Journeys Journeys
	Catalog  *event.Catalog
}

// Origin names where the config came from: "built-in config.yml +
// my.yml + --set glue.dedupe=batch".
func (c *Config) Origin() string { return strings.Join(c.Sources, " + ") }

// Scenario is a named volume: events per hour and the shard count that goes with it.
type Scenario struct {
	Name        string
	RatePerHour int64
	Shards      int
}

type Producer struct {
	RetryProbability float64 // share of events an SDK re-sends
	RetryCopies      [2]int  // min, max extra copies of a retried event
	RetryDelay       [2]time.Duration
	LateProbability  float64 // share of events re-sent much later (beyond the ledger TTL)
	LateDelay        [2]time.Duration
	BurstSize        int           // records replayed by one injected burst
	DuplicateRates   []float64     // the background retry probabilities the D key cycles through
	MaxBuffered      int           // records (nominal) the producer's buffer holds; an event beyond it is dropped
	RecordTTL        time.Duration // a buffered record not put within this is dropped
	MaxClockSkew     time.Duration // Lambda rejects created_at further than this in the future
	PeakToMean       float64       // the busiest minute of a day against the day's mean (1: flat)
	PeakHour         float64       // the hour of day (UTC) traffic peaks at
	WeekendLevel     float64       // a weekend day's traffic against a weekday's
	Model            string        // "independent" events, or "people": a population whose events share their person's fields
	ClientLag        time.Duration // the most a client's clock lags behind the event's moment (people)
	PartitionKey     string        // event_uuid, user_id or session_id
	Users            int           // the population behind user_id and session_id keys; 0: sized by SessionsPerDay
	SessionsPerDay   float64       // a user's sessions a day on average, which sizes an automatic population
	UserSkew         float64       // the Zipf exponent of their activity (> 1)
}

type Kinesis struct {
	Shards                int // 0: each scenario's own count
	MaxShards             int
	WriteRecordsPerSecond int64
	WriteBytesPerSecond   int64
	Retention             time.Duration
	Headroom              float64 // share of each shard's write limits left free when sizing the stream

	Mode           string        // "provisioned" (you choose the shards) or "on_demand" (Kinesis does)
	OnDemandShards int           // an on-demand stream's first write capacity, in shards
	OnDemandScale  time.Duration // how long an on-demand stream takes to double a new peak
}

type Lambda struct {
	BatchSize             int
	BatchingWindow        time.Duration
	ParallelizationFactor int
	InvocationOverhead    time.Duration // modelled duration of an invocation: overhead + per record
	PerRecord             time.Duration

	// what the event-source mapping does with a batch the function threw on
	BisectOnError           bool          // split it in two and retry each half (splits count no retry)
	MaxRetryAttempts        int           // then discard it; -1: retry until its records expire
	MaxRecordAge            time.Duration // discard records older than this unsent; negative: never
	ReportBatchItemFailures bool          // the function names its first failed record: checkpoint there
	OnFailure               string        // "none", or "destination": discarded batches' shard and sequence range are kept

	Memory int64 // bytes of memory the function has, which its duration is billed at
}

type Ledger struct {
	TTL       time.Duration
	Buckets   int    // the TTL window is forgotten in this many buckets of simulated time
	KeyPrefix string // every key pipesim writes starts with this
	OnFailure string // "retry" (fail closed: batches wait) or "pass" (fail open: staged unchecked)
}

// Pipeline is what reads the stream.
type Pipeline struct {
	Mode string // "lambda" (validate, dedupe, stage) or "firehose" (stage raw; Glue does the rest)
}

// Firehose is the delivery stream of pipeline mode firehose: it delivers
// its buffer as one staging object when it holds BufferSize or its oldest
// record has waited BufferInterval, whichever comes first.
type Firehose struct {
	BufferSize     int64 // bytes
	BufferInterval time.Duration
}

type Glue struct {
	Schedule        time.Duration // simulated time between scheduled runs
	Dedupe          string        // "lookback" (against recently processed uuids) or "batch" (the original's: leaks)
	DedupeLookback  time.Duration
	MergeAfter      time.Duration // a day is merged this long after it ends
	TargetFileBytes [2]int64      // the band merged files aim for
	RowGroupRows    int
	Engine          string // "glue" (a Spark job) or "lambda" (a scheduled function, bounded by LambdaTimeout)
	Partitioning    string // the processed lake's layout: a store.Layout name
	LambdaReadRate  int64  // bytes a second a compaction Lambda reads and rewrites (nominal)
	DPUs            int    // the Glue job's size, in DPUs
	ReadPerDPU      int64  // bytes a second one DPU reads and rewrites (nominal)
}

// Prices are the list prices a run's bill is priced at (USD).
type Prices struct {
	Region string
	AsOf   string // the date they were read, 2006-01-02

	KinesisShardHour           float64 // a provisioned shard-hour
	KinesisPutUnitsMillion     float64 // a million PUT payload units
	KinesisOnDemandStreamHour  float64 // an on-demand stream-hour
	KinesisOnDemandIngestGB    float64 // a GB written on demand (records rounded up to 1 KiB)
	KinesisOnDemandRetrievalGB float64 // a GB read on demand
	FirehoseIngestGB           float64 // a GB ingested (records rounded up to 5 KiB)
	LambdaRequestsMillion      float64 // a million invocations
	LambdaGBSecond             float64 // a GB-second of duration
	DynamoDBWriteUnitsMillion  float64 // a million on-demand write request units
	S3PutThousand              float64 // a thousand PUT/COPY/POST/LIST
	S3GetThousand              float64 // a thousand GET
	S3StorageGBMonth           float64 // a GB-month, Standard
	GlueDPUHour                float64 // a DPU-hour
}

type CloudWatch struct {
	ReportEvery  time.Duration
	StorageLimit int64
	Alarms       []Alarm
}

// Alarm fires when Metric compared with Threshold holds for Minutes
// consecutive simulated minutes.
type Alarm struct {
	Name       string
	Metric     string
	Comparison string // ">", ">=", "<", "<="
	Threshold  float64
	Minutes    int
}

type Scale struct {
	// MaxEventsPerHour is the most events per simulated hour a headless run
	// materialises; above it a deterministic 1-in-K sample stands for the rest.
	MaxEventsPerHour int64
}

// LookupScenario finds a scenario by name: as written, or else the one
// name that matches it ignoring case ("1b" is 1B). "" is config.yml's
// default.
func (c *Config) LookupScenario(name string) (Scenario, error) {
	if name == "" {
		name = c.Scenario
	}
	if sc, ok := c.Scenarios[name]; ok {
		return sc, nil
	}
	var found []Scenario
	for n, sc := range c.Scenarios {
		if strings.EqualFold(n, name) {
			found = append(found, sc)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	return Scenario{}, fmt.Errorf("unknown scenario %q (%s has %s)", name, c.Origin(), strings.Join(sortedScenarioNames(c.Scenarios), ", "))
}
