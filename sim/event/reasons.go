package event

import (
	"fmt"
)

// Reasons and the error of a rejected record.

// Reason says why an incoming record is rejected (and dead-lettered).
type Reason string

const (
	ReasonBadBase64        Reason = "bad_base64"       // the Kinesis data is not base64
	ReasonBadStagingLine   Reason = "bad_staging_line" // Glue: a staging line that does not parse (quarantined)
	ReasonBadJSON          Reason = "bad_json"
	ReasonMissingField     Reason = "missing_field"
	ReasonWrongType        Reason = "wrong_type"
	ReasonBadValue         Reason = "bad_value" // right JSON type, impossible content: a time out of range, an unsafe language_id
	ReasonUnknownEventName Reason = "unknown_event_name"
	ReasonBadUUID          Reason = "bad_uuid"
	ReasonFutureCreatedAt  Reason = "future_created_at"
	ReasonUnknownField     Reason = "unknown_field"
)

// InvalidRecordError says why a record is not a valid event.
type InvalidRecordError struct {
	Reason Reason
	Detail string // what exactly, e.g. "event_specifics.score: want number, got string"
}

func (e *InvalidRecordError) Error() string { return string(e.Reason) + ": " + e.Detail }

func invalidRecord(reason Reason, format string, args ...any) error {
	return &InvalidRecordError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}
