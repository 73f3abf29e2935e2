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
	who     *user
	idText  string         // its session_id
	next    *event.Subtype // the event it is waiting to send
	due     int64          // when (µs); the rate may make it later
	started int64          // the start_time its session:created stated
}

// sessionHeap orders sessions by when their next event is due.
type sessionHeap []*session

func (h sessionHeap) Len() int           { return len(h) }
func (h sessionHeap) Less(i, j int) bool { return h[i].due < h[j].due }
func (h sessionHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *sessionHeap) Push(x any)        { *h = append(*h, x.(*session)) }
func (h *sessionHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return x
}
