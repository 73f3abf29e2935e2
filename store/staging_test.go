package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"pipesim/internal/perevent"
)

const (
	shard0 = "shardId-000000000000"
	shard1 = "shardId-000000000001"
)

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func stagingFile(l *Lake, y, mo, d, h, mi int, shard string) string {
	return filepath.Join(l.Root, "datalake", "staging",
		fmt.Sprintf("year=%d", y), fmt.Sprintf("month=%d", mo), fmt.Sprintf("day=%d", d),
		fmt.Sprintf("hour=%d", h), fmt.Sprintf("minute=%d", mi), "shard-"+shard[len("shardId-"):]+".ndjson")
}

func TestStagingRoundTrip(t *testing.T) {
	l := openTestLake(t)
	w := l.NewStagingWriter()
	// Three minutes across a day boundary; the first is given with seconds
	// and in another zone.
	m0 := time.Date(2026, 11, 25, 23, 58, 0, 0, time.UTC)
	m1 := m0.Add(time.Minute)
	m2 := m0.Add(2 * time.Minute)
	want := map[string]string{}
	add := func(minute time.Time, shard, line string) {
		t.Helper()
		if err := w.Append(minute, shard, []byte(line)); err != nil {
			t.Fatal(err)
		}
		m := minute.UTC()
		p := stagingFile(l, m.Year(), int(m.Month()), m.Day(), m.Hour(), m.Minute(), shard)
		want[p] += line + "\n"
	}
	east := time.FixedZone("east", 2*3600)
	for i := range 50 {
		add(m0.Add(17*time.Second).In(east), []string{shard0, shard1}[i%2], fmt.Sprintf(`{"n":%d}`, i))
		add(m1, shard0, fmt.Sprintf(`{"m1":%d}`, i))
	}
	add(m2, shard1, `{"last":true}`)

	if err := w.CloseBefore(m2); err != nil {
		t.Fatal(err)
	}
	if len(w.a.open) != 1 {
		t.Fatalf("%d files open after CloseBefore, want 1", len(w.a.open))
	}
	for p, content := range want {
		if strings.HasSuffix(filepath.Dir(p), "minute=0") {
			continue // still open and buffered
		}
		if got := readFile(t, p); got != content {
			t.Fatalf("%s:\n%q\nwant\n%q", p, got, content)
		}
	}
	// Closed for good.
	err := w.Append(m1.Add(59*time.Second), shard0, []byte("late"))
	if want := "staging append: partition 2026-11-25T23:59:00Z is closed (closed before 2026-11-26T00:00:00Z)"; err == nil || err.Error() != want {
		t.Fatalf("late append: err = %v, want %s", err, want)
	}
	// An earlier CloseBefore does not reopen anything.
	if err := w.CloseBefore(m0); err != nil {
		t.Fatal(err)
	}
	if err := w.Append(m1, shard0, []byte("late")); err == nil {
		t.Fatal("append before an earlier CloseBefore succeeded")
	}

	files, err := l.StagingFiles(time.Time{}, m2)
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []StagingFile{
		{m0, stagingFile(l, 2026, 11, 25, 23, 58, shard0), int64(len(want[stagingFile(l, 2026, 11, 25, 23, 58, shard0)])), false},
		{m0, stagingFile(l, 2026, 11, 25, 23, 58, shard1), int64(len(want[stagingFile(l, 2026, 11, 25, 23, 58, shard1)])), false},
		{m1, stagingFile(l, 2026, 11, 25, 23, 59, shard0), int64(len(want[stagingFile(l, 2026, 11, 25, 23, 59, shard0)])), false},
	}
	if !reflect.DeepEqual(files, wantFiles) {
		t.Fatalf("StagingFiles:\n%+v\nwant\n%+v", files, wantFiles)
	}
	files, err = l.StagingFiles(m0, m2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(files, wantFiles[2:]) {
		t.Fatalf("StagingFiles(m0, m2):\n%+v\nwant\n%+v", files, wantFiles[2:])
	}
	files, err = l.StagingFiles(m1, m2)
	if err != nil || len(files) != 0 {
		t.Fatalf("StagingFiles(m1, m2) = %+v, %v; want none", files, err)
	}

	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for p, content := range want {
		if got := readFile(t, p); got != content {
			t.Fatalf("%s:\n%q\nwant\n%q", p, got, content)
		}
	}
	if err := w.Append(m2, shard0, []byte("x")); err == nil {
		t.Fatal("append after Close succeeded")
	}
	files, err = l.StagingFiles(time.Time{}, m2.Add(time.Hour))
	if err != nil || len(files) != 4 || files[3].Minute != m2 {
		t.Fatalf("all files = %+v, %v", files, err)
	}
}

func TestStagingManyShards(t *testing.T) {
	l := openTestLake(t)
	w := l.NewStagingWriter()
	m := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const shards = 3 * maxOpenFiles
	for round := range 3 {
		for s := range shards {
			if err := w.Append(m, fmt.Sprintf("shardId-%012d", s), []byte(fmt.Sprint(round))); err != nil {
				t.Fatal(err)
			}
			if len(w.a.open) > maxOpenFiles {
				t.Fatalf("%d files open, max %d", len(w.a.open), maxOpenFiles)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for s := range shards {
		if got := readFile(t, stagingFile(l, 2026, 1, 1, 0, 0, fmt.Sprintf("shardId-%012d", s))); got != "0\n1\n2\n" {
			t.Fatalf("shard %d: %q", s, got)
		}
	}
}

func TestStagingBadShard(t *testing.T) {
	l := openTestLake(t)
	w := l.NewStagingWriter()
	defer w.Close()
	for _, shard := range []string{"", "shardId-1", "shard-000000000000", "shardId-00000000000x", "shardId-0000000000000"} {
		if err := w.Append(time.Time{}, shard, []byte("x")); err == nil {
			t.Errorf("shard %q accepted", shard)
		}
	}
}

func TestStagingFilesStrict(t *testing.T) {
	m := time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)
	good := filepath.Join("year=2026", "month=3", "day=4", "hour=5", "minute=6")
	for _, bad := range []string{
		"year=0",
		"year=02026",
		"year=2026/month=03", // zero-padded: DuckDB would read it as text
		"year=2026/month=+3",
		"year=2026/month=13",
		"year=2026/month=2/day=30",
		"year=2026/month=3/day=4/hour=24",
		"year=2026/month=3/day=4/hour=5/minute=60",
		"year=2026/month=3/day=4/hour=5/minute=06",
		"year=2026/month=3/day=4/hour=5/Minute=6",
		"year=2026/month=3/day=4/hour=5/minute=6/extra",
		"year=2026/month=3/day=4/hour=5/minute=6/x.json",
	} {
		l := openTestLake(t)
		if err := os.MkdirAll(filepath.Join(l.Root, "datalake", "staging", good), 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(l.Root, "datalake", "staging", filepath.FromSlash(bad))
		var err error
		if strings.HasSuffix(bad, ".json") {
			err = os.WriteFile(p, nil, 0o644)
		} else {
			err = os.MkdirAll(p, 0o755)
		}
		if err != nil {
			t.Fatal(err)
		}
		_, err = l.StagingFiles(time.Time{}, m.Add(time.Hour))
		if err == nil || !strings.HasSuffix(err.Error(), " "+p) && !strings.HasSuffix(err.Error(), " "+p+" (no such date)") {
			t.Errorf("%s: err = %v, want one naming %s", bad, err, p)
		}
	}

	// Hidden entries are ignored; a folder out of range is not even read.
	l := openTestLake(t)
	for _, d := range []string{".tmp", "_meta", good, "year=2027/month=99"} {
		if err := os.MkdirAll(filepath.Join(l.Root, "datalake", "staging", d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	f := filepath.Join(l.Root, "datalake", "staging", good, "shard-000000000007.ndjson")
	if err := os.WriteFile(f, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	obj, err := l.WriteStagingObject(m.Add(30*time.Second), 3, []byte("{\"a\":1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.StagingFiles(m.Add(-time.Minute), m.Add(time.Minute))
	fh := filepath.Join(l.Root, "datalake", "staging", good, "firehose-00000003.ndjson")
	if want := []StagingFile{{m, fh, 8, true}, {m, f, 3, false}}; err != nil || !reflect.DeepEqual(got, want) || !reflect.DeepEqual(obj, want[0]) {
		t.Fatalf("StagingFiles = %+v, %v; want %+v", got, err, want)
	}
	if got, err := l.StagingFiles(m, m.Add(time.Hour)); err != nil || len(got) != 0 {
		t.Fatalf("StagingFiles after m = %+v, %v; want none", got, err)
	}
}

type line struct {
	no   int
	text string
}

func readAllLines(t *testing.T, path string) []line {
	t.Helper()
	var got []line
	err := ReadLines(path, func(no int, l []byte) error {
		got = append(got, line{no, string(l)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestReadLines(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.ndjson")
	if err := os.WriteFile(p, []byte("a\n\nbbb\r\ncc"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := []line{{1, "a"}, {2, ""}, {3, "bbb\r"}, {4, "cc"}}
	if got := readAllLines(t, p); !reflect.DeepEqual(got, want) {
		t.Fatalf("lines %+v, want %+v", got, want)
	}

	long1 := strings.Repeat("x", 5<<20+3)
	long2 := strings.Repeat("y", 200_001)
	if err := os.WriteFile(p, []byte(long1+"\nshort\n"+long2), 0o644); err != nil {
		t.Fatal(err)
	}
	want = []line{{1, long1}, {2, "short"}, {3, long2}}
	if got := readAllLines(t, p); !reflect.DeepEqual(got, want) {
		t.Fatalf("long lines: got %d lines, lengths differ from %d", len(got), len(want))
	}

	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readAllLines(t, p); len(got) != 0 {
		t.Fatalf("empty file: %+v", got)
	}

	if err := os.WriteFile(p, []byte("1\n2\n3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("bad json")
	err := ReadLines(p, func(no int, _ []byte) error {
		if no == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || err.Error() != p+":2: bad json" {
		t.Fatalf("err = %v", err)
	}

	missing := filepath.Join(dir, "missing.ndjson")
	if err := ReadLines(missing, func(int, []byte) error { return nil }); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("missing file: err = %v", err)
	}
}

func BenchmarkStagingAppend(b *testing.B) {
	l, err := OpenLake(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	w := l.NewStagingWriter()
	line := bytes.Repeat([]byte("x"), 300)
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	shards := []string{shard0, shard1, "shardId-000000000002", "shardId-000000000003"}
	i := 0
	c := perevent.Start(b)
	for b.Loop() {
		// A new minute every 100k lines, batches of 100 lines per shard.
		minute := start.Add(time.Duration(i/100_000) * time.Minute)
		if err := w.Append(minute, shards[(i/100)%len(shards)], line); err != nil {
			b.Fatal(err)
		}
		if i%100_000 == 0 {
			if err := w.CloseBefore(minute); err != nil {
				b.Fatal(err)
			}
		}
		i++
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(line) + 1))
	c.Done(int64(i))
}
