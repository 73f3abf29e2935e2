package config

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"
)

// A reader reads one value from a yaml node: it records a problem and
// returns false, or returns the value and true.
type reader[T any] func(p *parser, n *yaml.Node, path string) (T, bool)

func resolveAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
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

// scalar returns n when it is a scalar with one of tags, and records a
// problem otherwise.
func (p *parser) scalar(n *yaml.Node, path, want string, tags ...string) (*yaml.Node, bool) {
	n = resolveAlias(n)
	if n.Kind == yaml.ScalarNode && slices.Contains(tags, n.ShortTag()) {
		return n, true
	}
	p.errorf(n, path, "want %s, got %s", want, describeNode(n))
	return n, false
}

func text(p *parser, n *yaml.Node, path string) (string, bool) {
	n, ok := p.scalar(n, path, "a string", "!!str")
	return n.Value, ok
}

func boolean(p *parser, n *yaml.Node, path string) (bool, bool) {
	n, ok := p.scalar(n, path, "true or false", "!!bool")
	return n.Value == "true", ok
}

// orNever reads -1 (never: returned as a negative duration) or what read
// reads.
func orNever(read reader[time.Duration]) reader[time.Duration] {
	return func(p *parser, n *yaml.Node, path string) (time.Duration, bool) {
		if r := resolveAlias(n); r.Kind == yaml.ScalarNode && r.Value == "-1" {
			return -1, true
		}
		return read(p, n, path)
	}
}

// orAuto reads "auto" (returned as 0: pipesim chooses) or what read reads.
func orAuto(read reader[int]) reader[int] {
	return func(p *parser, n *yaml.Node, path string) (int, bool) {
		if r := resolveAlias(n); r.Kind == yaml.ScalarNode && r.Value == "auto" {
			return 0, true
		}
		return read(p, n, path)
	}
}

func nonEmpty(p *parser, n *yaml.Node, path string) (string, bool) {
	s, ok := text(p, n, path)
	if ok && s == "" {
		p.errorf(resolveAlias(n), path, "must not be empty")
		return "", false
	}
	return s, ok
}

func oneOf(values ...string) reader[string] {
	return func(p *parser, n *yaml.Node, path string) (string, bool) {
		s, ok := text(p, n, path)
		if ok && !slices.Contains(values, s) {
			p.errorf(resolveAlias(n), path, "want %s, got %q", orList(values), s)
			return "", false
		}
		return s, ok
	}
}

// orList reads "a or b", "a, b or c".
func orList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

func wholeIn[T int | int64](lo, hi T) reader[T] {
	return func(p *parser, n *yaml.Node, path string) (T, bool) {
		n, ok := p.scalar(n, path, "a whole number", "!!int")
		if !ok {
			return 0, false
		}
		var v int64
		if err := n.Load(&v); err != nil {
			p.errorf(n, path, "want a whole number, got %s", describeNode(n))
			return 0, false
		}
		switch {
		case v < int64(lo) && hi == noMax:
			p.errorf(n, path, "must be at least %d, got %d", lo, v)
		case v < int64(lo) || v > int64(hi):
			p.errorf(n, path, "must be between %d and %d, got %d", lo, hi, v)
		default:
			return T(v), true
		}
		return 0, false
	}
}

func seed(p *parser, n *yaml.Node, path string) (uint64, bool) {
	n, ok := p.scalar(n, path, "a whole number", "!!int")
	if !ok {
		return 0, false
	}
	var v uint64
	if err := n.Load(&v); err != nil {
		p.errorf(n, path, "want a whole number from 0 to %d, got %s", uint64(math.MaxUint64), describeNode(n))
		return 0, false
	}
	return v, true
}

func number(p *parser, n *yaml.Node, path string) (float64, bool) {
	n, ok := p.scalar(n, path, "a number", "!!int", "!!float")
	if !ok {
		return 0, false
	}
	var v float64
	if err := n.Load(&v); err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		p.errorf(n, path, "want a finite number, got %s", describeNode(n))
		return 0, false
	}
	return v, true
}

var probability = shareIn(0, 1)

// shareIn is a number from lo to hi.
func shareIn(lo, hi float64) reader[float64] {
	return func(p *parser, n *yaml.Node, path string) (float64, bool) {
		v, ok := number(p, n, path)
		if ok && (v < lo || v > hi) {
			p.errorf(resolveAlias(n), path, "must be between %v and %v, got %v", lo, hi, v)
			return 0, false
		}
		return v, ok
	}
}

// weight is a relative share: any number above 0.
func weight(p *parser, n *yaml.Node, path string) (float64, bool) {
	v, ok := number(p, n, path)
	if ok && v <= 0 {
		p.errorf(resolveAlias(n), path, "must be greater than 0, got %v", v)
		return 0, false
	}
	return v, ok
}

func durationIn(lo, hi time.Duration) reader[time.Duration] {
	return func(p *parser, n *yaml.Node, path string) (time.Duration, bool) {
		const want = "a duration like 10s, 90m or 24h"
		n, ok := p.scalar(n, path, want, "!!str", "!!int")
		if !ok {
			return 0, false
		}
		v, err := time.ParseDuration(n.Value)
		switch {
		case err != nil:
			p.errorf(n, path, "want %s, got %s", want, describeNode(n))
		case v < lo:
			p.errorf(n, path, "must be at least %s, got %s", ShortDuration(lo), n.Value)
		case v > hi && hi == MaxSimulated:
			p.errorf(n, path, "must be at most %s (366 days, the most pipesim simulates), got %s", ShortDuration(hi), n.Value)
		case v > hi:
			p.errorf(n, path, "must be at most %s, got %s", ShortDuration(hi), n.Value)
		default:
			return v, true
		}
		return 0, false
	}
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

// price is an amount in USD, 0 or more.
var price = shareIn(0, 1e6)

// date is a day, 2006-01-02.
func date(p *parser, n *yaml.Node, path string) (string, bool) {
	const want = "a date like 2026-12-04"
	n, ok := p.scalar(n, path, want, "!!timestamp", "!!str")
	if !ok {
		return "", false
	}
	if _, err := time.Parse(time.DateOnly, n.Value); err != nil {
		p.errorf(n, path, "want %s, got %s", want, describeNode(n))
		return "", false
	}
	return n.Value, true
}

func timestamp(p *parser, n *yaml.Node, path string) (time.Time, bool) {
	const want = "a time like 2026-11-25T00:00:00Z"
	n, ok := p.scalar(n, path, want, "!!timestamp", "!!str")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, n.Value)
	if err != nil {
		p.errorf(n, path, "want %s, got %s", want, describeNode(n))
		return time.Time{}, false
	}
	return t.UTC(), true
}

// scaled reads a scalar with parse (ParseRate, ParseBytes).
func scaled(want string, parse func(string) (int64, error)) reader[int64] {
	return func(p *parser, n *yaml.Node, path string) (int64, bool) {
		n, ok := p.scalar(n, path, want, "!!str", "!!int", "!!float")
		if !ok {
			return 0, false
		}
		v, err := parse(n.Value)
		if err != nil {
			p.errorf(n, path, "%v", err)
			return 0, false
		}
		return v, true
	}
}

var (
	rate = scaled("events per hour like 1000, 500k or 1M", ParseRate)
	size = scaled("a size like 1048576, 512MiB or 1GB", ParseBytes)
)

// awsSizeIn reads a size from lo to hi bytes, both whole MiB, of a
// setting AWS gives in MB and means 2^20 bytes by (a Lambda's memory,
// Firehose's buffer): there 256MB is 256MiB, billed as 0.25 GB.
func awsSizeIn(lo, hi int64) reader[int64] {
	mib := func(b int64) string { return strconv.FormatInt(b>>20, 10) + "MiB" }
	read := scaled("a size like 256MB (AWS's MB: 2^20 bytes), 512MiB or 1GB", func(s string) (int64, error) {
		t := strings.TrimSpace(s)
		for _, u := range []string{"MB", "GB"} {
			if num, ok := strings.CutSuffix(t, u); ok {
				t = num + u[:1] + "iB"
			}
		}
		return ParseBytes(t)
	})
	return func(p *parser, n *yaml.Node, path string) (int64, bool) {
		v, ok := read(p, n, path)
		if ok && (v < lo || v > hi) {
			p.errorf(n, path, "must be between %s and %s, got %s", mib(lo), mib(hi), n.Value)
			return 0, false
		}
		return v, ok
	}
}

// pairOf reads a list [min, max] of two values with min ≤ max.
func pairOf[T cmp.Ordered](read reader[T]) reader[[2]T] {
	return func(p *parser, n *yaml.Node, path string) ([2]T, bool) {
		var v [2]T
		n = resolveAlias(n)
		if n.Kind != yaml.SequenceNode || len(n.Content) != 2 {
			p.errorf(n, path, "want a list [min, max], got %s", describeNode(n))
			return v, false
		}
		var ok [2]bool
		for i := range v {
			v[i], ok[i] = read(p, n.Content[i], fmt.Sprintf("%s[%d]", path, i))
		}
		if !ok[0] || !ok[1] {
			return v, false
		}
		if v[0] > v[1] {
			p.errorf(n, path, "min %s is greater than max %s", resolveAlias(n.Content[0]).Value, resolveAlias(n.Content[1]).Value)
			return v, false
		}
		return v, true
	}
}

// listOf reads a list of at least one value.
func listOf[T any](read reader[T]) reader[[]T] {
	return func(p *parser, n *yaml.Node, path string) ([]T, bool) {
		n = resolveAlias(n)
		if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
			p.errorf(n, path, "want a list of at least one value, got %s", describeNode(n))
			return nil, false
		}
		vs := make([]T, len(n.Content))
		all := true
		for i, e := range n.Content {
			var ok bool
			vs[i], ok = read(p, e, fmt.Sprintf("%s[%d]", path, i))
			all = all && ok
		}
		return vs, all
	}
}
