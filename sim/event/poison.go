package event

import (
	"strings"

	"pipesim/store"
)

// A poison record is valid to the validator but makes the Lambda's code
// throw: one of its text fields ends in a NUL ("\u0000" in its JSON), which
// the function's string handling trips on. Glue, reading it later, does
// not.

// Poison puts a NUL at the end of e's first text field that is not a
// partition value; false if e has none.
func Poison(e *Event) bool {
	for i, f := range e.Subtype.Fields {
		if v := &e.Values[i]; f.Kind == store.String && !f.partition && v.Valid {
			v.Str += "\x00"
			return true
		}
	}
	return false
}

// Poisoned reports whether e carries what Poison puts in.
func Poisoned(e *Event) bool {
	for i, f := range e.Subtype.Fields {
		if f.Kind == store.String && strings.IndexByte(e.Values[i].Str, 0) >= 0 {
			return true
		}
	}
	return false
}
