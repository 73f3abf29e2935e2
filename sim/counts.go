package sim

import "pipesim/sim/metric"

// counts is the run's tally, shared by the stages: each adds what it does,
// at the sampling weight in force, to the run's totals and to the current
// CloudWatch minute at once. It is the one place the weight is kept.
type counts struct {
	weight int64 // nominal events one materialised event stands for
	total  metric.Tally
	minute metric.Tally
}

func (c *counts) add(k metric.Counter, n int64) {
	c.total.Add(k, n, c.weight)
	c.minute.Add(k, n, c.weight)
}

func (c *counts) addNominal(k metric.Counter, n, nominal int64) {
	c.total.AddNominal(k, n, nominal)
	c.minute.AddNominal(k, n, nominal)
}

// addTally counts records at the weights they were made at.
func (c *counts) addTally(k metric.Counter, t tally) { c.addNominal(k, t.n, t.nominal) }

// setTally records a level of records, at the weights they were made at.
func (c *counts) setTally(k metric.Counter, t tally) { c.total.Set(k, t.n, t.nominal) }

// plus adds a tally counted elsewhere (a Glue run's) at its own weights.
func (c *counts) plus(t metric.Tally) {
	c.total.Plus(t)
	c.minute.Plus(t)
}

// set records a level of the totals (what stands now), at today's weight.
func (c *counts) set(k metric.Counter, n int64) {
	nom := n
	if k.Def().Scaling != metric.Unscaled {
		nom = n * c.weight
	}
	c.total.Set(k, n, nom)
}

func (c *counts) sampler() sampler { return sampler{oneIn: uint64(c.weight)} }
