package sim

import (
	"bytes"
	"pipesim/sim/event"
	"time"
)

// The ways an app sends a record the Lambda must reject, in the order the
// malformed fault cycles through them.
const (
	badBase64 = iota
	truncatedJSON
	unknownEventName
	missingField
	mistypedField
	futureCreatedAt
	malformedKinds
)

// malformedReason is the dead-letter reason the Lambda gives each kind.
var malformedReason = [malformedKinds]event.Reason{
	badBase64:        event.ReasonBadBase64,
	truncatedJSON:    event.ReasonBadJSON,
	unknownEventName: event.ReasonUnknownEventName,
	missingField:     event.ReasonMissingField,
	mistypedField:    event.ReasonWrongType,
	futureCreatedAt:  event.ReasonFutureCreatedAt,
}

// malformedJSON renders e as a faulty app would send it, broken in the
// given way; for badBase64 the JSON is fine and the caller breaks the
// encoding.
func (p *producer) malformedJSON(e *event.Event, kind int) []byte {
	switch kind {
	case futureCreatedAt:
		saved := e.CreatedAt
		e.CreatedAt += 24 * time.Hour.Microseconds()
		p.jsonb = p.cat.AppendEventJSON(p.jsonb[:0], e)
		e.CreatedAt = saved
		return p.jsonb
	case mistypedField:
		saved := e.Values[0]
		e.Values[0].Valid = false // written as null
		p.jsonb = p.cat.AppendEventJSON(p.jsonb[:0], e)
		e.Values[0] = saved
		return p.jsonb
	}
	p.jsonb = p.cat.AppendEventJSON(p.jsonb[:0], e)
	switch kind {
	case truncatedJSON:
		p.jsonb = p.jsonb[:len(p.jsonb)/2]
	case unknownEventName:
		p.jsonb = bytes.Replace(p.jsonb, []byte(`"event_name":"`), []byte(`"event_name":"legacy_`), 1)
	case missingField:
		// drop "created_at":…, from the object
		if i := bytes.Index(p.jsonb, []byte(`"created_at":`)); i >= 0 {
			if j := bytes.IndexByte(p.jsonb[i:], ','); j >= 0 {
				p.jsonb = append(p.jsonb[:i], p.jsonb[i+j+1:]...)
			}
		}
	}
	return p.jsonb
}
