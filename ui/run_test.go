package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"pipesim/sim"

	"github.com/charmbracelet/x/ansi"
)

// Run is the real program: it polls the source, draws, sends commands for
// keys, and returns nil on q.
func TestRunQuitsCleanly(t *testing.T) {
	src := &fakeSource{snap: fakeSnapshot()}
	in, keys := io.Pipe()
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), src, Options{Input: in, Output: out, Width: 80, Height: 24, TickEvery: 10 * time.Millisecond})
	}()
	waitFor(t, out, "Staging")
	if _, err := keys.Write([]byte("c")); err != nil {
		t.Fatal(err)
	}
	// (the renderer draws only changed cells, so the toast's text need not
	// appear in one piece in the stream: check the command instead)
	for deadline := time.Now().Add(10 * time.Second); len(src.commands()) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("c never sent a command")
		}
	}
	if _, err := keys.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run returned %v on q", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after q")
	}
	keys.Close()
	if got := src.commands(); len(got) != 1 || got[0] != (sim.Command{Kind: sim.CmdCompact}) {
		t.Errorf("sent %v, want one CmdCompact", got)
	}
}

// lockedBuffer is the program's output, readable while it runs.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until the program has drawn text (10 s at most).
func waitFor(t *testing.T, out *lockedBuffer, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(ansi.Strip(out.String()), text) {
		if time.Now().After(deadline) {
			t.Fatalf("the program never drew %q; output:\n%.3000s", text, ansi.Strip(out.String()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRunStopsWithContext(t *testing.T) {
	src := &fakeSource{snap: fakeSnapshot()}
	in, keys := io.Pipe()
	defer keys.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, src, Options{Input: in, Output: io.Discard, Width: 80, Height: 24})
	}()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return when its context ended")
	}
}
