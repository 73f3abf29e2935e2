package event_test

import (
	"encoding/json"
	"testing"

	"pipesim/internal/perevent"
	"pipesim/sim/event"
)

// The stages' share of the codec, each in events per second and
// allocations per event.

// The codec is hand-written because it is the hot path of the Lambda and
// Glue; these benchmarks keep that choice backed by a number. The
// encoding/json side only unmarshals into a generic record and marshals
// it back (no validation against the catalogue, no uuid or timestamp
// parsing), so it is a lower bound on what the standard library would
// cost here.

// benchEvents is 1024 generated events and the records (event JSON) a
// producer would send for them.
func benchEvents(b testing.TB) (*event.Catalog, [][]byte) {
	cat := realCatalog(b)
	g := cat.NewGenerator(1)
	records := make([][]byte, 1024)
	var e event.Event
	for i := range records {
		e.UUID = g.UUID()
		e.CreatedAt = event.TestCreatedAt + int64(i)
		g.Fill(&e)
		records[i] = cat.AppendEventJSON(nil, &e)
	}
	return cat, records
}

// decoded is the records as events.
func decoded(b testing.TB, cat *event.Catalog, records [][]byte) []event.Event {
	events := make([]event.Event, len(records))
	for i, r := range records {
		if err := cat.DecodeEvent(r, event.TestCreatedAt+1e9, 0, &events[i]); err != nil {
			b.Fatal(err)
		}
	}
	return events
}

// The producer's half of the first stage: an event's fields.
func BenchmarkGenerate(b *testing.B) {
	cat := realCatalog(b)
	g := cat.NewGenerator(1)
	var e event.Event
	var n int64
	c := perevent.Start(b)
	for b.Loop() {
		e.UUID = g.UUID()
		e.CreatedAt = event.TestCreatedAt + n
		g.Fill(&e)
		n++
	}
	c.Done(n)
}

// The other half: the event JSON the SDK sends.
func BenchmarkAppendEventJSON(b *testing.B) { benchEncode(b, (*event.Catalog).AppendEventJSON) }

// The Lambda's staging line.
func BenchmarkAppendStagingJSON(b *testing.B) { benchEncode(b, (*event.Catalog).AppendStagingJSON) }

// The Lambda's parse and validation of a record (after base64).
func BenchmarkDecodeEvent(b *testing.B) {
	cat, records := benchEvents(b)
	benchDecode(b, records, func(data []byte, e *event.Event) error {
		return cat.DecodeEvent(data, event.TestCreatedAt+1e9, 0, e)
	})
}

// Glue's parse of a staging line.
func BenchmarkDecodeStagingLine(b *testing.B) {
	cat, records := benchEvents(b)
	events := decoded(b, cat, records)
	lines := make([][]byte, len(events))
	for i := range events {
		lines[i] = cat.AppendStagingJSON(nil, &events[i])
	}
	benchDecode(b, lines, cat.DecodeStagingLine)
}

func benchEncode(b *testing.B, appendTo func(*event.Catalog, []byte, *event.Event) []byte) {
	cat, records := benchEvents(b)
	events := decoded(b, cat, records)
	var buf []byte
	var n int64
	c := perevent.Start(b)
	for b.Loop() {
		buf = appendTo(cat, buf[:0], &events[n%int64(len(events))])
		n++
	}
	c.Done(n)
}

func benchDecode(b *testing.B, inputs [][]byte, decode func([]byte, *event.Event) error) {
	var e event.Event
	var n int64
	b.SetBytes(meanLen(inputs))
	c := perevent.Start(b)
	for b.Loop() {
		if err := decode(inputs[n%int64(len(inputs))], &e); err != nil {
			b.Fatal(err)
		}
		n++
	}
	c.Done(n)
}

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
