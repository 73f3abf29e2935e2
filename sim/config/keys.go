package config

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"

	"pipesim/sim/event"
	"pipesim/store"
)

// settings declares every config key once: its dotted path, how its value
// is read and checked, and where it goes in a Config. The loader walks a
// yaml document against this table, --set looks keys up in it, and the
// sections (producer, kinesis, …) are its paths' prefixes. Defaults are
// not restated here: they are config.yml's, embedded in the binary.
var settings = []setting{
	key("scenario", text, func(c *Config) *string { return &c.Scenario }),
	key("seed", seed, func(c *Config) *uint64 { return &c.Seed }),
	key("start", timestamp, func(c *Config) *time.Time { return &c.Start }),
	key("scenarios", scenarios, func(c *Config) *map[string]Scenario { return &c.Scenarios }),

	key("producer.retry_probability", probability, func(c *Config) *float64 { return &c.Producer.RetryProbability }),
	key("producer.retry_copies", pairOf(wholeIn(1, 1000)), func(c *Config) *[2]int { return &c.Producer.RetryCopies }),
	key("producer.retry_delay", pairOf(durationIn(0, forever)), func(c *Config) *[2]time.Duration { return &c.Producer.RetryDelay }),
	key("producer.late_probability", probability, func(c *Config) *float64 { return &c.Producer.LateProbability }),
	key("producer.late_delay", pairOf(durationIn(0, forever)), func(c *Config) *[2]time.Duration { return &c.Producer.LateDelay }),
	key("producer.burst_size", wholeIn(1, noMax), func(c *Config) *int { return &c.Producer.BurstSize }),
	key("producer.duplicate_rates", listOf(probability), func(c *Config) *[]float64 { return &c.Producer.DuplicateRates }),
	key("producer.max_buffered", wholeIn(1, noMax), func(c *Config) *int { return &c.Producer.MaxBuffered }),
	key("producer.record_ttl", durationIn(time.Second, forever), func(c *Config) *time.Duration { return &c.Producer.RecordTTL }),
	key("producer.peak_to_mean", shareIn(1, 5), func(c *Config) *float64 { return &c.Producer.PeakToMean }),
	key("producer.peak_hour", shareIn(0, 23.99), func(c *Config) *float64 { return &c.Producer.PeakHour }),
	key("producer.weekend_level", shareIn(0.1, 3), func(c *Config) *float64 { return &c.Producer.WeekendLevel }),
	key("producer.model", oneOf("independent", "people"), func(c *Config) *string { return &c.Producer.Model }),
	key("producer.client_lag", durationIn(0, time.Hour), func(c *Config) *time.Duration { return &c.Producer.ClientLag }),
	key("producer.partition_key", oneOf("event_uuid", "user_id", "session_id"), func(c *Config) *string { return &c.Producer.PartitionKey }),
	key("producer.users", orAuto(wholeIn(2, 10_000_000_000)), func(c *Config) *int { return &c.Producer.Users }),
	key("producer.sessions_per_day", shareIn(0.01, 100), func(c *Config) *float64 { return &c.Producer.SessionsPerDay }),
	key("producer.user_skew", shareIn(1.01, 4), func(c *Config) *float64 { return &c.Producer.UserSkew }),
	key("producer.max_clock_skew", durationIn(0, forever), func(c *Config) *time.Duration { return &c.Producer.MaxClockSkew }),

	key("kinesis.shards", wholeIn(0, MaxShards), func(c *Config) *int { return &c.Kinesis.Shards }),
	key("kinesis.max_shards", wholeIn(1, MaxShards), func(c *Config) *int { return &c.Kinesis.MaxShards }),
	key("kinesis.write_records_per_second", wholeIn[int64](1, noMax), func(c *Config) *int64 { return &c.Kinesis.WriteRecordsPerSecond }),
	key("kinesis.write_bytes_per_second", size, func(c *Config) *int64 { return &c.Kinesis.WriteBytesPerSecond }),
	key("kinesis.retention", durationIn(time.Second, forever), func(c *Config) *time.Duration { return &c.Kinesis.Retention }),
	key("kinesis.headroom", shareIn(0, 0.9), func(c *Config) *float64 { return &c.Kinesis.Headroom }),
	key("kinesis.mode", oneOf("provisioned", "on_demand"), func(c *Config) *string { return &c.Kinesis.Mode }),
	key("kinesis.on_demand_shards", wholeIn(1, MaxShards), func(c *Config) *int { return &c.Kinesis.OnDemandShards }),
	key("kinesis.on_demand_scale", durationIn(time.Minute, 24*time.Hour), func(c *Config) *time.Duration { return &c.Kinesis.OnDemandScale }),

	PipelineMode.setting(),
	key("firehose.buffer_size", awsSizeIn(1<<20, 128<<20), func(c *Config) *int64 { return &c.Firehose.BufferSize }),
	key("firehose.buffer_interval", durationIn(0, MaxBufferInterval), func(c *Config) *time.Duration { return &c.Firehose.BufferInterval }),

	key("lambda.batch_size", wholeIn(1, 10000), func(c *Config) *int { return &c.Lambda.BatchSize }),
	key("lambda.batching_window", durationIn(0, 300*time.Second), func(c *Config) *time.Duration { return &c.Lambda.BatchingWindow }),
	key("lambda.parallelization_factor", wholeIn(1, 10), func(c *Config) *int { return &c.Lambda.ParallelizationFactor }),
	key("lambda.invocation_overhead", durationIn(0, LambdaTimeout), func(c *Config) *time.Duration { return &c.Lambda.InvocationOverhead }),
	key("lambda.per_record", durationIn(0, LambdaTimeout), func(c *Config) *time.Duration { return &c.Lambda.PerRecord }),
	key("lambda.bisect_on_error", boolean, func(c *Config) *bool { return &c.Lambda.BisectOnError }),
	key("lambda.max_retry_attempts", wholeIn(-1, 10000), func(c *Config) *int { return &c.Lambda.MaxRetryAttempts }),
	key("lambda.max_record_age", orNever(durationIn(60*time.Second, 604800*time.Second)), func(c *Config) *time.Duration { return &c.Lambda.MaxRecordAge }),
	key("lambda.report_batch_item_failures", boolean, func(c *Config) *bool { return &c.Lambda.ReportBatchItemFailures }),
	key("lambda.on_failure", oneOf("none", "destination"), func(c *Config) *string { return &c.Lambda.OnFailure }),
	key("lambda.memory", awsSizeIn(128<<20, 10240<<20), func(c *Config) *int64 { return &c.Lambda.Memory }),

	key("ledger.ttl", durationIn(time.Second, forever), func(c *Config) *time.Duration { return &c.Ledger.TTL }),
	key("ledger.buckets", wholeIn(1, 10000), func(c *Config) *int { return &c.Ledger.Buckets }),
	key("ledger.key_prefix", nonEmpty, func(c *Config) *string { return &c.Ledger.KeyPrefix }),
	LedgerOnFailure.setting(),

	key("glue.schedule", durationIn(time.Second, forever), func(c *Config) *time.Duration { return &c.Glue.Schedule }),
	GlueDedupe.setting(),
	GlueEngine.setting(),
	GluePartitioning.setting(),
	key("glue.lambda_read_per_second", size, func(c *Config) *int64 { return &c.Glue.LambdaReadRate }),
	key("glue.dpus", wholeIn(2, 10000), func(c *Config) *int { return &c.Glue.DPUs }),
	key("glue.read_per_dpu", size, func(c *Config) *int64 { return &c.Glue.ReadPerDPU }),
	key("glue.dedupe_lookback", durationIn(0, forever), func(c *Config) *time.Duration { return &c.Glue.DedupeLookback }),
	key("glue.merge_after", durationIn(0, forever), func(c *Config) *time.Duration { return &c.Glue.MergeAfter }),
	key("glue.target_file_bytes", pairOf(size), func(c *Config) *[2]int64 { return &c.Glue.TargetFileBytes }),
	key("glue.row_group_rows", wholeIn(1, noMax), func(c *Config) *int { return &c.Glue.RowGroupRows }),

	key("cloudwatch.report_every", durationIn(time.Second, forever), func(c *Config) *time.Duration { return &c.CloudWatch.ReportEvery }),
	key("cloudwatch.storage_limit", size, func(c *Config) *int64 { return &c.CloudWatch.StorageLimit }),
	key("cloudwatch.alarms", alarms, func(c *Config) *[]Alarm { return &c.CloudWatch.Alarms }),

	key("scale.max_events_per_hour", rate, func(c *Config) *int64 { return &c.Scale.MaxEventsPerHour }),

	key("prices.region", nonEmpty, func(c *Config) *string { return &c.Prices.Region }),
	key("prices.as_of", date, func(c *Config) *string { return &c.Prices.AsOf }),
	key("prices.kinesis_shard_hour", price, func(c *Config) *float64 { return &c.Prices.KinesisShardHour }),
	key("prices.kinesis_put_units_million", price, func(c *Config) *float64 { return &c.Prices.KinesisPutUnitsMillion }),
	key("prices.kinesis_on_demand_stream_hour", price, func(c *Config) *float64 { return &c.Prices.KinesisOnDemandStreamHour }),
	key("prices.kinesis_on_demand_ingest_gb", price, func(c *Config) *float64 { return &c.Prices.KinesisOnDemandIngestGB }),
	key("prices.kinesis_on_demand_retrieval_gb", price, func(c *Config) *float64 { return &c.Prices.KinesisOnDemandRetrievalGB }),
	key("prices.firehose_ingest_gb", price, func(c *Config) *float64 { return &c.Prices.FirehoseIngestGB }),
	key("prices.lambda_requests_million", price, func(c *Config) *float64 { return &c.Prices.LambdaRequestsMillion }),
	key("prices.lambda_gb_second", price, func(c *Config) *float64 { return &c.Prices.LambdaGBSecond }),
	key("prices.dynamodb_write_units_million", price, func(c *Config) *float64 { return &c.Prices.DynamoDBWriteUnitsMillion }),
	key("prices.s3_put_thousand", price, func(c *Config) *float64 { return &c.Prices.S3PutThousand }),
	key("prices.s3_get_thousand", price, func(c *Config) *float64 { return &c.Prices.S3GetThousand }),
	key("prices.s3_storage_gb_month", price, func(c *Config) *float64 { return &c.Prices.S3StorageGBMonth }),
	key("prices.glue_dpu_hour", price, func(c *Config) *float64 { return &c.Prices.GlueDPUHour }),

	key("journeys", journeys, func(c *Config) *Journeys { return &c.Journeys }),
	key("catalogue", catalogue, func(c *Config) **event.Catalog { return &c.Catalog }),
}

// Choice is a setting the dashboard can flip while a run goes on, through
// a few values: one of the original's design choices.
type Choice struct {
	Key    string
	Values []string              // the dashboard cycles them in this order; for a named choice the first is the default
	field  func(*Config) *string // a named choice: the setting is one of Values
	show   func(*Config) string  // any other: the setting as Values spell it
}

// The design choices.
var (
	PipelineMode = Choice{"pipeline.mode", []string{"lambda", "firehose"},
		func(c *Config) *string { return &c.Pipeline.Mode }, nil}
	GlueDedupe = Choice{"glue.dedupe", []string{"lookback", "batch"},
		func(c *Config) *string { return &c.Glue.Dedupe }, nil}
	LedgerOnFailure = Choice{"ledger.on_failure", []string{"retry", "pass"},
		func(c *Config) *string { return &c.Ledger.OnFailure }, nil}
	GlueEngine = Choice{"glue.engine", []string{"glue", "lambda"},
		func(c *Config) *string { return &c.Glue.Engine }, nil}
	GluePartitioning = Choice{"glue.partitioning", store.LayoutNames(),
		func(c *Config) *string { return &c.Glue.Partitioning }, nil}
	LedgerTTL = Choice{"ledger.ttl", []string{"15m", "1h", "6h", "24h"},
		nil, func(c *Config) string { return ShortDuration(c.Ledger.TTL) }}
	// the event-source mapping's error handling, changed live as
	// UpdateEventSourceMapping changes it
	LambdaBisect = Choice{"lambda.bisect_on_error", []string{"false", "true"},
		nil, func(c *Config) string { return strconv.FormatBool(c.Lambda.BisectOnError) }}
	LambdaRetries = Choice{"lambda.max_retry_attempts", []string{"-1", "2"},
		nil, func(c *Config) string { return strconv.Itoa(c.Lambda.MaxRetryAttempts) }}
)

func (ch Choice) setting() setting { return key(ch.Key, oneOf(ch.Values...), ch.field) }

// Value is the choice's value in c.
func (ch Choice) Value(c *Config) string {
	if ch.field != nil {
		return *ch.field(c)
	}
	return ch.show(c)
}

// Next is the value after the one in c, round (the first when c has none
// of them).
func (ch Choice) Next(c *Config) string {
	return ch.Values[(slices.Index(ch.Values, ch.Value(c))+1)%len(ch.Values)]
}

// MaxBufferInterval is the longest Firehose buffers a record (AWS: 900 s).
const MaxBufferInterval = 900 * time.Second

// noMax is the upper bound of settings that have none worth naming.
const noMax = math.MaxInt32

// forever is the upper bound of durations that have none worth naming.
const forever = MaxSimulated

// LambdaTimeout is the longest a Lambda invocation may run (AWS: 900 s):
// it bounds what one invocation's modelled duration is made of, and a
// compaction run as a Lambda (glue.engine: lambda).
const LambdaTimeout = 15 * time.Minute

// setting is one config key.
type setting struct {
	path string
	set  func(p *parser, n *yaml.Node, c *Config)
}

// key declares a setting read by read into the field of a Config. A value
// that fails its check leaves the field as it was.
func key[T any](path string, read reader[T], field func(*Config) *T) setting {
	return setting{path, func(p *parser, n *yaml.Node, c *Config) {
		if v, ok := read(p, n, path); ok {
			*field(c) = v
		}
	}}
}

var (
	byPath   = map[string]setting{}
	sections = map[string][]string{} // a section's path ("" is the top) → its keys, in table order
	allPaths []string
)

func init() {
	for _, s := range settings {
		byPath[s.path] = s
		allPaths = append(allPaths, s.path)
		parts := strings.Split(s.path, ".")
		for i := range parts {
			section := strings.Join(parts[:i], ".")
			if !slices.Contains(sections[section], parts[i]) {
				sections[section] = append(sections[section], parts[i])
			}
		}
	}
}
