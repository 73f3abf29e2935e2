package store

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestWatermarkRoundTrip(t *testing.T) {
	l := openTestLake(t)
	wm, err := l.LoadWatermark()
	if err != nil || wm != (Watermark{}) {
		t.Fatalf("absent watermark = %+v, %v; want zero", wm, err)
	}
	east := time.FixedZone("east", 3*3600)
	in := Watermark{Through: time.Date(2026, 11, 25, 13, 5, 0, 0, east), Runs: 3}
	if err := l.SaveWatermark(in); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(l.Root, "datalake", "_state", "watermark.json")
	if got, want := readFile(t, path), `{"through":"2026-11-25T10:05:00Z","runs":3}`+"\n"; got != want {
		t.Fatalf("file %q, want %q", got, want)
	}
	if got := dirNames(t, filepath.Dir(path)); !reflect.DeepEqual(got, []string{"watermark.json"}) {
		t.Fatalf("state folder holds %q", got)
	}
	wm, err = l.LoadWatermark()
	want := Watermark{Through: time.Date(2026, 11, 25, 10, 5, 0, 0, time.UTC), Runs: 3}
	if err != nil || wm != want {
		t.Fatalf("loaded %+v, %v; want %+v", wm, err, want)
	}
	in = Watermark{Through: want.Through.Add(time.Minute), Runs: 4}
	if err := l.SaveWatermark(in); err != nil {
		t.Fatal(err)
	}
	if wm, err := l.LoadWatermark(); err != nil || wm != in {
		t.Fatalf("loaded %+v, %v; want %+v", wm, err, in)
	}
}

func TestWatermarkCorrupt(t *testing.T) {
	l := openTestLake(t)
	path := filepath.Join(l.Root, "datalake", "_state", "watermark.json")
	for _, body := range []string{
		"",
		`{"through":"2026-11-25T10:05:00Z","runs":3`,
		`{"through":"yesterday","runs":3}`,
		`{"through":"2026-11-25T10:05:00Z","runs":3,"extra":1}`,
		`{"through":"2026-11-25T10:05:00Z","runs":3} {}`,
		`[]`,
	} {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := l.LoadWatermark()
		if err == nil || !strings.HasPrefix(err.Error(), "load watermark "+path+": ") {
			t.Errorf("%q: err = %v, want one naming %s", body, err, path)
		}
	}
}
