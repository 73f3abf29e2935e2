package store

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestWriteReport(t *testing.T) {
	l := openTestLake(t)
	dir := filepath.Join(l.Root, "cloudwatch_reports")
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	path, err := l.WriteReport(at, false, []byte("# one\n"))
	if want := filepath.Join(dir, "cloudwatch-2026-11-25T09-00-00Z.md"); err != nil || path != want {
		t.Fatalf("WriteReport = %q, %v; want %q", path, err, want)
	}
	if _, err := l.WriteReport(at, false, []byte("# two\n")); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "# two\n" {
		t.Fatalf("report holds %q", got)
	}
	final, err := l.WriteReport(at, true, []byte("# last\n"))
	if want := filepath.Join(dir, "cloudwatch-2026-11-25T09-00-00Z-final.md"); err != nil || final != want {
		t.Fatalf("final WriteReport = %q, %v; want %q", final, err, want)
	}
	want := []string{"cloudwatch-2026-11-25T09-00-00Z-final.md", "cloudwatch-2026-11-25T09-00-00Z.md"}
	if got := dirNames(t, dir); !reflect.DeepEqual(got, want) {
		t.Fatalf("reports folder holds %q, want %q", got, want)
	}
	for _, name := range want {
		if !isReportName(name) {
			t.Errorf("isReportName(%q) = false", name)
		}
	}
	for _, name := range []string{"cloudwatch-2026-11-25T09:00:00Z.md", "cloudwatch-2026-11-25.md", "notes.md", "cloudwatch-2026-11-25T09-00-00Z-final.txt"} {
		if isReportName(name) {
			t.Errorf("isReportName(%q) = true", name)
		}
	}
}
