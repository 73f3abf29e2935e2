package config

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Builtin is the name the built-in config goes by in messages.
const Builtin = "built-in config.yml"

// Parse reads a config that stands alone, as the built-in config.yml
// does: every key must be present. source names it in messages, which
// read "source:line: key: problem".
func Parse(source string, data []byte) (*Config, error) {
	return parseLayer(source, data, nil)
}

// Load reads the config file at path over c: the keys the file has
// replace c's, the rest stay.
func (c *Config) Load(path string) (*Config, error) {
	data, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	return c.Overlay(path, data)
}

// Overlay reads config YAML over c: the keys data has replace c's, the
// rest stay. A list or mapping value (scenarios, alarms, the catalogue)
// replaces c's whole.
func (c *Config) Overlay(source string, data []byte) (*Config, error) {
	return parseLayer(source, data, c)
}

func parseLayer(source string, data []byte, base *Config) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		var le *yaml.LoadError
		if errors.As(err, &le) {
			line := le.Mark.Line
			if le.ContextMark.Line > 0 {
				line = le.ContextMark.Line // where the unclosed construct began
			}
			return nil, fmt.Errorf("%s:%d: %s", source, line, le.Message)
		}
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Line: 1}
	if len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	p := &parser{source: source, lines: true, root: resolveAlias(root)}
	cfg := p.start(base)
	p.walk(root, "", cfg)
	if base == nil {
		for _, path := range allPaths {
			if _, ok := p.nodes[path]; !ok {
				p.errorf(p.root, path, "missing key")
			}
		}
	}
	return p.finish(cfg)
}

// Set returns c with one key set from the command line, as --set
// KEY=VALUE gives it: VALUE is read as YAML ("4", "batch", "[1MB, 1GB]")
// and checked as the same key in a file would be.
func (c *Config) Set(assignment string) (*Config, error) {
	const source = "--set"
	path, value, ok := strings.Cut(assignment, "=")
	if !ok || path == "" {
		return nil, fmt.Errorf("%s: want KEY=VALUE such as glue.dedupe=batch, got %q", source, assignment)
	}
	if !keyPattern.MatchString(path) {
		return nil, fmt.Errorf("%s: %q is not a config key (keys are dotted names such as glue.dedupe)", source, path)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(value), &doc); err != nil {
		msg := err.Error()
		var le *yaml.LoadError
		if errors.As(err, &le) {
			msg = le.Message
		}
		return nil, fmt.Errorf("%s: %s: %q is not a YAML value: %s", source, path, value, msg)
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	if len(doc.Content) > 0 {
		n = doc.Content[0]
	}
	p := &parser{source: source, root: n}
	cfg := p.start(c)
	p.apply(path, n, cfg)
	cfg.Sources = append(cfg.Sources, source+" "+assignment)
	return p.finish(cfg)
}

// keyPattern is what a dotted key can look like; anything else (a
// newline, a space) is refused before it could reach a message unquoted.
var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// Keys lists every config key's dotted path, in config.yml's order.
func Keys() []string { return append([]string(nil), allPaths...) }

// parser reads one layer of config: a file or a --set.
type parser struct {
	source string
	lines  bool       // messages name the line (a file) or not (a flag)
	root   *yaml.Node // where problems with no node of their own are reported
	nodes  map[string]*yaml.Node
	errs   []error
}

func (p *parser) start(base *Config) *Config {
	p.nodes = map[string]*yaml.Node{}
	cfg := &Config{}
	if base != nil {
		*cfg = *base // values are replaced, never changed in place, so sharing is safe
		cfg.Sources = append([]string(nil), base.Sources...)
	}
	if p.lines {
		cfg.Sources = append(cfg.Sources, p.source)
	}
	return cfg
}

func (p *parser) finish(cfg *Config) (*Config, error) {
	if len(p.errs) == 0 {
		p.crossCheck(cfg)
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return cfg, nil
}

// where names n's place: the file and line, or the flag.
func (p *parser) where(n *yaml.Node) string {
	if p.lines {
		return fmt.Sprintf("%s:%d", p.source, n.Line)
	}
	return p.source
}

func (p *parser) errorf(n *yaml.Node, key, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if key != "" {
		msg = key + ": " + msg
	}
	p.errs = append(p.errs, fmt.Errorf("%s: %s", p.where(n), msg))
}

// walk reads a section's mapping: each key is a setting or a section.
func (p *parser) walk(n *yaml.Node, section string, cfg *Config) {
	m, order := p.mapping(n, section, sections[section])
	for _, k := range order {
		p.apply(keyPath(section, k), m[k].value, cfg)
	}
}

// apply reads n as the value of path: a setting, or a section of them.
func (p *parser) apply(path string, n *yaml.Node, cfg *Config) {
	if s, ok := byPath[path]; ok {
		p.nodes[path] = resolveAlias(n)
		s.set(p, n, cfg)
		return
	}
	if _, ok := sections[path]; ok && path != "" {
		p.walk(n, path, cfg)
		return
	}
	p.errorf(p.root, path, "unknown key (%s)", suggestion(path, allPaths))
}

// crossCheck checks settings against each other once a layer is read. A
// problem is reported at the first of the keys involved that this layer
// sets.
func (p *parser) crossCheck(cfg *Config) {
	at := func(paths ...string) *yaml.Node {
		for _, path := range paths {
			if n, ok := p.nodes[path]; ok {
				return n
			}
		}
		return p.root
	}
	if _, ok := cfg.Scenarios[cfg.Scenario]; !ok {
		p.errorf(at("scenario", "scenarios"), "scenario", "%q is not in scenarios (have %s)", cfg.Scenario, strings.Join(sortedScenarioNames(cfg.Scenarios), ", "))
	}
	if cfg.Kinesis.Shards > cfg.Kinesis.MaxShards {
		p.errorf(at("kinesis.shards", "kinesis.max_shards"), "kinesis.shards", "%d is more than kinesis.max_shards %d", cfg.Kinesis.Shards, cfg.Kinesis.MaxShards)
	}
	if cfg.Producer.Model == "people" || cfg.Producer.PartitionKey != "event_uuid" {
		// the population walks the table, or sizes its sessions by it
		p.checkJourneys(cfg, at("journeys", "catalogue", "producer.model", "producer.partition_key"))
	}
	for _, name := range sortedScenarioNames(cfg.Scenarios) {
		if s := cfg.Scenarios[name]; s.Shards > cfg.Kinesis.MaxShards {
			p.errorf(at("scenarios", "kinesis.max_shards"), "scenarios."+name+".shards", "%d is more than kinesis.max_shards %d", s.Shards, cfg.Kinesis.MaxShards)
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

// ParseFile reads a config file that stands alone (see Parse).
func ParseFile(path string) (*Config, error) {
	data, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

func readConfig(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return data, nil
}
