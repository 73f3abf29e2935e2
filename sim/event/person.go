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
	for i, f := range e.Subtype.Fields {
		for j, p := range personFields {
			if f.Name == p.field && f.Generator == p.generator {
				e.Values[i] = vals[j]
			}
		}
	}
}

// SetText sets e's field of that name, if it has one, to s.
func SetText(e *Event, field, s string) {
	for i, f := range e.Subtype.Fields {
		if f.Name == field {
			e.Values[i] = strValue(s)
			return
		}
	}
}

// SetTime sets e's timestamp field of that name, if it has one, to us.
func SetTime(e *Event, field string, us int64) {
	for i, f := range e.Subtype.Fields {
		if f.Name == field && f.Kind == store.Timestamp {
			e.Values[i] = store.Value{Valid: true, Int: us}
			return
		}
	}
}
