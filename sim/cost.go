package sim

import (
	"bytes"
	"strconv"

	"pipesim/sim/config"
	"pipesim/sim/metric"
)

// Stage is a line of the bill: a service, or a part of one.
type Stage int

const (
	StageKinesis Stage = iota
	StageFirehose
	StageLambda
	StageLedger
	StageS3Requests
	StageS3Storage
	StageGlue
	numStages
)

var stageKeys = [numStages]string{"kinesis", "firehose", "lambda", "ledger", "s3_requests", "s3_storage", "glue"}

// Stages lists the bill's lines in order.
func Stages() []Stage {
	s := make([]Stage, numStages)
	for i := range s {
		s[i] = Stage(i)
	}
	return s
}

// Key is the stage's JSON key and name ("s3_requests").
func (s Stage) Key() string { return stageKeys[s] }

// Bill is USD per stage; Total is their sum.
type Bill [numStages]float64

// Total is the sum of the stages.
func (b Bill) Total() float64 {
	var t float64
	for _, v := range b {
		t += v
	}
	return t
}

// Biggest is the stage that costs most.
func (b Bill) Biggest() Stage {
	top := Stage(0)
	for s, v := range b {
		if v > b[top] {
			top = Stage(s)
		}
	}
	return top
}

// MarshalJSON writes {"kinesis": …, …, "total": …}.
func (b Bill) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for s, v := range b {
		buf.WriteString(strconv.Quote(stageKeys[s]) + ":" + strconv.FormatFloat(v, 'f', -1, 64) + ",")
	}
	buf.WriteString(`"total":` + strconv.FormatFloat(b.Total(), 'f', -1, 64) + "}")
	return buf.Bytes(), nil
}

// Cost is a run's bill at the price list: for the simulated time so far,
// and for a month (730 hours) at the recent rate (see cost).
type Cost struct {
	AsOf     string `json:"as_of"`
	Region   string `json:"region"`
	USD      Bill   `json:"usd"`
	PerMonth Bill   `json:"usd_per_month_at_rate"`
}

// HoursPerMonth is AWS's month for pro-rating: 730 hours.
const HoursPerMonth = 730

const gib = 1 << 30

// price bills nominal counts that took hours of simulated time. GB in the
// price list is 2^30 bytes.
func price(n metric.Counts, hours float64, cfg *config.Config) Bill {
	p := cfg.Prices
	f := func(c metric.Counter) float64 { return float64(n[c]) }
	var b Bill
	if cfg.Kinesis.Mode == "on_demand" {
		b[StageKinesis] = hours*p.KinesisOnDemandStreamHour +
			f(metric.PutKiB)*1024/gib*p.KinesisOnDemandIngestGB +
			f(metric.SentBytes)/gib*p.KinesisOnDemandRetrievalGB
	} else {
		b[StageKinesis] = f(metric.ShardSeconds)/3600*p.KinesisShardHour +
			f(metric.PutPayloadUnits)/1e6*p.KinesisPutUnitsMillion
	}
	b[StageFirehose] = f(metric.Firehose5KiB) * 5 * 1024 / gib * p.FirehoseIngestGB
	memory := float64(cfg.Lambda.Memory) / gib
	b[StageLambda] = f(metric.LambdaInvocations)/1e6*p.LambdaRequestsMillion +
		(f(metric.LambdaBilledMs)+f(metric.CompactionLambdaMs))/1000*memory*p.LambdaGBSecond
	b[StageLedger] = f(metric.LedgerWrites) / 1e6 * p.DynamoDBWriteUnitsMillion
	// every staging object is written once and read once by Glue
	b[StageS3Requests] = (f(metric.StagingPuts)+f(metric.ParquetWrites))/1000*p.S3PutThousand +
		f(metric.StagingPuts)/1000*p.S3GetThousand
	b[StageS3Storage] = f(metric.StoredByteSeconds) / gib / 3600 / HoursPerMonth * p.S3StorageGBMonth
	b[StageGlue] = f(metric.GlueDPUSeconds) / 3600 * p.GlueDPUHour
	return b
}

// bill adds the second's standing charges: the provisioned shards, and
// the bytes staging and the lake hold.
func (e *Engine) bill() {
	if e.cfg.Kinesis.Mode != "on_demand" {
		e.counts.add(metric.ShardSeconds, int64(len(e.stream.open())))
	}
	t := &e.counts.total
	e.counts.addNominal(metric.StoredByteSeconds, t.Counts[metric.StagingBytes]+t.Counts[metric.ProcessedBytes],
		t.Nominal[metric.StagingBytes]+t.Nominal[metric.ProcessedBytes])
}

// The monthly figure is read from the recent past: the streaming stages
// from the last few minutes, so that it answers a key press at once, and
// the batch work (Glue runs, their files) from the last run, as many
// times an hour as glue.schedule starts one (with no schedule, from the
// last hour's runs). Scaling the last hour's runs up from the minutes
// there have been read one run pressed two minutes in as thirty an hour.
const (
	streamWindow = 5  // minutes
	batchWindow  = 60 // minutes
)

// batchCounters are the counts of the batch work.
var batchCounters = []metric.Counter{metric.GlueDPUSeconds, metric.CompactionLambdaMs, metric.ParquetWrites}

// cost is the bill so far, and a month at the recent rate.
func (e *Engine) cost() Cost {
	c := Cost{AsOf: e.cfg.Prices.AsOf, Region: e.cfg.Prices.Region}
	c.USD = price(e.counts.total.Nominal, float64(e.now-e.start.UnixMicro())/3600e6, e.cfg)
	if len(e.cw.minutes) == 0 {
		return c
	}
	hour := perHour(e.cw.minutes, streamWindow)
	batch := perHour(e.cw.minutes, batchWindow)
	if every := e.cfg.Glue.Schedule.Microseconds(); every > 0 && e.lastRun != nil {
		for _, k := range batchCounters {
			batch[k] = mulDiv(e.lastRun[k], 3600e6, every)
		}
	}
	for _, k := range batchCounters {
		hour[k] = batch[k]
	}
	for s, v := range price(hour, 1, e.cfg) {
		c.PerMonth[s] = v * HoursPerMonth
	}
	return c
}

// perHour is the nominal counts of the last n minutes (or all there are),
// scaled to an hour.
func perHour(ms []metric.Minute, n int) metric.Counts {
	ms = ms[max(0, len(ms)-n):]
	var sum metric.Counts
	for _, m := range ms {
		for i, v := range m.Nominal {
			sum[i] += v
		}
	}
	for i := range sum {
		sum[i] = sum[i] * 60 / int64(len(ms))
	}
	return sum
}
