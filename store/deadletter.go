package store

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// DeadLetterWriter appends rejected records, one JSON object a line, to
// datalake/dlq/year=2026/month=1/day=5/hour=0/dlq-shard-NNNNNNNNNNNN.ndjson
// (one file per hour of simulated time and shard). Files are buffered; at
// most a few are open at once. It is not safe for concurrent use.
type DeadLetterWriter struct {
	a appender
}

// deadLetter is one line of a dead-letter file; fields in this order.
type deadLetter struct {
	Reason string    `json:"reason"`
	Detail string    `json:"detail"`
	Shard  string    `json:"shard"`
	At     time.Time `json:"at"`
	Data   string    `json:"data_base64"`
}

// NewDeadLetterWriter returns a writer for the lake's dead-letter folder,
// where the Lambda puts the records it rejects.
func (l *Lake) NewDeadLetterWriter() *DeadLetterWriter {
	return &DeadLetterWriter{a: newAppender(func(k fileKey) (string, error) {
		n, err := shardNumber(k.shard)
		if err != nil {
			return "", err
		}
		hour := time.Unix(k.part, 0).UTC()
		return l.path(dlqDir, datePath(hour), hourLevel.folder(hour.Hour()),
			deadLetterFileName.format(n)), nil
	})}
}

// DeadLetterLine renders one dead letter as its JSON line (no newline):
// the record as it arrived (base64), why it was rejected, and when.
func DeadLetterLine(at time.Time, shard, reason, detail string, record []byte) ([]byte, error) {
	line, err := json.Marshal(deadLetter{Reason: reason, Detail: detail, Shard: shard, At: at.UTC(),
		Data: base64.StdEncoding.EncodeToString(record)})
	if err != nil {
		return nil, fmt.Errorf("dead letter: %w", err)
	}
	return line, nil
}

// quarantinePath is where Glue run n puts the staging lines it could not
// read: one file a run, so that a run that never finished can be undone.
func (l *Lake) quarantinePath(run int64) string {
	return l.path(quarantineDir, quarantineFileName.format(run))
}

// WriteQuarantine writes run n's quarantined lines (dead-letter lines,
// each ending in a newline) atomically.
func (l *Lake) WriteQuarantine(run int64, lines []byte) error {
	return writeAtomic(l.quarantinePath(run), lines)
}

// DiscardQuarantine removes run n's quarantine file, if there is one.
func (l *Lake) DiscardQuarantine(run int64) error {
	return removeIfExists(l.quarantinePath(run))
}

// Write appends one dead letter: the record as it arrived (base64 in the
// file), why it was rejected, and the simulated time at which it was.
func (w *DeadLetterWriter) Write(at time.Time, shard, reason, detail string, record []byte) error {
	line, err := DeadLetterLine(at, shard, reason, detail, record)
	if err != nil {
		return err
	}
	return w.a.appendLine(fileKey{part: at.UTC().Truncate(time.Hour).Unix(), shard: shard}, line)
}

// Close flushes and closes every file. Later writes fail.
func (w *DeadLetterWriter) Close() error {
	return w.a.close()
}
