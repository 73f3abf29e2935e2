package event

import (
	"slices"

	"pipesim/store"
)

// A person's fields: what stays the same across a user's events (their
// device, where they are, the language they learn, their account, how
// they pay), by
// field name and the generator that makes each. user_id and session_id
// come from the population itself (SetText).
var personFields = []personField{
	{"account_id", "account_id"},
	{"device", "device"},
	{"user_location", "location"},
	{"language_id", "language_id"},
	{"email", "email"},
	{"currency", "currency"},
	{"payment_method", "payment_method"},
}

type personField struct{ field, generator string }

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

// personOf is, for each of a subtype's fields, the index in personFields
// of the person field it holds, or -1: it holds one where it has it from
// the person's generator (a login's language_id stays not_applicable).
func personOf(s *Subtype) []int {
	of := make([]int, len(s.Fields))
	for i, f := range s.Fields {
		of[i] = slices.IndexFunc(personFields, func(p personField) bool { return f.Name == p.field && f.Generator == p.generator })
	}
	return of
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
