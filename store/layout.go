package store

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Layout is how the processed lake is partitioned: folders for the start
// of a span of event time, then one for a column's value, e.g.
// year=2026/month=11/day=25/language_id=de. A version of the lake holds
// one layout, so that readers inferring Hive partitions see one set of
// columns; its commit record names it.
type Layout struct {
	Name   string        // as glue.partitioning spells it
	Column string        // the partition column after the time folders
	Span   time.Duration // the event time one partition covers
	levels []partLevel
}

// The layouts Glue can write: the original's, and its advice for 1B/h.
var (
	DayLanguage   = Layout{"day_language", "language_id", 24 * time.Hour, []partLevel{yearLevel, monthLevel, dayLevel}}
	HourEventType = Layout{"hour_event_type", "event_type", time.Hour, []partLevel{yearLevel, monthLevel, dayLevel, hourLevel}}
	Layouts       = []Layout{DayLanguage, HourEventType}
)

// LayoutNames are the layouts' names, the default first.
func LayoutNames() []string {
	out := make([]string, len(Layouts))
	for i, l := range Layouts {
		out[i] = l.Name
	}
	return out
}

// LayoutNamed is the layout of a name; "" is the default, as in commit
// records written before layouts had names.
func LayoutNamed(name string) (Layout, error) {
	if name == "" {
		return Layouts[0], nil
	}
	for _, l := range Layouts {
		if l.Name == name {
			return l, nil
		}
	}
	return Layout{}, fmt.Errorf("no partition layout %q (want one of %s)", name, strings.Join(LayoutNames(), ", "))
}

// Partition is one folder of a layout: a span of event time and a value
// of the layout's column.
type Partition struct {
	Start, End time.Time // UTC
	Value      string
}

// PartitionOf is the partition of an event at t with the column's value.
func (l Layout) PartitionOf(t time.Time, value string) Partition {
	start := t.UTC().Truncate(l.Span)
	return Partition{start, start.Add(l.Span), value}
}

// String is the partition as logs name it: 2026-11-25/de, or
// 2026-11-25T03/lesson for an hour.
func (p Partition) String() string {
	if p.End.Sub(p.Start) < 24*time.Hour {
		return p.Start.Format("2006-01-02T15") + "/" + p.Value
	}
	return p.Start.Format(time.DateOnly) + "/" + p.Value
}

var valuePattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// dir is the folder of p relative to a version of the lake.
func (l Layout) dir(p Partition) (string, error) {
	if !valuePattern.MatchString(p.Value) {
		return "", fmt.Errorf("bad %s %q (want letters, digits, _ or -)", l.Column, p.Value)
	}
	if !p.Start.Equal(p.Start.Truncate(l.Span)) || !p.End.Equal(p.Start.Add(l.Span)) {
		return "", fmt.Errorf("partition %s is not one of layout %s", p, l.Name)
	}
	t := p.Start.UTC()
	vals := [...]int{t.Year(), int(t.Month()), t.Day(), t.Hour()}
	parts := make([]string, 0, len(l.levels)+1)
	for i, lv := range l.levels {
		parts = append(parts, lv.folder(vals[i]))
	}
	return filepath.Join(append(parts, l.valueFolder(p.Value))...), nil
}

func (l Layout) valueFolder(v string) string { return l.Column + "=" + v }

// parseValue reads a value folder of this layout strictly.
func (l Layout) parseValue(name string) (string, bool) {
	v, ok := strings.CutPrefix(name, l.Column+"=")
	return v, ok && valuePattern.MatchString(v)
}

// start is the start of the span the time folders' values name; ok is
// false for a date that does not exist (day=31 of a 30-day month).
func (l Layout) start(vals []int) (time.Time, bool) {
	hour := 0
	if len(vals) > 3 {
		hour = vals[3]
	}
	t := time.Date(vals[0], time.Month(vals[1]), vals[2], hour, 0, 0, 0, time.UTC)
	return t, t.Day() == vals[2]
}
