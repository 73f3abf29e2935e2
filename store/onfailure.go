package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The Lambda event-source mapping's on-failure destination: one JSON line
// per discarded batch, datalake/lambda_on_failure/invocations.ndjson. Like
// an SQS or SNS destination it gets where the batch was in the stream, not
// its records, which a reader must fetch before they expire.

var onFailureDir = filepath.Join(lakeDir, "lambda_on_failure")

const onFailureName = "invocations.ndjson"

// OnFailureRecord is one discarded batch, as Lambda's invocation record
// describes it (KinesisBatchInfo).
type OnFailureRecord struct {
	Condition           string    `json:"condition"` // RetryAttemptsExhausted or RecordAgeExceeded
	At                  time.Time `json:"timestamp"`
	Shard               string    `json:"shardId"`
	StartSequenceNumber string    `json:"startSequenceNumber"`
	EndSequenceNumber   string    `json:"endSequenceNumber"`
	FirstArrival        time.Time `json:"approximateArrivalOfFirstRecord"`
	LastArrival         time.Time `json:"approximateArrivalOfLastRecord"`
	BatchSize           int       `json:"batchSize"`
}

// OnFailureWriter appends to the destination, opening it on first use.
type OnFailureWriter struct {
	path string
	f    *os.File
}

// NewOnFailureWriter returns a writer for the lake's on-failure destination.
func (l *Lake) NewOnFailureWriter() *OnFailureWriter {
	return &OnFailureWriter{path: l.path(onFailureDir, onFailureName)}
}

// Write appends one record.
func (w *OnFailureWriter) Write(r OnFailureRecord) error {
	if w.f == nil {
		f, err := os.OpenFile(w.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, fileMode)
		if err != nil {
			return fmt.Errorf("on-failure destination: %w", err)
		}
		w.f = f
	}
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("on-failure destination: %w", err)
	}
	if _, err := w.f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("on-failure destination: %w", err)
	}
	return nil
}

// Close closes the file, if it was opened.
func (w *OnFailureWriter) Close() error {
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}
