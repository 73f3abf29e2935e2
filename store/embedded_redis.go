package store

import (
	"fmt"
	"sync"

	"github.com/alicebob/miniredis/v2"
)

// EmbeddedRedis is an in-process miniredis server listening on loopback TCP,
// the ledger's default backend. (miniredis' in-memory m.Dial pipe deadlocks
// go-redis pipelines of about 50 commands or more; TCP does not.)
type EmbeddedRedis struct {
	mu     sync.Mutex
	m      *miniredis.Miniredis
	paused bool
}

// StartEmbeddedRedis starts miniredis on 127.0.0.1 on a free port.
func StartEmbeddedRedis() (*EmbeddedRedis, error) {
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("start embedded Redis on 127.0.0.1:0: %w", err)
	}
	return &EmbeddedRedis{m: m}, nil
}

// URL is the server's address, redis://127.0.0.1:PORT.
func (e *EmbeddedRedis) URL() string { return "redis://" + e.m.Addr() }

// Pause makes the server stop answering: it stops listening and drops its
// connections, keeping its data. Clients get refused connections until
// Resume. Pausing a paused server does nothing.
func (e *EmbeddedRedis) Pause() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.m.Close()
	e.paused = true
}

// Resume listens again on the same address, with the data it held when
// paused. Resuming a running server does nothing.
func (e *EmbeddedRedis) Resume() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.paused {
		return nil
	}
	if err := e.m.Restart(); err != nil {
		return fmt.Errorf("resume embedded Redis on %s: %w", e.m.Addr(), err)
	}
	e.paused = false
	return nil
}

// Close stops the server for good.
func (e *EmbeddedRedis) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.m.Close()
}
