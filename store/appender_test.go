package store

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Lines reach their files whole and in order, across buffers handed to
// the writer, evictions and reopenings, once the files are closed.
func TestAppenderWritesInOrder(t *testing.T) {
	dir := t.TempDir()
	a := newAppender(func(k fileKey) (string, error) { return filepath.Join(dir, k.shard), nil })
	var want [3]bytes.Buffer
	line := bytes.Repeat([]byte("x"), 1000)
	for i := range 3 * appendBufferSize / 100 { // several buffers a file
		n := i % 3
		l := append([]byte(strings.Repeat("y", i%7)), line[:i%1000]...)
		if err := a.appendLine(fileKey{shard: string(rune('a' + n))}, l); err != nil {
			t.Fatal(err)
		}
		want[n].Write(l)
		want[n].WriteByte('\n')
		if i%1000 == 999 {
			if err := a.closeWhere(func(k fileKey) bool { return k.shard == "b" }); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := a.close(); err != nil {
		t.Fatal(err)
	}
	for n := range want {
		got, err := os.ReadFile(filepath.Join(dir, string(rune('a'+n))))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want[n].Bytes()) {
			t.Errorf("file %c: %d bytes, want %d", 'a'+n, len(got), want[n].Len())
		}
	}
	if err := a.appendLine(fileKey{shard: "a"}, line); err == nil {
		t.Error("an append after close succeeded")
	}
}

// A write that fails on the writer's goroutine (a full disk: /dev/full)
// fails the next append and the close, naming the file.
func TestAppenderReportsWriteErrors(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	a := newAppender(func(fileKey) (string, error) { return "/dev/full", nil })
	line := bytes.Repeat([]byte("z"), 1000)
	var err error
	for range 10 * appendBufferSize / len(line) {
		if err = a.appendLine(fileKey{shard: "s"}, line); err != nil {
			break
		}
	}
	if err == nil || !strings.Contains(err.Error(), "/dev/full") || !strings.Contains(err.Error(), "no space left") {
		t.Errorf("append after a failed write: %v, want the file and its error", err)
	}
	if err := a.close(); err == nil || !strings.Contains(err.Error(), "/dev/full") {
		t.Errorf("close: %v, want the failed write", err)
	}
}
