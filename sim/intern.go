package sim

import "strings"

// interned keeps one string per value, for the few values (languages,
// event types) that outlive events decoded in place, whose strings share
// the buffer they were read from.
type interned map[string]string

func (m interned) of(v string) string {
	if s, ok := m[v]; ok {
		return s
	}
	s := strings.Clone(v)
	m[s] = s
	return s
}
