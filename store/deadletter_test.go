package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestDeadLetters(t *testing.T) {
	l := openTestLake(t)
	w := l.NewDeadLetterWriter()
	at := time.Date(2026, 11, 25, 9, 59, 59, 999_000_000, time.FixedZone("east", 3600))
	writes := []struct {
		at                    time.Time
		shard, reason, detail string
		record                string
	}{
		{at, shard0, "invalid_json", "unexpected end of JSON input", `{"event_uuid":`},
		{at.Add(time.Millisecond), shard0, "unknown_event_type", `type "x<y>" not in catalogue`, `{"event_type":"x<y>"}`},
		{at.Add(2 * time.Second), shard1, "bad_base64", "illegal base64 data at input byte 4", ""},
	}
	for _, d := range writes {
		if err := w.Write(d.at, d.shard, d.reason, d.detail, []byte(d.record)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(l.Root, "datalake", "dlq", "year=2026", "month=11", "day=25")
	want := map[string]string{
		filepath.Join(dir, "hour=8", "dlq-shard-000000000000.ndjson"): `{"reason":"invalid_json","detail":"unexpected end of JSON input","shard":"shardId-000000000000","at":"2026-11-25T08:59:59.999Z","data_base64":"eyJldmVudF91dWlkIjo="}` + "\n",
		filepath.Join(dir, "hour=9", "dlq-shard-000000000000.ndjson"): `{"reason":"unknown_event_type","detail":"type \"x\u003cy\u003e\" not in catalogue","shard":"shardId-000000000000","at":"2026-11-25T09:00:00Z","data_base64":"eyJldmVudF90eXBlIjoieDx5PiJ9"}` + "\n",
		filepath.Join(dir, "hour=9", "dlq-shard-000000000001.ndjson"): `{"reason":"bad_base64","detail":"illegal base64 data at input byte 4","shard":"shardId-000000000001","at":"2026-11-25T09:00:01.999Z","data_base64":""}` + "\n",
	}
	for p, content := range want {
		if got := readFile(t, p); got != content {
			t.Errorf("%s:\n%s\nwant\n%s", p, got, content)
		}
	}
	if err := w.Write(at, "shard-7", "r", "d", nil); err == nil {
		t.Error("bad shard ID accepted")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(at, shard0, "r", "d", nil); err == nil {
		t.Error("Write after Close succeeded")
	}
}

func TestQuarantineIsOneFileARun(t *testing.T) {
	l, err := OpenLake(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 25, 1, 2, 3, 0, time.UTC)
	line, err := DeadLetterLine(at, "shardId-000000000000", "bad_staging_line", "f.ndjson:3: bad_json", []byte("{"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"reason":"bad_staging_line","detail":"f.ndjson:3: bad_json","shard":"shardId-000000000000","at":"2026-11-25T01:02:03Z","data_base64":"ew=="}`
	if string(line) != want {
		t.Errorf("line %s, want %s", line, want)
	}
	if err := l.WriteQuarantine(7, append(line, '\n')); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(l.Root, "datalake", "quarantine", "run-00007.ndjson")
	if b, err := os.ReadFile(path); err != nil || string(b) != want+"\n" {
		t.Fatalf("%s: %q, %v", path, b, err)
	}
	if err := l.DiscardQuarantine(7); err != nil {
		t.Fatal(err)
	}
	if err := l.DiscardQuarantine(8); err != nil {
		t.Errorf("discarding a run without quarantine: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s still there after discard (%v)", path, err)
	}
}
