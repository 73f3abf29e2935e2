package sim

import (
	"math"
	"time"

	"pipesim/sim/config"
)

// dailyCurve is how the event rate moves through a week: a 24-hour
// profile peaking at producer.peak_hour (a von Mises bump, as traffic
// that swells into the evening and ebbs overnight), weekends at
// producer.weekend_level of a weekday, scaled so that the week's mean is
// the scenario's rate. producer.peak_to_mean 1 is a flat rate.
type dailyCurve struct {
	minute  [24 * 60]int64 // per minute of the day, in millionths; they average a million
	weekday int64          // millionths
	weekend int64
}

// curveUnit is a factor of 1 in a curve's millionths.
const curveUnit = 1_000_000

func newDailyCurve(cfg config.Producer) *dailyCurve {
	c := &dailyCurve{}
	// exp(k·cos θ) has its peak e^k/I0(k) times its mean: find k for
	// the asked ratio (bisection; the ratio grows with k)
	shape := func(k float64) (vals [24 * 60]float64, mean, peak float64) {
		for m := range vals {
			θ := 2 * math.Pi * (float64(m)/60 - cfg.PeakHour) / 24
			vals[m] = math.Exp(k * math.Cos(θ))
			mean += vals[m]
			peak = max(peak, vals[m])
		}
		return vals, mean / float64(len(vals)), peak
	}
	lo, hi := 0.0, 20.0
	for range 60 {
		mid := (lo + hi) / 2
		if _, mean, peak := shape(mid); peak/mean < cfg.PeakToMean {
			lo = mid
		} else {
			hi = mid
		}
	}
	vals, mean, _ := shape(lo)
	var sum int64
	top := 0
	for m, v := range vals {
		c.minute[m] = int64(math.Round(v / mean * curveUnit))
		sum += c.minute[m]
		if c.minute[m] > c.minute[top] {
			top = m
		}
	}
	c.minute[top] += int64(len(vals))*curveUnit - sum // the day's mean exactly
	// five weekdays and two weekend days average one
	c.weekday = int64(math.Round(7 / (5 + 2*cfg.WeekendLevel) * curveUnit))
	c.weekend = 7*curveUnit - 5*c.weekday
	c.weekend /= 2
	return c
}

// at is the rate factor at t, in millionths.
func (c *dailyCurve) at(t time.Time) int64 {
	t = t.UTC()
	day := c.weekday
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		day = c.weekend
	}
	return c.minute[t.Hour()*60+t.Minute()] * day / curveUnit
}

// peak is the highest factor of the week, in millionths.
func (c *dailyCurve) peak() int64 {
	top := int64(0)
	for _, m := range c.minute {
		top = max(top, m)
	}
	return top * max(c.weekday, c.weekend) / curveUnit
}
