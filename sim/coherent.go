package sim

import (
	"slices"

	"pipesim/sim/event"
	"pipesim/store"
)

// slots are where a subtype keeps the fields the population writes: -1
// where it has none. Found once per subtype.
type slots struct {
	userID, sessionID int
	lastLogin         int
	moment            int // start_time, resume_time or end_time: the event's own moment
	duration          int
	score             int
	attempts          int
	threads           [len(threads)]int
}

// momentFields are the times an event states of its own moment.
var momentFields = []string{"start_time", "resume_time", "end_time"}

func (k *population) slotsOf(s *event.Subtype) *slots {
	if sl := k.slots[s]; sl != nil {
		return sl
	}
	typed := func(name string, kind store.Kind) int {
		if i := s.FieldIndex(name); i >= 0 && s.Fields[i].Kind == kind {
			return i
		}
		return -1
	}
	sl := &slots{userID: s.FieldIndex("user_id"), sessionID: s.FieldIndex("session_id"),
		lastLogin: typed("last_login_time", store.Timestamp), moment: -1,
		duration: typed("duration", store.Int64), score: typed("score", store.Int64), attempts: typed("attempts", store.Int64)}
	for _, f := range momentFields {
		if i := typed(f, store.Timestamp); i >= 0 {
			sl.moment = i
		}
	}
	for t, th := range threads {
		sl.threads[t] = -1
		if i := s.FieldIndex(th.field); i >= 0 && s.Fields[i].Generator == th.field {
			sl.threads[t] = i
		}
	}
	k.slots[s] = sl
	return sl
}

func (sl *slots) set(e *event.Event, i int, v store.Value) {
	if i >= 0 {
		e.Values[i] = v
	}
}

// passMark is the score an exercise is completed at; below it, failed.
const passMark = 60

// cohere makes a session's event agree with what came before it: the
// moment it states, by a client clock that may lag; a login's previous
// login; the ids of the lesson, exercise, game and subscription it
// belongs to; its duration (seconds since its session, lesson, exercise
// or game began); an exercise's score with its outcome; a game's score,
// which only grows, and its plays.
func (k *population) cohere(e *event.Event, sl *slots, s *session) {
	us, name, at := s.who, e.Subtype.EventName, e.CreatedAt
	stated := at - k.rng.Int64N(k.lag+1)
	timeValue := func(us int64) store.Value { return store.Value{Valid: true, Int: us} }
	sl.set(e, sl.moment, timeValue(stated))
	switch name {
	case "session:created":
		s.started = stated
	case "session:ended":
		sl.set(e, sl.duration, store.Value{Valid: true, Int: (stated - s.started) / 1e6})
	case loginEvent:
		if us.lastLogin != 0 {
			sl.set(e, sl.lastLogin, timeValue(us.lastLogin))
		}
		us.lastLogin = at
	}
	timed := false // the duration goes with the first thread the event has
	for t, th := range threads {
		f := sl.threads[t]
		if f < 0 {
			continue
		}
		run := &us.subscription
		if t < subscriptionThread {
			run = &s.threads[t]
		}
		if run.id == "" || name == th.begins {
			*run = threadRun{id: e.Values[f].Str, began: at} // a new one: the id the event was made with
		}
		e.Values[f] = event.Text(run.id)
		if !timed && sl.duration >= 0 {
			sl.set(e, sl.duration, store.Value{Valid: true, Int: (at - run.began) / 1e6})
			timed = true
		}
		if slices.Contains(th.ends, name) {
			run.id = ""
		}
	}
	k.score(e, sl, &s.threads[gameThread], name)
}

// score sets an exercise's score by its outcome, and a game's score (from
// 0 at its start, never falling) and plays.
func (k *population) score(e *event.Event, sl *slots, run *threadRun, name string) {
	if sl.score < 0 {
		return
	}
	v := &e.Values[sl.score]
	switch name {
	case "exercise:completed":
		v.Int = passMark + k.rng.Int64N(101-passMark)
	case "exercise:failed":
		v.Int = k.rng.Int64N(passMark)
	case "exercise:skipped":
		v.Int = 0
	case "game:started":
		v.Int, run.score, run.plays = 0, 0, 1
	case "game:resumed", "game:completed":
		if name == "game:resumed" {
			run.plays++
		}
		run.score += k.rng.Int64N(101 - run.score)
		v.Int = run.score
		sl.set(e, sl.attempts, store.Value{Valid: true, Int: max(run.plays, 1)})
	}
}
