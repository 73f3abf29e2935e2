package store

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestWriteReport(t *testing.T) {
	l := openTestLake(t)
	dir := filepath.Join(l.Root, "cloudwatch_reports")
	path, err := l.WriteReport("report-2026-11-25T1000Z.md", []byte("# one\n"))
	if want := filepath.Join(dir, "report-2026-11-25T1000Z.md"); err != nil || path != want {
		t.Fatalf("WriteReport = %q, %v; want %q", path, err, want)
	}
	if _, err := l.WriteReport("report-2026-11-25T1000Z.md", []byte("# two\n")); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "# two\n" {
		t.Fatalf("report holds %q", got)
	}
	if got := dirNames(t, dir); !reflect.DeepEqual(got, []string{"report-2026-11-25T1000Z.md"}) {
		t.Fatalf("reports folder holds %q", got)
	}
	for _, name := range []string{"", "../x.md", "a/b.md", ".hidden.md", ".."} {
		_, err := l.WriteReport(name, nil)
		if err == nil || !strings.HasPrefix(err.Error(), "write report in "+dir+": ") {
			t.Errorf("name %q: err = %v", name, err)
		}
	}
}
