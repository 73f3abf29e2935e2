package event

import "pipesim/store"

// A person's fields: what stays the same across a user's events (their
// device, where they are, the language they learn, their account), by
// field name and the generator that makes each. user_id and session_id
// come from the population itself (SetText).
var personFields = []struct{ field, generator string }{
	{"account_id", "account_id"},
	{"device", "device"},
	{"user_location", "location"},
	{"language_id", "language_id"},
	{"email", "email"},
}

// personStream splits a seed into the stream people are drawn from.
const personStream = 0x94d049bb133111eb

// Person is a user's person fields, in personFields' order.
type Person []store.Value

// Person makes user u's person fields: a function of the seed and u.
func (g *Generator) Person(u uint64) Person {
	g.pcg.Seed(g.seed^personStream, u)
	vals := make(Person, len(personFields))
	for i, p := range personFields {
		vals[i] = generators[p.generator].gen(g.faker, 0)
	}
	return vals
}

// FillPerson sets e's person fields, where its subtype has them from the
// person's generator (a login's language_id stays not_applicable), to
// vals: the same values in every event of their user.
func FillPerson(e *Event, vals Person) {
	for _, at := range e.Subtype.person {
		e.Values[at.field] = vals[at.person]
	}
}

// personSlot is a subtype's field that holds a person field.
type personSlot struct{ field, person int }

func personSlots(s *Subtype) []personSlot {
	var slots []personSlot
	for i, f := range s.Fields {
		for j, p := range personFields {
			if f.Name == p.field && f.Generator == p.generator {
				slots = append(slots, personSlot{i, j})
			}
		}
	}
	return slots
}

// FieldIndex is the index in Fields of the field of that name, or -1.
func (s *Subtype) FieldIndex(name string) int {
	for i, f := range s.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Text is a text value.
func Text(s string) store.Value { return strValue(s) }
