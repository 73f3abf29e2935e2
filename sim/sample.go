package sim

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
	"slices"
	"time"

	"pipesim/sim/config"
	"pipesim/sim/event"
)

// KinesisEventRecord is one record of the event that a Kinesis
// event-source mapping hands to a Lambda function (the AWS shape).
type KinesisEventRecord struct {
	Kinesis struct {
		KinesisSchemaVersion        string  `json:"kinesisSchemaVersion"`
		PartitionKey                string  `json:"partitionKey"`
		SequenceNumber              string  `json:"sequenceNumber"`
		Data                        string  `json:"data"`
		ApproximateArrivalTimestamp float64 `json:"approximateArrivalTimestamp"`
	} `json:"kinesis"`
	EventSource       string `json:"eventSource"`
	EventVersion      string `json:"eventVersion"`
	EventID           string `json:"eventID"`
	EventName         string `json:"eventName"`
	InvokeIdentityArn string `json:"invokeIdentityArn"`
	AwsRegion         string `json:"awsRegion"`
	EventSourceARN    string `json:"eventSourceARN"`
}

// The sample's made-up account: its stream and the function's role.
const (
	accountID  = "123456789012"
	streamName = "pipesim-events"
	roleARN    = "arn:aws:iam::" + accountID + ":role/pipesim-lambda"
)

// WriteSample runs the producer and the stream of the scenario until n
// events are in the stream, and writes those events (a JSON array, in the
// order they arrived) to events, and one invocation of the Kinesis→Lambda
// event-source mapping ({"Records": […]}) to payload: the first batch of
// the first shard that holds any, at most lambda.batch_size records of
// that one shard, as a real invocation is, in prices.region.
func WriteSample(cfg *config.Config, opt Options, n int, events, payload io.Writer) (batch int, shard string, err error) {
	sc, err := resolveScenario(cfg, opt)
	if err != nil {
		return 0, "", err
	}
	c := counts{weight: 1}
	p := newProducer(cfg.Producer, cfg.Journeys, cfg.Catalog, opt.Seed, sc.RatePerHour, &c)
	st := newStream(cfg.Kinesis, sc.Shards, &c)
	// the events as they arrived, copies left out: in the stream they are
	// records like the rest
	type arrived struct {
		arrival int64
		shard   int
		r       record
	}
	var got []arrived
	seen := make([]int, len(st.shards))
	t := opt.Start.UTC().Truncate(time.Second).UnixMicro()
	for end := t + config.MaxSimulated.Microseconds(); len(got) < n && t < end; t += 1e6 {
		st.refill()
		p.tick(t)
		p.send(st, t)
		for i, sh := range st.shards {
			for _, r := range sh.records[seen[i]:] {
				if !r.copy {
					got = append(got, arrived{r.arrival, sh.id, r})
				}
			}
			seen[i] = len(sh.records)
		}
	}
	slices.SortStableFunc(got, func(a, b arrived) int { return cmp.Compare(a.arrival, b.arrival) })
	got = got[:min(n, len(got))]

	list := []byte{'['}
	for i, a := range got {
		if i > 0 {
			list = append(list, ',')
		}
		list = append(list, "\n  "...)
		list, err = base64.StdEncoding.AppendDecode(list, a.r.data)
		if err != nil {
			return 0, "", err
		}
	}
	list = append(list, "\n]\n"...)
	if _, err := events.Write(list); err != nil {
		return 0, "", err
	}

	// one invocation: the first batch of the shard that holds the most
	// of the events shown (the lowest numbered of those)
	per := make([]int, len(st.shards))
	for _, a := range got {
		per[a.shard]++
	}
	first := 0
	for i, k := range per {
		if k > per[first] {
			first = i
		}
	}
	var records []KinesisEventRecord
	for _, a := range got {
		if a.shard == first && len(records) < cfg.Lambda.BatchSize {
			records = append(records, kinesisEventRecord(a.r, a.shard, cfg.Prices.Region))
		}
	}
	out, err := json.MarshalIndent(struct {
		Records []KinesisEventRecord `json:"Records"`
	}{records}, "", "  ")
	if err != nil {
		return 0, "", err
	}
	_, err = payload.Write(append(out, '\n'))
	return len(records), shardName(first), err
}

// kinesisEventRecord is r as the event-source mapping hands it to the
// function.
func kinesisEventRecord(r record, shard int, region string) KinesisEventRecord {
	var k KinesisEventRecord
	k.Kinesis.KinesisSchemaVersion = "1.0"
	if r.key != nil {
		k.Kinesis.PartitionKey = string(event.AppendUUID(nil, *r.key))
	} else {
		k.Kinesis.PartitionKey = string(event.AppendUUID(nil, r.uuid))
	}
	k.Kinesis.SequenceNumber = sequenceNumber(shard, r.seq)
	k.Kinesis.Data = string(r.data)
	// seconds with ms precision, as AWS shows it
	k.Kinesis.ApproximateArrivalTimestamp = math.Round(float64(r.arrival)/1e3) / 1e3
	k.EventSource = "aws:kinesis"
	k.EventVersion = "1.0"
	k.EventID = shardName(shard) + ":" + k.Kinesis.SequenceNumber
	k.EventName = "aws:kinesis:record"
	k.InvokeIdentityArn = roleARN
	k.AwsRegion = region
	k.EventSourceARN = "arn:aws:kinesis:" + region + ":" + accountID + ":stream/" + streamName
	return k
}
