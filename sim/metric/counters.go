// Package metric declares the run's counters once: their names, JSON keys,
// labels and how each scales to the nominal volume. The summary, the JSON,
// the reports, the progress line and the dashboard all read this table.
package metric

import (
	"bytes"
	"strconv"
)

// Counter names one count of a run.
type Counter int

const (
	Produced Counter = iota
	DuplicatesInjected
	Sent
	SentBytes
	Throttled
	PutRetries
	ProducerDropped
	ProducerBuffered
	LambdaRecords
	LambdaInvocations
	FunctionErrors
	Retries
	Bisections
	DiscardedOnFailure
	DiscardedKept
	FirehoseRecords
	FirehoseBuffered
	FirehoseDeliveries
	DeadLettered
	DuplicatesDroppedLambda
	DuplicatesUnchecked
	Staged
	GlueRuns
	CompactionTimeouts
	DuplicatesDroppedGlue
	Processed
	DuplicatesLeaked
	DuplicatesLost
	DuplicatesOnTheWay
	DuplicatesUnresolved
	Quarantined
	StagedUncompacted
	InFlight
	Expired
	StagingFiles
	StagingBytes
	ProcessedFiles
	ProcessedBytes

	// what a bill is made of (see sim/cost.go)
	ShardSeconds
	StagingPuts
	PutPayloadUnits
	PutKiB
	Firehose5KiB
	LambdaBilledMs
	LedgerWrites
	ParquetWrites
	GlueDPUSeconds
	CompactionLambdaMs
	StoredByteSeconds
	numCounters
)

// Scaling says how a materialised count becomes its nominal figure.
type Scaling int

const (
	// Flow counts are scaled by the sampling ratio in force when each one
	// happened (a sampled event stands for SampleOneIn events).
	Flow Scaling = iota
	// Level counts (what stands now: in flight, bytes on disk) are set,
	// not added: in flight at the ratio in force now, bytes on disk at the
	// ratio each line or row was written at.
	Level
	// Unscaled counts are the same at any volume (Glue runs, files).
	Unscaled
)

// Def is a counter's declaration.
type Def struct {
	Key     string // JSON key and config name
	Label   string // what a person reads
	Scaling Scaling
}

var defs = [numCounters]Def{
	Produced:                {"produced", "events produced", Flow},
	DuplicatesInjected:      {"duplicates_injected", "duplicate records injected", Flow},
	Sent:                    {"sent", "records put to Kinesis", Flow},
	SentBytes:               {"sent_bytes", "bytes put to Kinesis", Flow},
	Throttled:               {"throttled", "records throttled (refused at least once)", Flow},
	PutRetries:              {"put_retries", "put attempts retried after a throttle", Flow},
	ProducerDropped:         {"producer_dropped", "dropped at the producer (lost)", Flow},
	ProducerBuffered:        {"producer_buffered", "waiting in the producer's buffer", Level},
	LambdaRecords:           {"lambda_records", "records read by Lambda", Flow},
	LambdaInvocations:       {"lambda_invocations", "Lambda invocations", Flow},
	FunctionErrors:          {"function_errors", "Lambda invocations that threw (poison records)", Flow},
	Retries:                 {"retries", "Lambda batches retried after the function threw", Flow},
	Bisections:              {"bisections", "failed Lambda batches split in two (lambda.bisect_on_error)", Flow},
	DiscardedOnFailure:      {"discarded_on_failure", "records the event-source mapping discarded (retries or record age used up)", Flow},
	DiscardedKept:           {"discarded_kept", "of those, with their range at the on-failure destination (recoverable while the stream keeps them)", Flow},
	FirehoseRecords:         {"firehose_records", "records read by Firehose (pipeline.mode: firehose)", Flow},
	FirehoseBuffered:        {"firehose_buffered", "in Firehose's buffer, not yet delivered", Level},
	FirehoseDeliveries:      {"firehose_deliveries", "Firehose deliveries (staging objects)", Flow},
	DeadLettered:            {"dead_lettered", "dead-lettered", Flow},
	DuplicatesDroppedLambda: {"duplicates_dropped_lambda", "duplicates dropped by the ledger", Flow},
	DuplicatesUnchecked:     {"duplicates_unchecked", "duplicates staged unchecked (ledger down, ledger.on_failure: pass)", Flow},
	Staged:                  {"staged", "staged (NDJSON lines)", Flow},
	GlueRuns:                {"glue_runs", "Glue runs", Unscaled},
	CompactionTimeouts:      {"compaction_timeouts", "compaction runs timed out (glue.engine: lambda)", Unscaled},
	DuplicatesDroppedGlue:   {"duplicates_dropped_glue", "duplicates dropped by Glue", Flow},
	Processed:               {"processed", "processed (Parquet rows)", Flow},
	DuplicatesLeaked:        {"duplicates_leaked", "duplicates leaked into the lake", Flow},
	DuplicatesLost:          {"duplicates_lost", "duplicates lost or rejected (dropped at the producer, expired, dead-lettered, discarded)", Flow},
	DuplicatesOnTheWay:      {"duplicates_on_the_way", "duplicates in the producer's buffer or the stream", Level},
	DuplicatesUnresolved:    {"duplicates_unresolved", "duplicates staged, not yet through Glue, or standing in for a lost original", Level},
	Quarantined:             {"quarantined", "bad lines or records quarantined by Glue", Flow},
	StagedUncompacted:       {"staged_uncompacted", "staged lines not yet compacted", Level},
	InFlight:                {"in_flight", "in the stream", Level},
	Expired:                 {"expired", "expired in the stream (lost)", Flow},
	StagingFiles:            {"staging_files", "staging files", Unscaled},
	StagingBytes:            {"staging_bytes", "staging bytes", Level},
	ProcessedFiles:          {"processed_files", "processed files", Unscaled},
	ProcessedBytes:          {"processed_bytes", "processed bytes", Level},

	ShardSeconds:       {"shard_seconds", "provisioned shard-seconds", Unscaled},
	StagingPuts:        {"staging_puts", "staging objects the real service writes (one per Lambda invocation or Firehose delivery)", Flow},
	PutPayloadUnits:    {"put_payload_units", "PUT payload units (25 KB, each record rounded up)", Flow},
	PutKiB:             {"put_kib", "KiB written to the stream, each record rounded up (on-demand data in)", Flow},
	Firehose5KiB:       {"firehose_5kib", "5 KiB units Firehose ingested, each record rounded up", Flow},
	LambdaBilledMs:     {"lambda_billed_ms", "Lambda milliseconds billed, each invocation rounded up", Flow},
	LedgerWrites:       {"ledger_writes", "ledger writes (one per record checked)", Flow},
	ParquetWrites:      {"parquet_writes", "Parquet files written (on disk)", Unscaled},
	GlueDPUSeconds:     {"glue_dpu_seconds", "Glue DPU-seconds (a run at least a minute)", Unscaled},
	CompactionLambdaMs: {"compaction_lambda_ms", "compaction Lambda milliseconds billed (glue.engine: lambda)", Unscaled},
	StoredByteSeconds:  {"stored_byte_seconds", "byte-seconds stored in S3 (staging and lake)", Flow},
}

// Counters lists every counter in table order.
func Counters() []Counter {
	cs := make([]Counter, numCounters)
	for i := range cs {
		cs[i] = Counter(i)
	}
	return cs
}

func (c Counter) Def() Def       { return defs[c] }
func (c Counter) Key() string    { return defs[c].Key }
func (c Counter) Label() string  { return defs[c].Label }
func (c Counter) String() string { return defs[c].Key }

// Counts holds one value per counter.
type Counts [numCounters]int64

// MarshalJSON writes the counts as an object keyed by the counters' JSON
// keys, in table order.
func (c Counts) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, v := range c {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(defs[i].Key))
		b.WriteByte(':')
		b.WriteString(strconv.FormatInt(v, 10))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Tally is a set of counts as materialised (what went through the code and
// onto disk) and as nominal (what they stand for at the scenario's volume).
// The two are equal when nothing is sampled.
type Tally struct {
	Counts  Counts
	Nominal Counts
}

// Add counts n materialised events at sampling weight w (one materialised
// event stands for w). Unscaled counters count n whatever the weight.
func (t *Tally) Add(c Counter, n, w int64) {
	nom := n
	if defs[c].Scaling != Unscaled {
		nom = n * w
	}
	t.AddNominal(c, n, nom)
}

// AddNominal counts n materialised events that stand for nominal ones,
// for counters whose nominal figure is not a plain multiple (a sampled
// Lambda batch stands for records·w/BatchSize invocations).
func (t *Tally) AddNominal(c Counter, n, nominal int64) {
	t.Counts[c] += n
	t.Nominal[c] += nominal
}

// Plus adds o's counts to t's.
func (t *Tally) Plus(o Tally) {
	for i := range t.Counts {
		t.Counts[i] += o.Counts[i]
		t.Nominal[i] += o.Nominal[i]
	}
}

// Set records a level: n now, standing for nominal.
func (t *Tally) Set(c Counter, n, nominal int64) {
	t.Counts[c], t.Nominal[c] = n, nominal
}

// Sampled reports whether some of the tally stands for events not
// materialised (its nominal figures differ from its counts).
func (t *Tally) Sampled() bool { return t.Nominal != t.Counts }
