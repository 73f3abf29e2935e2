package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"pipesim/sim/config"
)

// A day of people at 1M/h (a 1-in-20 sample of users), asked by DuckDB:
// every session has one session:created and at most one session:ended,
// after it, whose duration is its end_time less its start_time; a user's
// events share one device and location; the lessons completed are the
// share the journeys table gives; the evening is far busier than the
// night; and every event of the catalogue happens.
func TestDuckDBPeopleLake(t *testing.T) {
	duck := duckDB(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"run", "--rate", "1M", "--duration", "24h", "--out", out, "--set", "scale.max_events_per_hour=50k"}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	cfg, err := config.ParseFile("config.yml")
	if err != nil {
		t.Fatal(err)
	}
	from := fmt.Sprintf("read_parquet('%s', hive_partitioning=true)", filepath.Join(out, "datalake", "processed", "**", "*.parquet"))
	// what began in the last hour may not have ended when the run did
	settled := fmt.Sprintf("TIMESTAMPTZ '%s'", cfg.Start.Add(23*3600e9).Format("2006-01-02 15:04:05Z"))

	var sessions []map[string]json.Number
	duck(t, fmt.Sprintf(`WITH s AS (
		SELECT session_id, min(created_at) AS first_at,
			count(DISTINCT event_uuid) FILTER (WHERE event_name = 'session:created') AS created,
			count(DISTINCT event_uuid) FILTER (WHERE event_name = 'session:ended') AS ended,
			max(created_at) FILTER (WHERE event_name = 'session:created') AS created_at,
			max(created_at) FILTER (WHERE event_name = 'session:ended') AS ended_at,
			max(start_time) AS start_time, max(end_time) AS end_time,
			max(duration) FILTER (WHERE event_name = 'session:ended') AS duration
		FROM %s WHERE session_id IS NOT NULL GROUP BY session_id) -- hint requests carry none
		SELECT count(*) AS sessions, count(*) FILTER (WHERE ended = 1) AS ended,
			count(*) FILTER (WHERE created != 1) AS not_one_created,
			count(*) FILTER (WHERE ended > 1) AS ended_twice,
			count(*) FILTER (WHERE ended = 1 AND ended_at <= created_at) AS ended_first,
			count(*) FILTER (WHERE ended = 1 AND NOT (epoch(end_time) - epoch(start_time) - duration BETWEEN 0 AND 1)) AS wrong_duration
		FROM s WHERE first_at < %s`, from, settled), &sessions)
	s := sessions[0]
	if s["sessions"].String() == "0" || s["ended"].String() == "0" || s["not_one_created"] != "0" || s["ended_twice"] != "0" ||
		s["ended_first"] != "0" || s["wrong_duration"] != "0" {
		t.Errorf("sessions: %v; want some, each created once, ended at most once and after, stating its duration", s)
	}

	var people []map[string]json.Number
	duck(t, fmt.Sprintf(`SELECT count(*) AS users, count(*) FILTER (WHERE devices > 1 OR locations > 1) AS split
		FROM (SELECT user_id, count(DISTINCT device) AS devices, count(DISTINCT user_location) AS locations
			FROM %s WHERE user_id IS NOT NULL GROUP BY user_id)`, from), &people)
	if people[0]["users"].String() == "0" || people[0]["split"] != "0" {
		t.Errorf("users: %v; want each on one device in one place", people[0])
	}

	var lessons []map[string]json.Number
	duck(t, fmt.Sprintf(`SELECT count(*) AS started, count(*) FILTER (WHERE completed) AS completed
		FROM (SELECT lesson_id, min(created_at) AS began, bool_or(event_name = 'lesson:completed') AS completed
			FROM %s WHERE event_type = 'lesson' GROUP BY lesson_id HAVING bool_or(event_name = 'lesson:started'))
		WHERE began < %s`, from, settled), &lessons)
	started, _ := lessons[0]["started"].Float64()
	completed, _ := lessons[0]["completed"].Float64()
	want := completionShare(t, cfg.Journeys)
	if got := completed / started; started < 1000 || math.Abs(got-want) > 0.02 {
		t.Errorf("%v of %v lessons started were completed (%.3f); the journeys table says %.3f", completed, started, got, want)
	}

	var hours []map[string]json.Number
	duck(t, fmt.Sprintf(`SELECT min(n) AS trough, max(n) AS peak FROM (SELECT hour(created_at) AS h, count(*) AS n FROM %s GROUP BY h)`, from), &hours)
	trough, _ := hours[0]["trough"].Float64()
	peak, _ := hours[0]["peak"].Float64()
	if trough == 0 || peak < 1.7*trough {
		t.Errorf("busiest hour %v events, quietest %v: want the peak at least 1.7× the trough", peak, trough)
	}

	var names []map[string]json.Number
	duck(t, fmt.Sprintf(`SELECT count(DISTINCT event_name) AS kinds FROM %s`, from), &names)
	if n := names[0]["kinds"].String(); n != strconv.Itoa(len(cfg.Catalog.Subtypes)) {
		t.Errorf("%s kinds of event in a day, want all %d of the catalogue", n, len(cfg.Catalog.Subtypes))
	}
}

// completionShare reads off the journeys table, by its own arithmetic,
// the chance that a lesson once started is completed: from each step, the
// chance of reaching lesson:completed before the lesson is skipped, a new
// one starts or the session ends.
func completionShare(t *testing.T, j config.Journeys) float64 {
	p := map[string]float64{"lesson:completed": 1}
	stops := map[string]bool{"lesson:completed": true, "lesson:skipped": true, "lesson:started": true, config.End: true}
	for range 10_000 {
		for _, name := range j.Order {
			if stops[name] {
				continue
			}
			var v float64
			for _, w := range j.Steps[name].Next {
				v += w.P * p[w.Event]
			}
			p[name] = v
		}
	}
	var share float64
	for _, w := range j.Steps["lesson:started"].Next {
		share += w.P * p[w.Event]
	}
	if share <= 0 || share >= 1 {
		t.Fatalf("the table completes %.3f of lessons: nothing to test", share)
	}
	return share
}

// The README's "Query the lake" section runs each of its queries on the
// lake of its own command and shows DuckDB's answer: they must be what
// DuckDB answers.
func TestReadmeQueries(t *testing.T) {
	duck := duckDB(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## Query the lake\n")
	section, _, _ = strings.Cut(section, "\n## ")
	command := regexp.MustCompile(`(?m)^go run \. (run .*)$`).FindStringSubmatch(section)
	blocks := regexp.MustCompile("(?s)```sql\n(.*?)```\n\n((?:\\|[^\n]*\n)+)").FindAllStringSubmatch(section, -1)
	if command == nil || len(blocks) < 5 {
		t.Fatalf("README's Query the lake: command %q, %d queries with answers; want a run and five", command, len(blocks))
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := strings.Fields(strings.Replace(command[1], "--out lake", "--out "+out, 1))
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("%s: exit %d: %s", command[1], code, stderr.String())
	}
	for _, b := range blocks {
		query := strings.ReplaceAll(b[1], "'lake/", "'"+out+"/")
		var rows []orderedRow
		duck(t, query, &rows)
		if got := markdownTable(rows); got != b[2] {
			t.Errorf("README query\n%s\nanswers\n%s\nDuckDB says\n%s", b[1], b[2], got)
		}
	}
}

// orderedRow is a row of DuckDB's JSON answer, its columns in order.
type orderedRow struct {
	names, values []string
}

func (r *orderedRow) UnmarshalJSON(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if _, err := d.Token(); err != nil { // {
		return err
	}
	for d.More() {
		name, err := d.Token()
		if err != nil {
			return err
		}
		var v any
		if err := d.Decode(&v); err != nil {
			return err
		}
		r.names = append(r.names, name.(string))
		r.values = append(r.values, fmt.Sprint(v))
	}
	return nil
}

// markdownTable renders rows as the README shows them.
func markdownTable(rows []orderedRow) string {
	if len(rows) == 0 {
		return "| (no rows) |\n"
	}
	var b strings.Builder
	line := func(cells []string) { b.WriteString("| " + strings.Join(cells, " | ") + " |\n") }
	line(rows[0].names)
	rule := make([]string, len(rows[0].names))
	for i := range rule {
		rule[i] = "---"
	}
	line(rule)
	for _, r := range rows {
		line(r.values)
	}
	return b.String()
}
