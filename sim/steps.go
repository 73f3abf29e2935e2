package sim

import "math"

// The ends of the rate and speed ladders: a step past them changes
// nothing.
const (
	LowestRate   = 1_000         // events per hour
	HighestRate  = 1_000_000_000 // events per hour
	SlowestSpeed = 1             // simulated seconds per wall second
	FastestSpeed = 0             // as fast as the machine goes
)

// The speeds --speed accepts besides "max": slow motion for a talk, to
// faster than any machine keeps up with.
const (
	MinSpeedFactor = 0.01
	MaxSpeedFactor = 1_000_000
)

// The 1-2-5 ladder of event rates the dashboard steps along (per hour).
var rateSteps = func() []int64 {
	var steps []int64
	for decade := int64(LowestRate); decade <= HighestRate; decade *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if v := m * decade; v <= HighestRate {
				steps = append(steps, v)
			}
		}
	}
	return steps
}()

// Simulated seconds per wall second; 0 is "as fast as the machine goes".
var speedSteps = []float64{SlowestSpeed, 10, 60, 600, 3600, FastestSpeed}

// nextRate returns the step after cur (dir > 0) or before it (dir < 0),
// staying at the ends. A value between steps moves to the neighbouring one.
func nextRate(cur int64, dir int) int64 {
	if dir > 0 {
		for _, s := range rateSteps {
			if s > cur {
				return s
			}
		}
		return rateSteps[len(rateSteps)-1]
	}
	for i := len(rateSteps) - 1; i >= 0; i-- {
		if rateSteps[i] < cur {
			return rateSteps[i]
		}
	}
	return rateSteps[0]
}

// nextSpeed is the neighbouring step of the speed ladder; max (0) is the
// top, and a speed between steps (from --speed) moves to the next one.
func nextSpeed(cur float64, dir int) float64 {
	rank := func(v float64) float64 {
		if v <= 0 {
			return math.Inf(1)
		}
		return v
	}
	if dir > 0 {
		for _, s := range speedSteps {
			if rank(s) > rank(cur) {
				return s
			}
		}
		return speedSteps[len(speedSteps)-1]
	}
	for i := len(speedSteps) - 1; i >= 0; i-- {
		if rank(speedSteps[i]) < rank(cur) {
			return speedSteps[i]
		}
	}
	return speedSteps[0]
}
