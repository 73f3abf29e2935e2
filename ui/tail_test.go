package ui

import (
	"strings"
	"testing"

	"pipesim/sim"
)

// The tail names each event's fate, newest first; w gives it the whole
// Staging pane where the tree leaves it no room (80×24) and takes it back.
func TestTailOfEvents(t *testing.T) {
	s := fakeSnapshot()
	leak := s.Tail[0]
	leak.Fate, leak.Copy = sim.FateUnchecked, true
	s.Tail = append(s.Tail, leak)
	m, _ := newTestModel(t, s, 160, 48)
	v := screen(m)
	order := []string{"es lesson:started       unchecked, a copy", "fr subscription:renewed staged", "(unreadable)         DLQ bad_json",
		"es lesson:started       caught", "de exercise:attempted   staged"}
	at := 0
	for _, want := range order {
		i := strings.Index(v[at:], want)
		if i < 0 {
			t.Fatalf("the tail lacks %q after byte %d, or not newest first:\n%s", want, at, v)
		}
		at += i
	}

	m, _ = newTestModel(t, s, 80, 24)
	if strings.Contains(screen(m), "last events") {
		t.Fatalf("at 80×24 the tree leaves the tail no room, yet it shows:\n%s", screen(m))
	}
	press(m, "w")
	v = screen(m)
	if !strings.Contains(v, "last events, newest first") || !strings.Contains(v, "DLQ bad_json") || strings.Contains(v, "year=2024") {
		t.Errorf("w: the Staging pane should hold the tail alone:\n%s", v)
	}
	checkSize(t, v, 80, 24)
	press(m, "w")
	if v = screen(m); !strings.Contains(v, "year=2024") || strings.Contains(v, "last events") {
		t.Errorf("w again: the tree should be back:\n%s", v)
	}
}
