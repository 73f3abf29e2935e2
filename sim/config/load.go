package config

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"pipesim/sim/event"
	"pipesim/sim/metric"
	"pipesim/store"
)

// Load reads and validates a config file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data)
}

// Parse validates config YAML; source names it in messages, which
// read "source:line: key: problem". Missing settings take their defaults;
// the catalogue is required.
func Parse(source string, data []byte) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		if m := yamlLineError.FindStringSubmatch(err.Error()); m != nil {
			return nil, fmt.Errorf("%s:%s: %s", source, m[1], m[2])
		}
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Line: 1}
	if len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	p := &configParser{source: source}
	cfg := defaultConfig()
	cfg.Source = source
	p.config(root, &cfg)
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return &cfg, nil
}

var yamlLineError = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func defaultConfig() Config {
	return Config{
		Scenario: "1M",
		Scenarios: map[string]Scenario{
			"1k": {Name: "1k", RatePerHour: 1_000, Shards: 1},
			"1M": {Name: "1M", RatePerHour: 1_000_000, Shards: 1},
			"1B": {Name: "1B", RatePerHour: 1_000_000_000, Shards: 350},
		},
		Seed:  42,
		Start: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
		Producer: Producer{
			RetryProbability: 0.01,
			RetryCopies:      [2]int{1, 3},
			RetryDelay:       [2]time.Duration{time.Second, 10 * time.Second},
			LateProbability:  0.0005,
			LateDelay:        [2]time.Duration{90 * time.Minute, 5 * time.Hour},
			BurstSize:        500,
			DuplicateRates:   []float64{0, 0.01, 0.05, 0.2},
			MaxBuffered:      1_000_000,
			MaxClockSkew:     5 * time.Minute,
		},
		Kinesis: Kinesis{
			Shards:                1,
			MaxShards:             1024,
			WriteRecordsPerSecond: 1000,
			WriteBytesPerSecond:   1 << 20,
			Retention:             24 * time.Hour,
		},
		Lambda: Lambda{
			BatchSize:             100,
			ParallelizationFactor: 1,
			InvocationOverhead:    20 * time.Millisecond,
			PerRecord:             200 * time.Microsecond,
		},
		Ledger: Ledger{TTL: time.Hour, Buckets: 4, KeyPrefix: "pipesim:ledger:"},
		Glue: Glue{
			Schedule:        time.Hour,
			Dedupe:          "lookback",
			DedupeLookback:  6 * time.Hour,
			MergeAfter:      time.Hour,
			TargetFileBytes: [2]int64{100_000_000, 1_000_000_000},
			RowGroupRows:    20_000,
		},
		CloudWatch: CloudWatch{
			ReportEvery:  time.Hour,
			StorageLimit: 2 << 30,
			Alarms: []Alarm{
				{Name: "IteratorAgeHigh", Metric: "iterator_age_seconds", Comparison: ">", Threshold: 60, Minutes: 3},
				{Name: "ShardThrottling", Metric: "throttled", Comparison: ">", Threshold: 0, Minutes: 1},
				{Name: "DeadLetters", Metric: "dead_lettered", Comparison: ">", Threshold: 0, Minutes: 1},
				{Name: "DuplicateRateHigh", Metric: "duplicate_rate", Comparison: ">", Threshold: 0.05, Minutes: 5},
			},
		},
		Scale: Scale{MaxEventsPerHour: 2_000_000},
	}
}

var alarmComparisons = []string{">", ">=", "<", "<="}

// maxFields bounds a subtype's fields (the decoder tracks them in a uint64).
const maxFields = 64

// reservedFields are event keys that a catalogue field may not shadow.
var reservedFields = []string{"event_uuid", "created_at", "event_name", "event_specifics", "event_type", "event_subtype", "created_datetime"}

type configParser struct {
	source string
	errs   []error
}

func (p *configParser) errorf(n *yaml.Node, key, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if key != "" {
		msg = key + ": " + msg
	}
	p.errs = append(p.errs, fmt.Errorf("%s:%d: %s", p.source, n.Line, msg))
}

func keyPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// yamlEntry is one key of a mapping.
type yamlEntry struct {
	key   *yaml.Node
	value *yaml.Node
}

// mapping returns n's entries by key, reporting a node that is not a
// mapping, duplicate keys and keys not in known (nil known allows any key).
// Entries keep their order in order.
func (p *configParser) mapping(n *yaml.Node, path string, known []string) (byKey map[string]yamlEntry, order []string) {
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
		if known != nil && !hasString(known, k.Value) {
			if s := suggestKey(k.Value, known); s != "" {
				p.errorf(k, name, "unknown key (did you mean %s?)", s)
			} else {
				p.errorf(k, name, "unknown key (want one of %s)", strings.Join(known, ", "))
			}
			continue
		}
		byKey[k.Value] = yamlEntry{k, v}
		order = append(order, k.Value)
	}
	return byKey, order
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggest returns the known key nearest to key when it is close enough to
// be a typo.
func suggestKey(key string, known []string) string {
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

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return fmt.Sprintf("a list of %d", len(n.Content))
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "nothing"
		}
		return strconv.Quote(n.Value)
	}
	return "an alias"
}

func (p *configParser) config(root *yaml.Node, cfg *Config) {
	m, _ := p.mapping(root, "", []string{"scenario", "seed", "start", "scenarios", "producer", "kinesis", "lambda", "ledger", "glue", "cloudwatch", "scale", "catalogue"})
	if m == nil {
		return
	}
	if e, ok := m["scenario"]; ok {
		p.str(e.value, "scenario", &cfg.Scenario)
	}
	if e, ok := m["seed"]; ok {
		p.seed(e.value, "seed", &cfg.Seed)
	}
	if e, ok := m["start"]; ok {
		p.timestamp(e.value, "start", &cfg.Start)
	}
	if e, ok := m["scenarios"]; ok {
		p.scenarios(e.value, cfg)
	}
	if e, ok := m["producer"]; ok {
		p.producer(e.value, &cfg.Producer)
	}
	if e, ok := m["kinesis"]; ok {
		p.kinesis(e.value, &cfg.Kinesis)
	}
	if e, ok := m["lambda"]; ok {
		p.lambda(e.value, &cfg.Lambda)
	}
	if e, ok := m["ledger"]; ok {
		p.ledger(e.value, &cfg.Ledger)
	}
	if e, ok := m["glue"]; ok {
		p.glue(e.value, &cfg.Glue)
	}
	if e, ok := m["cloudwatch"]; ok {
		p.cloudwatch(e.value, &cfg.CloudWatch)
	}
	if e, ok := m["scale"]; ok {
		sm, _ := p.mapping(e.value, "scale", []string{"max_events_per_hour"})
		if v, ok := sm["max_events_per_hour"]; ok {
			p.rate(v.value, "scale.max_events_per_hour", &cfg.Scale.MaxEventsPerHour)
		}
	}
	if e, ok := m["catalogue"]; ok {
		cfg.Catalog = p.catalogue(e.value)
	} else {
		p.errorf(resolveAlias(root), "catalogue", "required: the event types, their subtypes and fields")
	}
	p.crossCheck(root, m, cfg)
}

// crossCheck validates settings against each other once all are read.
func (p *configParser) crossCheck(root *yaml.Node, m map[string]yamlEntry, cfg *Config) {
	at := func(key string) *yaml.Node {
		if e, ok := m[key]; ok {
			return e.value
		}
		return resolveAlias(root)
	}
	if _, ok := cfg.Scenarios[cfg.Scenario]; !ok {
		p.errorf(at("scenario"), "scenario", "%q is not in scenarios (have %s)", cfg.Scenario, strings.Join(sortedScenarioNames(cfg.Scenarios), ", "))
	}
	if cfg.Kinesis.Shards > cfg.Kinesis.MaxShards {
		p.errorf(at("kinesis"), "kinesis.shards", "%d is more than max_shards %d", cfg.Kinesis.Shards, cfg.Kinesis.MaxShards)
	}
	for _, name := range sortedScenarioNames(cfg.Scenarios) {
		if s := cfg.Scenarios[name]; s.Shards > cfg.Kinesis.MaxShards {
			p.errorf(at("scenarios"), "scenarios."+name+".shards", "%d is more than kinesis.max_shards %d", s.Shards, cfg.Kinesis.MaxShards)
		}
	}
}

func sortedScenarioNames(m map[string]Scenario) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func (p *configParser) scenarios(n *yaml.Node, cfg *Config) {
	m, order := p.mapping(n, "scenarios", nil)
	if m == nil {
		return
	}
	if len(order) == 0 {
		p.errorf(resolveAlias(n), "scenarios", "want at least one scenario")
		return
	}
	cfg.Scenarios = make(map[string]Scenario, len(order))
	for _, name := range order {
		e := m[name]
		path := "scenarios." + name
		sm, _ := p.mapping(e.value, path, []string{"rate", "shards"})
		if sm == nil {
			continue
		}
		s := Scenario{Name: name, Shards: 1}
		if v, ok := sm["rate"]; ok {
			p.rate(v.value, path+".rate", &s.RatePerHour)
		} else {
			p.errorf(e.key, path, "missing key rate")
		}
		if v, ok := sm["shards"]; ok {
			p.intIn(v.value, path+".shards", &s.Shards, 1, noMax)
		}
		cfg.Scenarios[name] = s
	}
}

func (p *configParser) producer(n *yaml.Node, c *Producer) {
	m, order := p.mapping(n, "producer", []string{"retry_probability", "retry_copies", "retry_delay", "late_probability", "late_delay", "burst_size", "duplicate_rates", "max_buffered", "max_clock_skew"})
	for _, key := range order {
		e, path := m[key], "producer."+key
		switch key {
		case "retry_probability":
			p.probability(e.value, path, &c.RetryProbability)
		case "retry_copies":
			var lo, hi int
			if p.pair(e.value, path, func(n *yaml.Node, key string, i int) bool {
				v := &lo
				if i == 1 {
					v = &hi
				}
				return p.intIn(n, key, v, 1, 1000)
			}) && p.ordered(e.value, path, lo <= hi, lo, hi) {
				c.RetryCopies = [2]int{lo, hi}
			}
		case "retry_delay":
			p.durationPair(e.value, path, &c.RetryDelay)
		case "late_probability":
			p.probability(e.value, path, &c.LateProbability)
		case "late_delay":
			p.durationPair(e.value, path, &c.LateDelay)
		case "burst_size":
			p.intIn(e.value, path, &c.BurstSize, 1, noMax)
		case "duplicate_rates":
			p.duplicateRates(e.value, path, c)
		case "max_buffered":
			p.intIn(e.value, path, &c.MaxBuffered, 1, noMax)
		case "max_clock_skew":
			p.duration(e.value, path, &c.MaxClockSkew, 0, math.MaxInt64)
		}
	}
}

func (p *configParser) duplicateRates(n *yaml.Node, path string, c *Producer) {
	n = resolveAlias(n)
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.errorf(n, path, "want a list of at least one probability, got %s", describeNode(n))
		return
	}
	rates := make([]float64, len(n.Content))
	ok := true
	for i, v := range n.Content {
		ok = p.probability(v, fmt.Sprintf("%s[%d]", path, i), &rates[i]) && ok
	}
	if ok {
		c.DuplicateRates = rates
	}
}

func (p *configParser) kinesis(n *yaml.Node, c *Kinesis) {
	m, order := p.mapping(n, "kinesis", []string{"shards", "max_shards", "write_records_per_second", "write_bytes_per_second", "retention"})
	for _, key := range order {
		e, path := m[key], "kinesis."+key
		switch key {
		case "shards":
			p.intIn(e.value, path, &c.Shards, 1, noMax)
		case "max_shards":
			p.intIn(e.value, path, &c.MaxShards, 1, noMax)
		case "write_records_per_second":
			if v, ok := p.integer(e.value, path, 1, noMax); ok {
				c.WriteRecordsPerSecond = v
			}
		case "write_bytes_per_second":
			p.size(e.value, path, &c.WriteBytesPerSecond)
		case "retention":
			p.duration(e.value, path, &c.Retention, time.Second, math.MaxInt64)
		}
	}
}

func (p *configParser) lambda(n *yaml.Node, c *Lambda) {
	m, order := p.mapping(n, "lambda", []string{"batch_size", "batching_window", "parallelization_factor", "invocation_overhead", "per_record"})
	for _, key := range order {
		e, path := m[key], "lambda."+key
		switch key {
		case "batch_size":
			p.intIn(e.value, path, &c.BatchSize, 1, 10000)
		case "batching_window":
			p.duration(e.value, path, &c.BatchingWindow, 0, 300*time.Second)
		case "parallelization_factor":
			p.intIn(e.value, path, &c.ParallelizationFactor, 1, 10)
		case "invocation_overhead":
			p.duration(e.value, path, &c.InvocationOverhead, 0, math.MaxInt64)
		case "per_record":
			p.duration(e.value, path, &c.PerRecord, 0, math.MaxInt64)
		}
	}
}

func (p *configParser) ledger(n *yaml.Node, c *Ledger) {
	m, order := p.mapping(n, "ledger", []string{"ttl", "buckets", "key_prefix"})
	for _, key := range order {
		e, path := m[key], "ledger."+key
		switch key {
		case "ttl":
			p.duration(e.value, path, &c.TTL, time.Second, math.MaxInt64)
		case "buckets":
			p.intIn(e.value, path, &c.Buckets, 1, 10000)
		case "key_prefix":
			var s string
			if p.str(e.value, path, &s) {
				if s == "" {
					p.errorf(resolveAlias(e.value), path, "must not be empty")
				} else {
					c.KeyPrefix = s
				}
			}
		}
	}
}

func (p *configParser) glue(n *yaml.Node, c *Glue) {
	m, order := p.mapping(n, "glue", []string{"schedule", "dedupe", "dedupe_lookback", "merge_after", "target_file_bytes", "row_group_rows"})
	for _, key := range order {
		e, path := m[key], "glue."+key
		switch key {
		case "schedule":
			p.duration(e.value, path, &c.Schedule, time.Second, math.MaxInt64)
		case "dedupe":
			var s string
			if p.str(e.value, path, &s) {
				if s != "lookback" && s != "batch" {
					p.errorf(resolveAlias(e.value), path, "want lookback or batch, got %q", s)
				} else {
					c.Dedupe = s
				}
			}
		case "dedupe_lookback":
			p.duration(e.value, path, &c.DedupeLookback, 0, math.MaxInt64)
		case "merge_after":
			p.duration(e.value, path, &c.MergeAfter, 0, math.MaxInt64)
		case "target_file_bytes":
			var b [2]int64
			if p.pair(e.value, path, func(n *yaml.Node, key string, i int) bool {
				return p.size(n, key, &b[i])
			}) && p.ordered(e.value, path, b[0] <= b[1], resolveAlias(e.value).Content[0].Value, resolveAlias(e.value).Content[1].Value) {
				c.TargetFileBytes = b
			}
		case "row_group_rows":
			p.intIn(e.value, path, &c.RowGroupRows, 1, noMax)
		}
	}
}

func (p *configParser) cloudwatch(n *yaml.Node, c *CloudWatch) {
	m, order := p.mapping(n, "cloudwatch", []string{"report_every", "storage_limit", "alarms"})
	for _, key := range order {
		e, path := m[key], "cloudwatch."+key
		switch key {
		case "report_every":
			p.duration(e.value, path, &c.ReportEvery, time.Second, math.MaxInt64)
		case "storage_limit":
			p.size(e.value, path, &c.StorageLimit)
		case "alarms":
			p.alarms(e.value, path, c)
		}
	}
}

func (p *configParser) alarms(n *yaml.Node, path string, c *CloudWatch) {
	n = resolveAlias(n)
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, path, "want a list of alarms, got %s", describeNode(n))
		return
	}
	alarms := make([]Alarm, 0, len(n.Content))
	names := make(map[string]int)
	before := len(p.errs)
	for i, an := range n.Content {
		apath := fmt.Sprintf("%s[%d]", path, i)
		m, _ := p.mapping(an, apath, []string{"name", "metric", "comparison", "threshold", "minutes"})
		if m == nil {
			continue
		}
		var a Alarm
		for _, key := range []string{"name", "metric", "comparison", "threshold", "minutes"} {
			e, ok := m[key]
			if !ok {
				p.errorf(resolveAlias(an), apath, "missing key %s", key)
				continue
			}
			kpath := apath + "." + key
			v := resolveAlias(e.value)
			switch key {
			case "name":
				if p.str(v, kpath, &a.Name) {
					if a.Name == "" {
						p.errorf(v, kpath, "must not be empty")
					} else if line, dup := names[a.Name]; dup {
						p.errorf(v, kpath, "duplicate alarm name %q (first at line %d)", a.Name, line)
					} else {
						names[a.Name] = v.Line
					}
				}
			case "metric":
				if p.str(v, kpath, &a.Metric) && !metric.IsAlarmMetric(a.Metric) {
					p.errorf(v, kpath, "unknown metric %q (want one of %s)", a.Metric, strings.Join(metric.AlarmMetrics(), ", "))
				}
			case "comparison":
				if p.str(v, kpath, &a.Comparison) && !hasString(alarmComparisons, a.Comparison) {
					p.errorf(v, kpath, "want one of %s, got %q", strings.Join(alarmComparisons, " "), a.Comparison)
				}
			case "threshold":
				p.float(v, kpath, &a.Threshold)
			case "minutes":
				p.intIn(v, kpath, &a.Minutes, 1, 10080)
			}
		}
		alarms = append(alarms, a)
	}
	if len(p.errs) == before {
		c.Alarms = alarms
	}
}

// catalogue reads the event types. It returns nil when anything is wrong
// (the errors are recorded).
func (p *configParser) catalogue(n *yaml.Node) *event.Catalog {
	const path = "catalogue"
	m, order := p.mapping(n, path, nil)
	if m == nil {
		return nil
	}
	if len(order) == 0 {
		p.errorf(resolveAlias(n), path, "want at least one event type")
		return nil
	}
	before := len(p.errs)
	var types []*event.EventType
	kinds := make(map[string]fieldSeen)
	for _, typeName := range order {
		e := m[typeName]
		tpath := path + "." + typeName
		p.name(e.key, tpath, "event type", typeName)
		t := &event.EventType{Name: typeName, Weight: 1}
		tm, _ := p.mapping(e.value, tpath, []string{"weight", "subtypes"})
		if w, ok := tm["weight"]; ok {
			p.weight(w.value, tpath+".weight", &t.Weight)
		}
		se, ok := tm["subtypes"]
		if !ok {
			if tm != nil {
				p.errorf(e.key, tpath, "missing key subtypes")
			}
			continue
		}
		spath := tpath + ".subtypes"
		sm, sorder := p.mapping(se.value, spath, nil)
		if sm != nil && len(sorder) == 0 {
			p.errorf(resolveAlias(se.value), spath, "want at least one subtype")
		}
		for _, subName := range sorder {
			if s := p.subtype(sm[subName], spath+"."+subName, t, subName, kinds); s != nil {
				t.Subtypes = append(t.Subtypes, s)
			}
		}
		types = append(types, t)
	}
	if len(p.errs) > before {
		return nil
	}
	return event.NewCatalog(types)
}

// fieldSeen is where a field name was first given a kind.
type fieldSeen struct {
	kind store.Kind
	gen  string
	line int
}

func (p *configParser) subtype(e yamlEntry, path string, t *event.EventType, name string, kinds map[string]fieldSeen) *event.Subtype {
	p.name(e.key, path, "subtype", name)
	s := &event.Subtype{Type: t, Name: name, EventName: t.Name + ":" + name, Weight: 1}
	m, _ := p.mapping(e.value, path, []string{"weight", "fields"})
	if w, ok := m["weight"]; ok {
		p.weight(w.value, path+".weight", &s.Weight)
	}
	fe, ok := m["fields"]
	if !ok {
		return s
	}
	fpath := path + ".fields"
	fm, forder := p.mapping(fe.value, fpath, nil)
	if len(forder) > maxFields {
		p.errorf(resolveAlias(fe.value), fpath, "at most %d fields, got %d", maxFields, len(forder))
		return nil
	}
	for _, fieldName := range forder {
		f := fm[fieldName]
		key := fpath + "." + fieldName
		p.name(f.key, key, "field", fieldName)
		if hasString(reservedFields, fieldName) {
			p.errorf(f.key, key, "%s is an event key, not a field name", fieldName)
		}
		var genName string
		if !p.str(f.value, key, &genName) {
			continue
		}
		kind, known := event.GeneratorKind(genName)
		if !known {
			p.errorf(resolveAlias(f.value), key, "unknown generator %q%s", genName, didYouMean(genName))
			continue
		}
		if fieldName == event.LanguageField && genName != event.LanguageField && genName != event.NotApplicable {
			p.errorf(resolveAlias(f.value), key, "generator must be language_id or not_applicable (it names the lake partition), got %q", genName)
			continue
		}
		if prev, seen := kinds[fieldName]; seen && prev.kind != kind {
			p.errorf(resolveAlias(f.value), key, "generator %s makes %s values, but %s is %s (generator %s) at %s:%d",
				genName, kind, fieldName, prev.kind, prev.gen, p.source, prev.line)
			continue
		} else if !seen {
			kinds[fieldName] = fieldSeen{kind, genName, resolveAlias(f.value).Line}
		}
		s.Fields = append(s.Fields, event.Field{Name: fieldName, Generator: genName, Kind: kind})
	}
	return s
}

func didYouMean(gen string) string {
	if s := suggestKey(gen, event.GeneratorNames()); s != "" {
		return " (did you mean " + s + "?)"
	}
	return ""
}

// name checks an event type, subtype or field name: these end up in
// event_name, column names and JSON keys.
func (p *configParser) name(n *yaml.Node, path, what, name string) {
	if strings.Contains(name, ":") {
		p.errorf(n, path, "%s name must not contain a colon (event_name is type:subtype)", what)
		return
	}
	if !event.SafeName([]byte(name)) {
		p.errorf(n, path, "%s name must be 1–64 letters, digits, _ or -", what)
	}
}

func (p *configParser) weight(n *yaml.Node, path string, dst *float64) {
	var w float64
	if p.float(n, path, &w) {
		if w <= 0 {
			p.errorf(resolveAlias(n), path, "must be greater than 0, got %v", w)
			return
		}
		*dst = w
	}
}

// Scalar readers: each reports a problem and returns false, or stores the
// value and returns true.

func (p *configParser) scalar(n *yaml.Node, path, want string, tags ...string) (*yaml.Node, bool) {
	n = resolveAlias(n)
	if n.Kind == yaml.ScalarNode && hasString(tags, n.ShortTag()) {
		return n, true
	}
	p.errorf(n, path, "want %s, got %s", want, describeNode(n))
	return n, false
}

func (p *configParser) str(n *yaml.Node, path string, dst *string) bool {
	n, ok := p.scalar(n, path, "a string", "!!str")
	if ok {
		*dst = n.Value
	}
	return ok
}

// noMax is the upper bound of settings that have none worth naming.
const noMax = math.MaxInt32

func (p *configParser) integer(n *yaml.Node, path string, lo, hi int64) (int64, bool) {
	n, ok := p.scalar(n, path, "a whole number", "!!int")
	if !ok {
		return 0, false
	}
	var v int64
	if err := n.Decode(&v); err != nil {
		p.errorf(n, path, "want a whole number, got %s", describeNode(n))
		return 0, false
	}
	switch {
	case v < lo && hi == noMax:
		p.errorf(n, path, "must be at least %d, got %d", lo, v)
	case v < lo || v > hi:
		p.errorf(n, path, "must be between %d and %d, got %d", lo, hi, v)
	default:
		return v, true
	}
	return 0, false
}

func (p *configParser) intIn(n *yaml.Node, path string, dst *int, lo, hi int) bool {
	v, ok := p.integer(n, path, int64(lo), int64(hi))
	if ok {
		*dst = int(v)
	}
	return ok
}

func (p *configParser) seed(n *yaml.Node, path string, dst *uint64) {
	n, ok := p.scalar(n, path, "a whole number", "!!int")
	if !ok {
		return
	}
	if err := n.Decode(dst); err != nil {
		p.errorf(n, path, "want a whole number from 0 to %d, got %s", uint64(math.MaxUint64), describeNode(n))
	}
}

func (p *configParser) float(n *yaml.Node, path string, dst *float64) bool {
	n, ok := p.scalar(n, path, "a number", "!!int", "!!float")
	if !ok {
		return false
	}
	var v float64
	if err := n.Decode(&v); err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		p.errorf(n, path, "want a finite number, got %s", describeNode(n))
		return false
	}
	*dst = v
	return true
}

func (p *configParser) probability(n *yaml.Node, path string, dst *float64) bool {
	var v float64
	if !p.float(n, path, &v) {
		return false
	}
	if v < 0 || v > 1 {
		p.errorf(resolveAlias(n), path, "must be between 0 and 1, got %v", v)
		return false
	}
	*dst = v
	return true
}

func (p *configParser) duration(n *yaml.Node, path string, dst *time.Duration, lo, hi time.Duration) bool {
	n, ok := p.scalar(n, path, "a duration like 10s, 90m or 24h", "!!str", "!!int")
	if !ok {
		return false
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		p.errorf(n, path, "want a duration like 10s, 90m or 24h, got %s", describeNode(n))
		return false
	}
	switch {
	case v < lo:
		p.errorf(n, path, "must be at least %s, got %s", ShortDuration(lo), n.Value)
	case v > hi:
		p.errorf(n, path, "must be at most %s, got %s", ShortDuration(hi), n.Value)
	default:
		*dst = v
		return true
	}
	return false
}

// ShortDuration drops the zero units time.Duration.String adds ("5m0s" → "5m").
func ShortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

func (p *configParser) timestamp(n *yaml.Node, path string, dst *time.Time) {
	n, ok := p.scalar(n, path, "a time like 2026-11-25T00:00:00Z", "!!timestamp", "!!str")
	if !ok {
		return
	}
	t, err := time.Parse(time.RFC3339, n.Value)
	if err != nil {
		p.errorf(n, path, "want a time like 2026-11-25T00:00:00Z, got %s", describeNode(n))
		return
	}
	*dst = t.UTC()
}

func (p *configParser) rate(n *yaml.Node, path string, dst *int64) {
	n, ok := p.scalar(n, path, "events per hour like 1000, 500k or 1M", "!!str", "!!int", "!!float")
	if !ok {
		return
	}
	v, err := ParseRate(n.Value)
	if err != nil {
		p.errorf(n, path, "%v", err)
		return
	}
	*dst = v
}

func (p *configParser) size(n *yaml.Node, path string, dst *int64) bool {
	n, ok := p.scalar(n, path, "a size like 1048576, 512MiB or 1GB", "!!str", "!!int", "!!float")
	if !ok {
		return false
	}
	v, err := ParseBytes(n.Value)
	if err != nil {
		p.errorf(n, path, "%v", err)
		return false
	}
	*dst = v
	return true
}

// pair reads a two-element list [min, max] with read for each element.
func (p *configParser) pair(n *yaml.Node, path string, read func(n *yaml.Node, key string, i int) bool) bool {
	n = resolveAlias(n)
	if n.Kind != yaml.SequenceNode || len(n.Content) != 2 {
		p.errorf(n, path, "want a list [min, max], got %s", describeNode(n))
		return false
	}
	ok0 := read(n.Content[0], path+"[0]", 0)
	ok1 := read(n.Content[1], path+"[1]", 1)
	return ok0 && ok1
}

func (p *configParser) ordered(n *yaml.Node, path string, ok bool, lo, hi any) bool {
	if !ok {
		p.errorf(resolveAlias(n), path, "min %v is greater than max %v", lo, hi)
	}
	return ok
}

func (p *configParser) durationPair(n *yaml.Node, path string, dst *[2]time.Duration) {
	var d [2]time.Duration
	if p.pair(n, path, func(n *yaml.Node, key string, i int) bool {
		return p.duration(n, key, &d[i], 0, math.MaxInt64)
	}) && p.ordered(n, path, d[0] <= d[1], resolveAlias(n).Content[0].Value, resolveAlias(n).Content[1].Value) {
		*dst = d
	}
}

type scaleUnit struct {
	suffix string
	mult   int64
}

var rateUnits = []scaleUnit{{"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"B", 1e9}}

// Longest suffixes first, so that "MiB" is not read as "B".
var byteUnits = []scaleUnit{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"B", 1},
}

// ParseRate reads events per hour: "1000", "500k", "1M", "2.5M/h", "1B".
func ParseRate(s string) (int64, error) {
	return parseScaled(strings.TrimSuffix(strings.TrimSpace(s), "/h"), s, rateUnits,
		"events per hour like 1000, 500k, 1M or 2.5M/h", "events")
}

// ParseBytes reads a size: "1048576", "100MB" (10^6), "512MiB" (2^20), "1GiB".
func ParseBytes(s string) (int64, error) {
	return parseScaled(strings.TrimSpace(s), s, byteUnits, "a size like 1048576, 512MiB, 100MB or 1GiB", "bytes")
}

var decimalRe = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// parseScaled reads a positive decimalRe with an optional scaleUnit suffix whose
// value is a whole number.
func parseScaled(s, orig string, units []scaleUnit, want, what string) (int64, error) {
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	if !decimalRe.MatchString(s) {
		return 0, fmt.Errorf("want %s, got %q", want, orig)
	}
	r, _ := new(big.Rat).SetString(s) // decimalRe matched: always parses
	r.Mul(r, new(big.Rat).SetInt64(mult))
	switch {
	case r.Sign() <= 0:
		return 0, fmt.Errorf("must be greater than 0, got %q", orig)
	case !r.IsInt():
		return 0, fmt.Errorf("%q is not a whole number of %s", orig, what)
	case !r.Num().IsInt64():
		return 0, fmt.Errorf("%q is too large", orig)
	}
	return r.Num().Int64(), nil
}
