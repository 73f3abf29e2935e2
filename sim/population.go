package sim

import (
	"crypto/md5"
	"encoding/binary"
	"math/rand/v2"
	"slices"

	"pipesim/sim/config"
	"pipesim/sim/event"
)

// population is the users behind the events: it draws each event's
// user, whose activity follows a Zipf law (a few users send much of the
// traffic), and its
// session (a user's current one, renewed about every sessionEvents
// events), for producer.partition_key user_id or session_id and for
// producer.model people. The event's user_id and session_id fields, where
// it has them, are the same ids; with people, so are its other person
// fields (device, location, language, account).
type population struct {
	people    bool
	uuidKeys  bool // the partition key stays the event_uuid
	bySession bool
	seed      uint64
	rng       *rand.Rand
	zipf      *rand.Zipf
	users     map[uint64]*user  // those drawn so far
	current   map[thread]string // each user's lesson, exercise, game, subscription under way (people)
	lag       int64             // µs: the most a client's clock lags (producer.client_lag)
}

// user is what the population remembers of one user, made once: ids and
// their text, and with people the person fields (gofakeit's cities and
// emails are slow).
type user struct {
	id, sessionID       [16]byte
	idText, sessionText string
	session             uint64
	person              event.Person
	lastLogin           int64 // µs: the latest account:login; 0: none yet
}

// momentFields are the times an event states of its own moment.
var momentFields = []string{"start_time", "resume_time", "end_time"}

// loginEvent is the event whose last_login_time names the user's previous one.
const loginEvent = "account:login"

// threads are the ids that run through a user's events: a lesson's
// lesson_id from its lesson:started to its end, an exercise's exercise_id
// over its attempts, a game's, a subscription's. An event that begins
// one (or the first to carry it) brings a new id; the others carry it;
// an ending event carries it last.
var threads = []struct {
	field  string
	begins string
	ends   []string
}{
	{"lesson_id", "lesson:started", []string{"lesson:completed", "lesson:skipped"}},
	{"exercise_id", "", []string{"exercise:completed", "exercise:failed", "exercise:skipped"}},
	{"game_id", "game:started", []string{"game:completed"}},
	{"subscription_id", "subscription:purchased", []string{"subscription:cancelled"}},
}

// thread is one user's id of one of threads.
type thread struct {
	user uint64
	i    int
}

// sessionEvents is about how many events a session has.
const sessionEvents = 30

// newPopulation is nil for independent events keyed by event_uuid.
func newPopulation(cfg config.Producer, seed uint64) *population {
	people := cfg.Model == "people"
	if cfg.PartitionKey == "event_uuid" && !people {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, 0x6b657973)) // its own stream: event_uuid runs draw nothing from it
	return &population{
		people:    people,
		uuidKeys:  cfg.PartitionKey == "event_uuid",
		bySession: cfg.PartitionKey == "session_id",
		seed:      seed,
		rng:       rng,
		zipf:      rand.NewZipf(rng, cfg.UserSkew, 1, uint64(cfg.Users-1)),
		users:     map[uint64]*user{},
		current:   map[thread]string{},
		lag:       cfg.ClientLag.Microseconds(),
	}
}

// pick chooses the event's user and session, writes them (and, with
// people, the user's other fields) into it and returns the partition
// key's id; nil when that is the event_uuid.
func (k *population) pick(e *event.Event, gen *event.Generator) *[16]byte {
	u := k.zipf.Uint64()
	us := k.users[u]
	if us == nil {
		us = &user{id: k.id(u, 0), sessionID: k.id(u, 1)}
		us.idText, us.sessionText = uuidText(us.id), uuidText(us.sessionID)
		if k.people {
			us.person = gen.Person(u)
		}
		k.users[u] = us
	}
	if k.rng.IntN(sessionEvents) == 0 {
		us.session++
		us.sessionID = k.id(u, us.session+1)
		us.sessionText = uuidText(us.sessionID)
	}
	if k.people {
		event.FillPerson(e, us.person)
		// the times an event states are its own moment, by a clock that
		// may lag; a login names the user's previous one
		at := e.CreatedAt - k.rng.Int64N(k.lag+1)
		for _, f := range momentFields {
			event.SetTime(e, f, at)
		}
		if us.lastLogin != 0 {
			event.SetTime(e, "last_login_time", us.lastLogin)
		}
		if e.Subtype.EventName == loginEvent {
			us.lastLogin = e.CreatedAt
		}
		k.carry(e, u)
	}
	event.SetText(e, "user_id", us.idText)
	event.SetText(e, "session_id", us.sessionText)
	switch {
	case k.uuidKeys:
		return nil
	case k.bySession:
		return &us.sessionID
	}
	return &us.id
}

func uuidText(id [16]byte) string { return string(event.AppendUUID(nil, id)) }

// id is a stable UUID (version 4 form) for user u's session n, or for
// the user itself when n is 0.
func (k *population) id(u, n uint64) [16]byte {
	var b [24]byte
	binary.BigEndian.PutUint64(b[:], k.seed)
	binary.BigEndian.PutUint64(b[8:], u)
	binary.BigEndian.PutUint64(b[16:], n)
	id := md5.Sum(b[:])
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	return id
}

// carry puts the user's threads' ids into e, beginning and ending them.
func (k *population) carry(e *event.Event, u uint64) {
	name := e.Subtype.EventName
	for i, th := range threads {
		f := slices.IndexFunc(e.Subtype.Fields, func(f event.Field) bool { return f.Name == th.field && f.Generator == th.field })
		if f < 0 {
			continue
		}
		key := thread{u, i}
		if cur, ok := k.current[key]; ok && name != th.begins {
			e.Values[f].Str = cur
		} else {
			k.current[key] = e.Values[f].Str // a new one: the id the event was made with
		}
		if slices.Contains(th.ends, name) {
			delete(k.current, key)
		}
	}
}
