package config

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"pipesim/sim/metric"
)

// The settings whose value is a mapping or list of records: scenarios and
// alarms (the catalogue has a file of its own). Each replaces the whole
// value of a lower layer.

func scenarios(p *parser, n *yaml.Node, path string) (map[string]Scenario, bool) {
	m, order := p.mapping(n, path, nil)
	if m == nil {
		return nil, false
	}
	if len(order) == 0 {
		p.errorf(resolveAlias(n), path, "want at least one scenario")
		return nil, false
	}
	before := len(p.errs)
	out := make(map[string]Scenario, len(order))
	for _, name := range order {
		e := m[name]
		spath := path + "." + name
		sm, _ := p.mapping(e.value, spath, []string{"rate", "shards"})
		if sm == nil {
			continue
		}
		s := Scenario{Name: name, Shards: 1}
		if v, ok := sm["rate"]; ok {
			s.RatePerHour, _ = rate(p, v.value, spath+".rate")
		} else {
			p.errorf(e.key, spath, "missing key rate")
		}
		if v, ok := sm["shards"]; ok {
			s.Shards, _ = wholeIn(1, MaxShards)(p, v.value, spath+".shards")
		}
		out[name] = s
	}
	return out, len(p.errs) == before
}

var (
	alarmKeys        = []string{"name", "metric", "comparison", "threshold", "minutes"}
	alarmComparisons = []string{">", ">=", "<", "<="}
)

func alarms(p *parser, n *yaml.Node, path string) ([]Alarm, bool) {
	n = resolveAlias(n)
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, path, "want a list of alarms, got %s", describeNode(n))
		return nil, false
	}
	out := make([]Alarm, 0, len(n.Content))
	names := make(map[string]int)
	before := len(p.errs)
	for i, an := range n.Content {
		apath := fmt.Sprintf("%s[%d]", path, i)
		m, _ := p.mapping(an, apath, alarmKeys)
		if m == nil {
			continue
		}
		var a Alarm
		for _, key := range alarmKeys {
			e, ok := m[key]
			if !ok {
				p.errorf(resolveAlias(an), apath, "missing key %s", key)
				continue
			}
			kpath := apath + "." + key
			v := resolveAlias(e.value)
			switch key {
			case "name":
				a.Name, ok = nonEmpty(p, v, kpath)
				if line, dup := names[a.Name]; ok && dup {
					p.errorf(v, kpath, "duplicate alarm name %q (first at line %d)", a.Name, line)
				} else if ok {
					names[a.Name] = v.Line
				}
			case "metric":
				a.Metric, _ = oneOf(metric.AlarmMetrics()...)(p, v, kpath)
			case "comparison":
				a.Comparison, _ = oneOf(alarmComparisons...)(p, v, kpath)
			case "threshold":
				a.Threshold, _ = number(p, v, kpath)
			case "minutes":
				a.Minutes, _ = wholeIn(1, 10080)(p, v, kpath)
			}
		}
		out = append(out, a)
	}
	return out, len(p.errs) == before
}

// mapping returns n's entries by key, reporting a node that is not a
// mapping, duplicate keys and keys not in known (nil known allows any key).
// order keeps the entries' order.
func (p *parser) mapping(n *yaml.Node, path string, known []string) (byKey map[string]yamlEntry, order []string) {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		p.errorf(n, path, "want a mapping, got %s", describeNode(n))
		return nil, nil
	}
	byKey = make(map[string]yamlEntry, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolveAlias(n.Content[i]), resolveAlias(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, path, "want a plain key, got %s", describeNode(k))
			continue
		}
		name := keyPath(path, k.Value)
		if prev, dup := byKey[k.Value]; dup {
			p.errorf(k, name, "duplicate key (first at line %d)", prev.key.Line)
			continue
		}
		if known != nil && !slices.Contains(known, k.Value) {
			p.errorf(k, name, "unknown key (%s)", suggestion(k.Value, known))
			continue
		}
		byKey[k.Value] = yamlEntry{k, v}
		order = append(order, k.Value)
	}
	return byKey, order
}

// yamlEntry is one key of a mapping.
type yamlEntry struct {
	key   *yaml.Node
	value *yaml.Node
}

func keyPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// suggestion names the known key nearest to key when it is close enough
// to be a typo, and lists them all otherwise.
func suggestion(key string, known []string) string {
	if s := nearest(key, known); s != "" {
		return "did you mean " + s + "?"
	}
	return "want one of " + strings.Join(known, ", ")
}

func nearest(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(strings.ToLower(key), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
