package sim

import (
	"crypto/md5"
	"encoding/binary"
	"math"
	"math/rand/v2"

	"pipesim/sim/config"
	"pipesim/sim/event"
)

// population is the users behind the events. With independent events
// keyed by user_id or session_id it draws each event's user, whose
// activity follows a Zipf law (a few users send much of the traffic),
// and session (renewed about every walk.mean events). With people,
// events come from sessions: each a walk through the journeys table by a
// user not in one already, started as the rate needs them (session.go's
// next). The event's user_id and session_id fields, where it has them,
// are the same ids; with people, so are its other person fields (device,
// location, language, account) and its threads.
type population struct {
	people    bool
	uuidKeys  bool // the partition key stays the event_uuid
	bySession bool
	seed      uint64
	rng       *rand.Rand
	cfg       config.Producer
	walk      *walk
	lag       int64 // µs: the most a client's clock lags (producer.client_lag)

	// the users drawn from: with people, those of the sample, user
	// j·weight standing for weight users; resized as the rate moves
	size, weight uint64
	zipf         *rand.Zipf
	users        map[uint64]*user // those drawn so far
	sessions     sessionHeap      // people's sessions under way
	slots        map[*event.Subtype]*slots
}

// user is what the population remembers of one user.
type user struct {
	u                   uint64 // its index
	id, sessionID       [16]byte
	idText, sessionText string
	session             uint64
	busy                bool      // in a session
	lastLogin           int64     // µs: the latest account:login; 0: none yet
	subscription        threadRun // the one thread that outlives a session
}

// threadRun is one of a session's threads under way (or a user's subscription): its id and, for
// durations, scores and attempts, when it began, its best score and plays.
type threadRun struct {
	id    string
	began int64
	score int64
	plays int64
}

// threads are the ids that run through a user's events: a lesson's
// lesson_id from its lesson:started to its end, an exercise's exercise_id
// over its attempts, a game's, a subscription's. An event that begins
// one (or the first to carry it) brings a new id; the others carry it;
// an ending event carries it last.
var threads = [...]struct {
	field  string
	begins string
	ends   []string
}{
	{"lesson_id", "lesson:started", []string{"lesson:completed", "lesson:skipped"}},
	{"exercise_id", "", []string{"exercise:completed", "exercise:failed", "exercise:skipped"}},
	{"game_id", "game:started", []string{"game:completed"}},
	{"subscription_id", "subscription:purchased", []string{"subscription:cancelled"}},
}

// gameThread is the game_id thread, whose run keeps a game's score and
// plays; subscriptionThread runs across a user's sessions, the others end
// with theirs.
const (
	gameThread         = 2
	subscriptionThread = 3
)

// loginEvent is the event whose last_login_time names the user's previous one.
const loginEvent = "account:login"

// newPopulation is nil for independent events keyed by event_uuid.
func newPopulation(cfg config.Producer, j config.Journeys, cat *event.Catalog, seed uint64) *population {
	people := cfg.Model == "people"
	if cfg.PartitionKey == "event_uuid" && !people {
		return nil
	}
	return &population{
		people:    people,
		uuidKeys:  cfg.PartitionKey == "event_uuid",
		bySession: cfg.PartitionKey == "session_id",
		seed:      seed,
		rng:       rand.New(rand.NewPCG(seed, 0x6b657973)), // its own stream: event_uuid runs draw nothing from it
		cfg:       cfg,
		walk:      newWalk(j, cat),
		lag:       cfg.ClientLag.Microseconds(),
		users:     map[uint64]*user{},
		slots:     map[*event.Subtype]*slots{},
	}
}

// populationSize is producer.users, or with auto the users that send
// ratePerHour in sessions_per_day sessions a day of the journeys' mean
// length.
func populationSize(cfg config.Producer, meanEvents float64, ratePerHour int64) uint64 {
	if cfg.Users > 0 {
		return uint64(cfg.Users)
	}
	return max(2, uint64(math.Round(float64(ratePerHour)*24/(cfg.SessionsPerDay*meanEvents))))
}

// resize draws users from the population of ratePerHour, with people
// those of the 1-in-weight sample.
func (k *population) resize(ratePerHour, weight int64) {
	n, w := populationSize(k.cfg, k.walk.mean, ratePerHour), uint64(1)
	if k.people {
		w = uint64(weight)
		n = max(2, n/w)
	}
	if n != k.size || w != k.weight {
		k.size, k.weight = n, w
		k.zipf = rand.NewZipf(k.rng, k.cfg.UserSkew, 1, n-1)
	}
}

// user is user u, made on first use.
func (k *population) user(u uint64) *user {
	us := k.users[u]
	if us == nil {
		us = &user{u: u, id: k.id(u, 0), sessionID: k.id(u, 1)}
		us.idText, us.sessionText = uuidText(us.id), uuidText(us.sessionID)
		k.users[u] = us
	}
	return us
}

// pick chooses an independent event's user and session, writes them
// into it and returns the partition key's id; nil when that is the
// event_uuid.
func (k *population) pick(e *event.Event) *[16]byte {
	us := k.user(k.zipf.Uint64())
	if k.rng.Float64()*k.walk.mean < 1 {
		k.renew(us)
	}
	sl := k.slotsOf(e.Subtype)
	sl.set(e, sl.userID, event.Text(us.idText))
	sl.set(e, sl.sessionID, event.Text(us.sessionText))
	return k.key(us)
}

// renew starts the user's next session id.
func (k *population) renew(us *user) {
	us.session++
	us.sessionID = k.id(us.u, us.session+1)
	us.sessionText = uuidText(us.sessionID)
}

func (k *population) key(us *user) *[16]byte {
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

// session is the session that sends the event at (µs): the one whose
// next event is most overdue, or, when none is due yet, a new one by a
// user not in one (the Zipf law's choice, else anyone free); when every
// try finds a user busy, the session due soonest.
func (k *population) session(at int64) *session {
	if len(k.sessions) > 0 && k.sessions[0].due <= at {
		return k.sessions.pop()
	}
	for try := range 2 {
		j := k.zipf.Uint64()
		if try > 0 {
			j = k.rng.Uint64N(k.size)
		}
		u := j * k.weight
		us := k.user(u)
		if us.busy {
			continue
		}
		us.busy = true
		k.renew(us)
		return &session{who: us, userText: us.idText, idText: us.sessionText, next: k.walk.begin.pick(k.rng)}
	}
	return k.sessions.pop()
}

// next makes e, given its uuid and created_at, the next event of a
// session at the slot at (µs), and returns its partition key's id.
func (k *population) next(e *event.Event, gen *event.Generator, at int64) *[16]byte {
	s := k.session(at)
	if s.person == nil {
		s.person = gen.Person(s.who.u)
	}
	gen.FillAs(e, s.next, s.person)
	sl := k.slotsOf(e.Subtype)
	sl.set(e, sl.userID, event.Text(s.userText))
	sl.set(e, sl.sessionID, event.Text(s.idText))
	k.cohere(e, sl, s)
	st := k.walk.steps[e.Subtype]
	if s.next = st.pick(k.rng); s.next == nil {
		s.who.busy = false
	} else {
		k.sessions.push(sessionAt{at + st.after[0] + k.rng.Int64N(st.after[1]-st.after[0]+1), s})
	}
	return k.key(s.who)
}
