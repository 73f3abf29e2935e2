package config

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"
)

// Journeys is the walk a session of producer.model people takes through
// the catalogue's events: where it begins, and from each event the next
// ones with their probabilities and how long until the next.
type Journeys struct {
	Begin []Next
	Steps map[string]Step // by event name ("type:subtype")
	Order []string        // Steps' names in the order declared
}

// Step is what follows one event of a session.
type Step struct {
	Next  []Next
	After [2]time.Duration // the time until the next event: [min, max]
	At    string           // where it is declared ("config.yml:412"), for later checks' messages
}

// Next is one way on: an event name, or End, and its probability.
type Next struct {
	Event string
	P     float64
}

// End is the way on that ends a session.
const End = "end"

// probabilityTolerance is how far a step's probabilities may sum from 1
// (decimals such as 0.1 do not add up exactly in binary).
const probabilityTolerance = 1e-6

func journeys(p *parser, n *yaml.Node, path string) (Journeys, bool) {
	j := Journeys{Steps: map[string]Step{}}
	m, _ := p.mapping(n, path, []string{"begin", "after", "steps"})
	if m == nil {
		return j, false
	}
	before := len(p.errs)
	for _, key := range []string{"begin", "after", "steps"} {
		if _, ok := m[key]; !ok {
			p.errorf(resolveAlias(n), path, "missing key %s", key)
		}
	}
	if len(p.errs) > before {
		return j, false
	}
	after, _ := pairOf(durationIn(0, 24*time.Hour))(p, m["after"].value, path+".after")
	begin := m["begin"].value
	j.Begin = p.ways(begin, path+".begin", false)
	steps, order := p.mapping(m["steps"].value, path+".steps", nil)
	for _, name := range order {
		e := steps[name]
		spath := path + ".steps." + name
		p.eventName(e.key, spath, name)
		s := Step{After: after, At: p.where(e.key)}
		s.Next = p.ways(e.value, spath, true)
		if a, ok := mappingValue(e.value, "after"); ok {
			s.After, _ = pairOf(durationIn(0, 24*time.Hour))(p, a, spath+".after")
		}
		j.Steps[name] = s
		j.Order = append(j.Order, name)
	}
	if len(p.errs) > before {
		return j, false
	}
	p.walkable(j, begin, m["steps"].value, path)
	return j, len(p.errs) == before
}

// ways reads a mapping of event names (and, after a step, End) to
// probabilities summing to 1; a step's "after" is read by the caller.
func (p *parser) ways(n *yaml.Node, path string, step bool) []Next {
	m, order := p.mapping(n, path, nil)
	if m == nil {
		return nil
	}
	var ways []Next
	var sum float64
	for _, name := range order {
		if step && name == "after" {
			continue
		}
		e := m[name]
		wpath := path + "." + name
		if name != End || !step {
			p.eventName(e.key, wpath, name)
		}
		pr, ok := shareIn(0, 1)(p, e.value, wpath)
		if !ok {
			continue
		}
		if pr == 0 {
			p.errorf(resolveAlias(e.value), wpath, "a way that is never taken: leave it out")
			continue
		}
		ways = append(ways, Next{name, pr})
		sum += pr
	}
	if len(ways) == 0 {
		p.errorf(resolveAlias(n), path, "want at least one next event")
	} else if math.Abs(sum-1) > probabilityTolerance {
		p.errorf(resolveAlias(n), path, "probabilities sum to %s, want 1", formatSum(sum))
	}
	return ways
}

// mappingValue is the value of key in the mapping n, if it has one.
func mappingValue(n *yaml.Node, key string) (*yaml.Node, bool) {
	n = resolveAlias(n)
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1], true
		}
	}
	return nil, false
}

func formatSum(x float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.6f", x), "0"), ".")
}

// eventName checks that name reads "type:subtype".
func (p *parser) eventName(n *yaml.Node, path, name string) {
	if t, s, ok := strings.Cut(name, ":"); !ok || t == "" || s == "" {
		p.errorf(n, path, "want an event name type:subtype (or %s after a step), got %q", End, name)
	}
}

// walkable checks the table as a whole: every way on leads to a step,
// every step can be reached from begin, and every step can reach an end.
func (p *parser) walkable(j Journeys, begin, stepsNode *yaml.Node, path string) {
	keyNode := func(name string) *yaml.Node {
		stepsNode = resolveAlias(stepsNode)
		for i := 0; i+1 < len(stepsNode.Content); i += 2 {
			if stepsNode.Content[i].Value == name {
				return stepsNode.Content[i]
			}
		}
		return stepsNode
	}
	path += ".steps"
	for _, name := range j.Order {
		for _, w := range j.Steps[name].Next {
			if _, ok := j.Steps[w.Event]; !ok && w.Event != End {
				p.errorf(keyNode(name), path+"."+name, "%s has no step of its own", w.Event)
			}
		}
	}
	for _, w := range j.Begin {
		if _, ok := j.Steps[w.Event]; !ok {
			p.errorf(resolveAlias(begin), strings.TrimSuffix(path, ".steps")+".begin", "%s has no step of its own", w.Event)
		}
	}
	if len(p.errs) > 0 {
		return // what is reachable means little until every way leads somewhere
	}
	reached := map[string]bool{}
	var visit func(string)
	visit = func(name string) {
		if reached[name] || name == End {
			return
		}
		reached[name] = true
		for _, w := range j.Steps[name].Next {
			visit(w.Event)
		}
	}
	for _, w := range j.Begin {
		visit(w.Event)
	}
	ends := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, name := range j.Order {
			if ends[name] {
				continue
			}
			if slices.ContainsFunc(j.Steps[name].Next, func(w Next) bool { return w.Event == End || ends[w.Event] }) {
				ends[name], changed = true, true
			}
		}
	}
	for _, name := range j.Order {
		switch {
		case !reached[name]:
			p.errorf(keyNode(name), path+"."+name, "cannot be reached from begin")
		case !ends[name]:
			p.errorf(keyNode(name), path+"."+name, "a session here never reaches %s", End)
		}
	}
}

// checkJourneys checks the table against the catalogue, for the people
// model that walks it: every step is an event of the catalogue and every
// subtype of the catalogue is a step.
func (p *parser) checkJourneys(cfg *Config, at *yaml.Node) {
	names := make([]string, len(cfg.Catalog.Subtypes))
	for i, s := range cfg.Catalog.Subtypes {
		names[i] = s.EventName
	}
	const fix = "or set producer.model: independent"
	_, own := p.nodes["journeys"] // this layer declared the table: name its lines
	var unknown []string
	for _, name := range cfg.Journeys.Order {
		if !slices.Contains(names, name) {
			unknown = append(unknown, name)
			if own {
				p.errs = append(p.errs, fmt.Errorf("%s: journeys.steps.%s: not an event of the catalogue%s",
					cfg.Journeys.Steps[name].At, name, didYouMeanOf(name, names)))
			}
		}
	}
	if len(unknown) > 0 {
		if !own {
			p.errorf(at, "journeys", "the table (%s) walks %s, not events of this catalogue: give journeys for it, %s",
				cfg.Journeys.Steps[unknown[0]].At, orList(firstFew(unknown)), fix)
		}
		return
	}
	var missing []string
	for _, name := range names {
		if _, ok := cfg.Journeys.Steps[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		p.errorf(at, "journeys.steps", "the people model reaches every event of the catalogue; give %s a step and a way to it, %s", orList(firstFew(missing)), fix)
	}
}

// firstFew keeps a long list of names short in a message.
func firstFew(names []string) []string {
	const few = 4
	if len(names) <= few {
		return names
	}
	return append(slices.Clip(names[:few-1]), fmt.Sprintf("%d more", len(names)-few+1))
}
