package store

import (
	"fmt"

	"github.com/alicebob/miniredis/v2"
)

// EmbeddedRedis is an in-process miniredis server listening on loopback TCP,
// the ledger's default backend. (miniredis' in-memory m.Dial pipe deadlocks
// go-redis pipelines of about 50 commands or more; TCP does not.)
type EmbeddedRedis struct {
	m *miniredis.Miniredis
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

// Close stops the server for good.
func (e *EmbeddedRedis) Close() { e.m.Close() }
