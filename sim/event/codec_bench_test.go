package event_test

import (
	"encoding/json"
	"testing"

	"pipesim/sim/event"
)

// The codec is hand-written because it is the hot path of the Lambda and
// Glue; these benchmarks keep that choice backed by a number. The
// encoding/json side only unmarshals into a generic record and marshals
// it back (no validation against the catalogue, no uuid or timestamp
// parsing), so it is a lower bound on what the standard library would
// cost here.

// jsonRecord is the envelope as a straightforward Lambda would declare it.
type jsonRecord struct {
	EventUUID      string         `json:"event_uuid"`
	CreatedAt      float64        `json:"created_at"`
	EventName      string         `json:"event_name"`
	EventSpecifics map[string]any `json:"event_specifics"`
}

func BenchmarkDecodeEncodingJSON(b *testing.B) {
	_, records := benchEvents(b)
	b.SetBytes(meanLen(records))
	b.ReportAllocs()
	for i := range b.N {
		var r jsonRecord
		if err := json.Unmarshal(records[i%len(records)], &r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeEncodingJSON(b *testing.B) {
	_, records := benchEvents(b)
	decoded := make([]jsonRecord, len(records))
	for i, r := range records {
		if err := json.Unmarshal(r, &decoded[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for i := range b.N {
		if _, err := json.Marshal(&decoded[i%len(decoded)]); err != nil {
			b.Fatal(err)
		}
	}
}

// The generated records decode the same way through both, so the two
// benchmarks above measure the same work.
func TestEncodingJSONReadsOurRecords(t *testing.T) {
	cat, records := benchEvents(t)
	for _, rec := range records[:64] {
		var e event.Event
		if err := cat.DecodeEvent(rec, event.TestCreatedAt+1e9, 0, &e); err != nil {
			t.Fatal(err)
		}
		var r jsonRecord
		if err := json.Unmarshal(rec, &r); err != nil {
			t.Fatal(err)
		}
		if r.EventName != e.Subtype.EventName || r.EventUUID != string(event.AppendUUID(nil, e.UUID)) || len(r.EventSpecifics) == 0 {
			t.Fatalf("encoding/json read %+v from %s; ours read %s %x", r, rec, e.Subtype.Name, e.UUID)
		}
	}
}

// meanLen is the records' mean size, for a benchmark's bytes per second.
func meanLen(records [][]byte) int64 {
	var n int64
	for _, r := range records {
		n += int64(len(r))
	}
	return n / int64(len(records))
}
