package sim

import (
	"math/rand/v2"

	"pipesim/sim/config"
	"pipesim/sim/event"
)

// walk is config.yml's journeys resolved against the catalogue: where a
// session begins, and from each event the ways on.
type walk struct {
	begin ways
	steps map[*event.Subtype]*step
	order []*event.Subtype // the steps as declared
	mean  float64          // events in a session, on average
}

// step is what follows one event: the ways on and the wait before the next.
type step struct {
	ways
	after [2]int64 // µs
}

// ways are next events (nil: the session ends) by running probability.
type ways struct {
	to  []*event.Subtype
	cum []float64
}

func (w ways) pick(rng *rand.Rand) *event.Subtype {
	r := rng.Float64()
	for i, c := range w.cum {
		if r < c {
			return w.to[i]
		}
	}
	return w.to[len(w.to)-1]
}

// newWalk resolves the table; the config loader has checked that every
// step is an event of the catalogue, reachable, and can end.
func newWalk(j config.Journeys, cat *event.Catalog) *walk {
	resolve := func(next []config.Next) ways {
		var w ways
		var run float64
		for _, n := range next {
			s, _ := cat.Lookup(n.Event) // nil for config.End
			run += n.P
			w.to, w.cum = append(w.to, s), append(w.cum, run)
		}
		w.cum[len(w.cum)-1] = 1
		return w
	}
	wk := &walk{begin: resolve(j.Begin), steps: map[*event.Subtype]*step{}}
	for _, name := range j.Order {
		s, _ := cat.Lookup(name)
		st := j.Steps[name]
		wk.order = append(wk.order, s)
		wk.steps[s] = &step{resolve(st.Next), [2]int64{st.After[0].Microseconds(), st.After[1].Microseconds()}}
	}
	wk.mean = wk.meanEvents()
	return wk
}

// meanEvents solves for the expected events of a session: from each step,
// one plus the expected events after it, by iterating to a fixed point
// (the loops of the table shrink geometrically).
func (wk *walk) meanEvents() float64 {
	after := map[*event.Subtype]float64{}
	from := func(w ways) float64 {
		var sum, prev float64
		for i, to := range w.to {
			if to != nil {
				sum += (w.cum[i] - prev) * after[to]
			}
			prev = w.cum[i]
		}
		return sum
	}
	for range 10_000 {
		moved := 0.0
		for _, s := range wk.order {
			v := 1 + from(wk.steps[s].ways)
			moved = max(moved, v-after[s])
			after[s] = v
		}
		if moved < 1e-9 {
			break
		}
	}
	return from(wk.begin)
}

// session is a user's visit under way.
type session struct {
	who      *user
	person   event.Person                  // the user's person fields, made when the session starts (gofakeit's cities and emails are slow)
	idText   string                        // its session_id
	userText string                        // its user's user_id
	threads  [subscriptionThread]threadRun // its lesson, exercise and game under way
	next     *event.Subtype                // the event it is waiting to send
	started  int64                         // the start_time its session:created stated
}

// sessionAt is a session and when its next event is due (µs); the rate
// may make it later.
type sessionAt struct {
	due int64
	s   *session
}

// sessionHeap orders sessions by when their next event is due: a binary
// min-heap of its own, as container/heap's interface values would cost
// an allocation an event.
type sessionHeap []sessionAt

func (h *sessionHeap) push(x sessionAt) {
	*h = append(*h, x)
	q := *h
	for i := len(q) - 1; i > 0; {
		up := (i - 1) / 2
		if q[up].due <= q[i].due {
			break
		}
		q[up], q[i] = q[i], q[up]
		i = up
	}
}

func (h *sessionHeap) pop() *session {
	q := *h
	top := q[0].s
	last := len(q) - 1
	q[0] = q[last]
	q[last] = sessionAt{}
	q = q[:last]
	for i := 0; ; {
		least, l, r := i, 2*i+1, 2*i+2
		if l < len(q) && q[l].due < q[least].due {
			least = l
		}
		if r < len(q) && q[r].due < q[least].due {
			least = r
		}
		if least == i {
			break
		}
		q[i], q[least] = q[least], q[i]
		i = least
	}
	*h = q
	return top
}
