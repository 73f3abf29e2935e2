package store

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// DeadLetterWriter appends rejected records, one JSON object a line, to
// datalake/dlq/year=YYYY/month=MM/day=DD/hour=HH/dlq-shard-NNNNNNNNNNNN.ndjson
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
	return l.newLetterWriter(dlqDir, "dlq")
}

// NewQuarantineWriter returns a writer for the lake's quarantine folder,
// where Glue puts the staging lines it cannot read (same line format, the
// shard being the staging file's). Glue has its own writer because it runs
// beside the Lambda.
func (l *Lake) NewQuarantineWriter() *DeadLetterWriter {
	return l.newLetterWriter(quarantineDir, "quarantine")
}

func (l *Lake) newLetterWriter(dir, prefix string) *DeadLetterWriter {
	return &DeadLetterWriter{a: newAppender(func(k fileKey) (string, error) {
		digits, err := shardNumber(k.shard)
		if err != nil {
			return "", err
		}
		hour := time.Unix(k.part, 0).UTC()
		return l.path(dir, datePath(hour), fmt.Sprintf("hour=%02d", hour.Hour()),
			prefix+"-shard-"+digits+".ndjson"), nil
	})}
}

// Write appends one dead letter: the record as it arrived (base64 in the
// file), why it was rejected, and the simulated time at which it was.
func (w *DeadLetterWriter) Write(at time.Time, shard, reason, detail string, record []byte) error {
	at = at.UTC()
	line, err := json.Marshal(deadLetter{Reason: reason, Detail: detail, Shard: shard, At: at,
		Data: base64.StdEncoding.EncodeToString(record)})
	if err != nil {
		return fmt.Errorf("dead letter: %w", err)
	}
	return w.a.appendLine(fileKey{part: at.Truncate(time.Hour).Unix(), shard: shard}, line)
}

// Flush writes buffered dead letters to their files.
func (w *DeadLetterWriter) Flush() error {
	return w.a.flush()
}

// Close flushes and closes every file. Later writes fail.
func (w *DeadLetterWriter) Close() error {
	return w.a.close()
}
