package event

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"

	"github.com/brianvoe/gofakeit/v7"

	"pipesim/store"
)

// Event is one app event in memory.
type Event struct {
	UUID      [16]byte // uuid4
	CreatedAt int64    // µs since Unix epoch, UTC (simulated time)
	Subtype   *Subtype
	Values    []store.Value // one per Subtype.Fields, same order
}

// Generator makes events from a catalogue. It is deterministic for a seed
// and not safe for concurrent use (one per goroutine).
type Generator struct {
	cat   *Catalog
	seed  uint64
	ids   *rand.PCG // the uuid sequence
	pcg   *rand.PCG // reseeded from each event's uuid; drives faker
	faker *gofakeit.Faker
}

// Arbitrary odd constants that split one seed into independent streams.
const (
	idStream   = 0x9e3779b97f4a7c15
	fillStream = 0xbf58476d1ce4e5b9
)

// NewGenerator returns a generator whose uuid sequence depends only on seed.
func (c *Catalog) NewGenerator(seed uint64) *Generator {
	pcg := rand.NewPCG(seed, seed^fillStream)
	return &Generator{
		cat:   c,
		seed:  seed,
		ids:   rand.NewPCG(seed, seed^idStream),
		pcg:   pcg,
		faker: gofakeit.NewFaker(pcg, false),
	}
}

// UUID returns the next random version 4 uuid.
func (g *Generator) UUID() [16]byte {
	return newUUID(g.ids.Uint64(), g.ids.Uint64())
}

// Fill chooses e's subtype by weight and generates its field values, given
// e.UUID and e.CreatedAt. The content is a function of the seed and the uuid
// alone, so an event is the same whether or not its neighbours were sampled out.
func (g *Generator) Fill(e *Event) {
	g.seedFrom(e)
	g.fill(e, g.cat.pick(g.pcg.Uint64()), nil)
}

// FillAs is Fill for a subtype chosen by the caller (a session's walk),
// whose person fields are the person's: the same in every event of
// their user.
func (g *Generator) FillAs(e *Event, s *Subtype, p Person) {
	g.seedFrom(e)
	g.fill(e, s, p)
}

func (g *Generator) seedFrom(e *Event) {
	g.pcg.Seed(binary.BigEndian.Uint64(e.UUID[:8])^g.seed, binary.BigEndian.Uint64(e.UUID[8:])^fillStream)
}

func (g *Generator) fill(e *Event, s *Subtype, p Person) {
	e.Subtype = s
	e.Values = slices.Grow(e.Values[:0], len(s.Fields))[:len(s.Fields)]
	for i := range s.Fields {
		if j := s.personOf[i]; p != nil && j >= 0 {
			e.Values[i] = p[j]
			continue
		}
		e.Values[i] = s.Fields[i].gen(g.faker, e.CreatedAt)
	}
}
