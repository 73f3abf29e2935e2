package sim

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
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

const (
	awsRegion = "eu-central-1"
	streamARN = "arn:aws:kinesis:" + awsRegion + ":123456789012:stream/pipesim-events"
	roleARN   = "arn:aws:iam::123456789012:role/pipesim-lambda"
)

// WriteSample writes n events as the producer makes them (a JSON array) to
// events, and the same events as the Kinesis→Lambda payload
// ({"Records": […]}) to payload, routed to the scenario's shards.
func WriteSample(cfg *config.Config, opt Options, n int, events, payload io.Writer) error {
	sc, err := resolveScenario(cfg, opt)
	if err != nil {
		return err
	}
	shards, rate := sc.Shards, sc.RatePerHour
	gen := cfg.Catalog.NewGenerator(opt.Seed)
	seqs := make([]uint64, shards)
	var ev event.Event
	var buf, list []byte
	records := make([]KinesisEventRecord, 0, n)
	list = append(list, '[')
	start := opt.Start.UTC().UnixMicro()
	for i := range n {
		ev.UUID = gen.UUID()
		ev.CreatedAt = start + int64(float64(i)*3600e6/float64(rate))
		gen.Fill(&ev)
		buf = cfg.Catalog.AppendEventJSON(buf[:0], &ev)
		if i > 0 {
			list = append(list, ',')
		}
		list = append(list, "\n  "...)
		list = append(list, buf...)

		key := event.AppendUUID(nil, ev.UUID)
		sh := shardIndex(key, shards)
		seqs[sh]++
		var r KinesisEventRecord
		r.Kinesis.KinesisSchemaVersion = "1.0"
		r.Kinesis.PartitionKey = string(key)
		r.Kinesis.SequenceNumber = sequenceNumber(sh, seqs[sh])
		r.Kinesis.Data = base64.StdEncoding.EncodeToString(buf)
		// arrival a moment after creation, in seconds with ms precision as AWS shows it
		r.Kinesis.ApproximateArrivalTimestamp = math.Round(float64(ev.CreatedAt+50e3)/1e3) / 1e3
		r.EventSource = "aws:kinesis"
		r.EventVersion = "1.0"
		r.EventID = shardName(sh) + ":" + r.Kinesis.SequenceNumber
		r.EventName = "aws:kinesis:record"
		r.InvokeIdentityArn = roleARN
		r.AwsRegion = awsRegion
		r.EventSourceARN = streamARN
		records = append(records, r)
	}
	list = append(list, "\n]\n"...)
	if _, err := events.Write(list); err != nil {
		return err
	}
	out, err := json.MarshalIndent(struct {
		Records []KinesisEventRecord `json:"Records"`
	}{records}, "", "  ")
	if err != nil {
		return err
	}
	_, err = payload.Write(append(out, '\n'))
	return err
}
