package event_test

import (
	"bytes"
	"slices"
	"testing"

	"pipesim/sim/event"
	"pipesim/store"
)

func TestGeneratorIsDeterministic(t *testing.T) {
	cat := realCatalog(t)
	stream := func(seed uint64) []byte {
		g := cat.NewGenerator(seed)
		var out []byte
		var e event.Event
		for i := range 500 {
			e.UUID = g.UUID()
			e.CreatedAt = event.TestCreatedAt + int64(i)
			g.Fill(&e)
			out = append(cat.AppendEventJSON(out, &e), '\n')
		}
		return out
	}
	a, b, c := stream(42), stream(42), stream(43)
	if !bytes.Equal(a, b) {
		t.Error("seed 42 gave two different streams")
	}
	if bytes.Equal(a[:50], c[:50]) {
		t.Error("seeds 42 and 43 gave the same first event")
	}
}

// An event's content depends on the seed and its uuid, not on what the
// generator made before: a sampled run shows the same events.
func TestFillDependsOnlyOnSeedAndUUID(t *testing.T) {
	cat := realCatalog(t)
	g1, g2 := cat.NewGenerator(7), cat.NewGenerator(7)
	var skipped event.Event
	for range 10 {
		skipped.UUID = g2.UUID()
		g2.Fill(&skipped)
	}
	e1 := event.Event{UUID: [16]byte{1, 2, 3}, CreatedAt: event.TestCreatedAt}
	e2 := e1
	g1.Fill(&e1)
	g2.Fill(&e2)
	if e1.Subtype != e2.Subtype || !slices.Equal(e1.Values, e2.Values) {
		t.Errorf("same uuid, different events:\n%+v\n%+v", e1, e2)
	}
	e3 := event.Event{UUID: e1.UUID, CreatedAt: event.TestCreatedAt}
	cat.NewGenerator(8).Fill(&e3)
	if e3.Subtype == e1.Subtype && slices.Equal(e3.Values, e1.Values) {
		t.Error("seeds 7 and 8 made the same event from one uuid")
	}
}

func TestUUIDIsVersion4(t *testing.T) {
	cat := realCatalog(t)
	g := cat.NewGenerator(1)
	seen := map[[16]byte]bool{}
	for range 1000 {
		u := g.UUID()
		if u[6]>>4 != 4 || u[8]>>6 != 2 {
			t.Fatalf("%x: not a version 4, RFC 4122 uuid", u)
		}
		if seen[u] {
			t.Fatalf("%x repeated", u)
		}
		seen[u] = true
	}
}

func TestFillReusesValues(t *testing.T) {
	cat := realCatalog(t)
	g := cat.NewGenerator(1)
	e := event.Event{UUID: g.UUID(), CreatedAt: event.TestCreatedAt, Values: make([]store.Value, 0, 64)}
	backing := &e.Values[:1][0]
	for range 100 {
		e.UUID = g.UUID()
		g.Fill(&e)
		if &e.Values[0] != backing {
			t.Fatal("Fill reallocated Values despite enough capacity")
		}
		if len(e.Values) != len(e.Subtype.Fields) {
			t.Fatalf("%d values for %d fields", len(e.Values), len(e.Subtype.Fields))
		}
	}
}
