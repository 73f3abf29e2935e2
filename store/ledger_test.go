package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"pipesim/store/redistest"
)

const (
	testTTL    = time.Hour
	testWidth  = 15 * time.Minute // testTTL / testBuckets
	testPrefix = "test:ledger:"
)

var (
	testOpts = LedgerOptions{TTL: testTTL, Buckets: 4, KeyPrefix: testPrefix}
	// t0 lies half-way into the bucket [10:00, 10:15).
	t0 = time.Date(2026, 11, 2, 10, 7, 30, 0, time.UTC)
)

// ledgerBackend is a Redis server for one test, with an independent client to
// look at what it holds and a way to make it stop answering.
type ledgerBackend struct {
	url     string
	addr    string
	inspect *redis.Client
	pause   func(testing.TB)
	resume  func(testing.TB)
}

// forEachLedgerBackend runs fn against a fresh embedded miniredis and a fresh
// real redis-server.
func forEachLedgerBackend(t *testing.T, fn func(t *testing.T, b *ledgerBackend)) {
	t.Run("miniredis", func(t *testing.T) { fn(t, startLedgerMiniredis(t)) })
	t.Run("redis-server", func(t *testing.T) { fn(t, startLedgerRedisServer(t)) })
}

func startLedgerMiniredis(tb testing.TB) *ledgerBackend {
	tb.Helper()
	e, err := StartEmbeddedRedis()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(e.Close)
	b := newLedgerBackend(tb, e.URL())
	// Closing miniredis stops its listener and drops its connections but
	// keeps its data; Restart listens again on the same address.
	b.pause = func(testing.TB) { e.m.Close() }
	b.resume = func(tb testing.TB) {
		if err := e.m.Restart(); err != nil {
			tb.Fatal(err)
		}
	}
	return b
}

// startLedgerRedisServer runs a real redis-server; pausing it is SIGSTOP, so
// clients hit their timeouts.
func startLedgerRedisServer(tb testing.TB) *ledgerBackend {
	tb.Helper()
	srv := redistest.Start(tb)
	b := newLedgerBackend(tb, srv.URL)
	b.pause, b.resume = srv.Pause, srv.Resume
	return b
}

func newLedgerBackend(tb testing.TB, url string) *ledgerBackend {
	tb.Helper()
	opt, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatal(err)
	}
	opt.DisableIdentity = true
	inspect := redis.NewClient(opt)
	tb.Cleanup(func() { _ = inspect.Close() })
	return &ledgerBackend{url: url, addr: opt.Addr, inspect: inspect}
}

func openTestLedger(tb testing.TB, b *ledgerBackend, opt LedgerOptions) *RedisLedger {
	tb.Helper()
	l, err := OpenRedisLedger(context.Background(), b.url, opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = l.Close() })
	return l
}

// uid makes a uuid from n; small n leave most bytes zero.
func uid(n int) [16]byte {
	var id [16]byte
	id[0] = byte(n >> 8)
	id[15] = byte(n)
	return id
}

func uids(ns ...int) [][16]byte {
	ids := make([][16]byte, len(ns))
	for i, n := range ns {
		ids[i] = uid(n)
	}
	return ids
}

// keysUnder lists the keys under prefix as Redis holds them, sorted.
func keysUnder(t *testing.T, c *redis.Client, prefix string) []string {
	t.Helper()
	keys, err := c.Keys(context.Background(), globEscape(prefix)+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

// membersUnder is the sum of SCARD over the keys under prefix.
func membersUnder(t *testing.T, c *redis.Client, prefix string) int64 {
	t.Helper()
	var n int64
	for _, k := range keysUnder(t, c, prefix) {
		card, err := c.SCard(context.Background(), k).Result()
		if err != nil {
			t.Fatal(err)
		}
		n += card
	}
	return n
}

type ledgerStep struct {
	at      time.Duration // simulated time after t0
	ids     [][16]byte
	want    []bool
	wantLen int64
}

func TestLedgerAnswers(t *testing.T) {
	const F, T = false, true
	zero, ones := [16]byte{}, [16]byte{}
	for i := range ones {
		ones[i] = 0xff
	}
	var glob [16]byte
	copy(glob[:], "*?[]\\\r\n\x00 end")
	cases := []struct {
		name  string
		steps []ledgerStep
	}{
		{"first sight then repeat", []ledgerStep{
			{0, uids(1, 2), []bool{F, F}, 2},
			{time.Second, uids(2, 3, 1), []bool{T, F, T}, 3},
		}},
		{"repeat within one batch", []ledgerStep{
			{0, uids(1, 1, 2, 1), []bool{F, T, F, T}, 2},
			{time.Second, uids(2, 1), []bool{T, T}, 2},
		}},
		{"remembered for the TTL", []ledgerStep{
			{0, uids(1), []bool{F}, 1},
			{testTTL - time.Second, uids(1), []bool{T}, 1},
		}},
		{"forgotten after TTL plus a bucket", []ledgerStep{
			{0, uids(1), []bool{F}, 1},
			{testTTL + testWidth + time.Second, uids(1), []bool{F}, 1},
		}},
		{"window ends at a bucket edge", []ledgerStep{
			{0, uids(1), []bool{F}, 1},                                        // 10:07:30
			{testTTL + 7*time.Minute + 29*time.Second, uids(1), []bool{T}, 1}, // 11:14:59
			{testTTL + 7*time.Minute + 30*time.Second, uids(1), []bool{F}, 1}, // 11:15:00
		}},
		{"a repeat does not extend memory", []ledgerStep{
			{0, uids(1), []bool{F}, 1},
			{50 * time.Minute, uids(1), []bool{T}, 1},
			{testTTL + 7*time.Minute + 30*time.Second, uids(1), []bool{F}, 1},
		}},
		{"binary members", []ledgerStep{
			{0, [][16]byte{zero, ones, uid(1), glob}, []bool{F, F, F, F}, 4},
			{time.Second, [][16]byte{uid(1), zero, uid(256), glob, ones}, []bool{T, T, F, T, T}, 5},
		}},
		{"an earlier time counts as the latest", []ledgerStep{
			{0, uids(1), []bool{F}, 1},
			{testTTL + testWidth, uids(2), []bool{F}, 1},
			{0, uids(1, 2), []bool{F, T}, 2},
			{time.Second, uids(1), []bool{T}, 2},
		}},
		{"an empty batch moves time", []ledgerStep{
			{0, uids(1, 2), []bool{F, F}, 2},
			{testTTL + testWidth, nil, []bool{}, 0},
			{testTTL + testWidth, uids(1), []bool{F}, 1},
		}},
		{"buckets fall out one by one", []ledgerStep{
			{0, uids(1), []bool{F}, 1},
			{15 * time.Minute, uids(2), []bool{F}, 2},
			{30 * time.Minute, uids(3), []bool{F}, 3},
			{45 * time.Minute, uids(4), []bool{F}, 4},
			{60 * time.Minute, uids(5, 1), []bool{F, T}, 5},
			{67*time.Minute + 30*time.Second, uids(6, 1, 2), []bool{F, F, T}, 6},
		}},
	}
	forEachLedgerBackend(t, func(t *testing.T, b *ledgerBackend) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				l := openTestLedger(t, b, testOpts)
				ctx := context.Background()
				for i, s := range tc.steps {
					seen := make([]bool, len(s.ids))
					if err := l.CheckAndAdd(ctx, t0.Add(s.at), s.ids, seen); err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
					if !slices.Equal(seen, s.want) {
						t.Errorf("step %d: seen %v, want %v", i, seen, s.want)
					}
					n, err := l.Len(ctx)
					if err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
					if n != s.wantLen {
						t.Errorf("step %d: Len %d, want %d", i, n, s.wantLen)
					}
					if held := membersUnder(t, b.inspect, l.ns); held != n {
						t.Errorf("step %d: Redis holds %d members, Len says %d", i, held, n)
					}
				}
			})
		}
	})
}

// The ledger keeps one set, without a Redis expiry; a bucket that falls out
// of the window takes its uuids out of the set, and when all do the set goes.
func TestLedgerLiveSet(t *testing.T) {
	forEachLedgerBackend(t, func(t *testing.T, b *ledgerBackend) {
		l := openTestLedger(t, b, testOpts)
		ctx := context.Background()
		step := func(at time.Duration, ids ...int) {
			t.Helper()
			if err := l.CheckAndAdd(ctx, t0.Add(at), uids(ids...), make([]bool, len(ids))); err != nil {
				t.Fatal(err)
			}
		}
		if want := testPrefix + "run1:"; l.ns != want {
			t.Fatalf("namespace %q on a fresh server, want %q", l.ns, want)
		}
		live := l.ns + "live"
		wantHeld := func(ids ...int) {
			t.Helper()
			if n, err := l.Len(ctx); err != nil || n != int64(len(ids)) {
				t.Errorf("Len = %d, %v; want %d", n, err, len(ids))
			}
			var wantKeys []string
			if len(ids) > 0 {
				wantKeys = []string{live}
			}
			if got := keysUnder(t, b.inspect, l.ns); !slices.Equal(got, wantKeys) {
				t.Errorf("keys %q, want %q", got, wantKeys)
			}
			var want []string
			for _, id := range uids(ids...) {
				want = append(want, string(id[:]))
			}
			got, err := b.inspect.SMembers(ctx, live).Result()
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("members %q, want %q", got, want)
			}
		}
		step(0, 1, 2)
		step(15*time.Minute, 3)
		step(30*time.Minute, 4)
		wantHeld(1, 2, 3, 4)
		if ttl, err := b.inspect.TTL(ctx, live).Result(); err != nil || ttl != -1 {
			t.Errorf("TTL of %s = %v, %v; want -1 (no Redis expiry)", live, ttl, err)
		}
		step(testTTL+7*time.Minute+30*time.Second, 5) // 11:15: the first bucket falls out
		wantHeld(3, 4, 5)
		step(3*testTTL, 6) // everything before falls out at once
		wantHeld(6)
		step(5 * testTTL)
		wantHeld()
	})
}

// Runs sharing a server (two workshop attendees on one Redis) each get a
// namespace of their own, and delete only their own keys.
func TestLedgerOwnsItsNamespace(t *testing.T) {
	const prefix = "led*ger:" // glob characters must be taken literally
	opts := LedgerOptions{TTL: testTTL, Buckets: 4, KeyPrefix: prefix}
	forEachLedgerBackend(t, func(t *testing.T, b *ledgerBackend) {
		ctx := context.Background()
		// run1 is stale (a killed run's, its counter since deleted): it is
		// skipped and kept.
		foreign := map[string]string{"ledXger:run2:5": "a", "led*ger": "b", "other": "c", prefix + "run1:7": "d"}
		for k, v := range foreign {
			if err := b.inspect.Set(ctx, k, v, 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
		first, err := OpenRedisLedger(ctx, b.url, opts)
		if err != nil {
			t.Fatal(err)
		}
		second := openTestLedger(t, b, opts)
		if first.ns != prefix+"run2:" || second.ns != prefix+"run3:" {
			t.Errorf("namespaces %q and %q, want %q and %q", first.ns, second.ns, prefix+"run2:", prefix+"run3:")
		}
		for _, l := range []*RedisLedger{first, second} {
			seen := make([]bool, 2)
			if err := l.CheckAndAdd(ctx, t0, uids(1, 2), seen); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(seen, []bool{false, false}) {
				t.Errorf("%s: seen %v, want [false false]: the other run's uuids leaked in", l.ns, seen)
			}
			if n, err := l.Len(ctx); err != nil || n != 2 {
				t.Errorf("%s: Len = %d, %v; want 2", l.ns, n, err)
			}
		}
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}
		if got := keysUnder(t, b.inspect, first.ns); len(got) != 0 {
			t.Errorf("keys under %q after Close: %q", first.ns, got)
		}
		if n := membersUnder(t, b.inspect, second.ns); n != 2 {
			t.Errorf("the other run's namespace holds %d members after the first closed, want 2", n)
		}
		for k, v := range foreign {
			if got, err := b.inspect.Get(ctx, k).Result(); err != nil || got != v {
				t.Errorf("foreign key %q = %q, %v; want %q", k, got, err, v)
			}
		}
	})
}

func TestLedgerNoFreeNamespace(t *testing.T) {
	b := startLedgerMiniredis(t)
	ctx := context.Background()
	for n := 1; n <= ledgerClaimTries; n++ {
		if err := b.inspect.Set(ctx, fmt.Sprintf(testPrefix+ledgerRunSpace+"0", n), "x", 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	_, err := OpenRedisLedger(ctx, b.url, testOpts)
	want := "ledger redis://" + b.addr + `: the last 16 run namespaces under "test:ledger:" all hold keys; delete the stale ones or choose another ledger.key_prefix`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestLedgerPauseResume(t *testing.T) {
	forEachLedgerBackend(t, func(t *testing.T, b *ledgerBackend) {
		l := openTestLedger(t, b, testOpts)
		ctx := context.Background()
		if err := l.CheckAndAdd(ctx, t0, uids(1, 2), make([]bool, 2)); err != nil {
			t.Fatal(err)
		}
		b.pause(t)
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- l.CheckAndAdd(ctx, t0.Add(time.Second), uids(3, 1), make([]bool, 2)) }()
		select {
		case err := <-done:
			if err == nil {
				t.Fatal("CheckAndAdd against a paused server succeeded")
			}
			want := "ledger redis://" + b.addr + ": check 2 uuids: "
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q does not start with %q", err, want)
			}
			t.Logf("paused server: error after %v: %v", time.Since(start).Round(time.Millisecond), err)
		case <-time.After(15 * time.Second):
			b.resume(t)
			t.Fatal("CheckAndAdd against a paused server hung for 15s")
		}
		b.resume(t)

		seen := make([]bool, 3)
		if err := l.CheckAndAdd(ctx, t0.Add(2*time.Second), uids(1, 3, 2), seen); err != nil {
			t.Fatalf("after resume: %v", err)
		}
		// 1 and 2 survived the pause; the failed batch (3) was not remembered.
		if want := []bool{true, false, true}; !slices.Equal(seen, want) {
			t.Errorf("after resume seen %v, want %v", seen, want)
		}
		if n, err := l.Len(ctx); err != nil || n != 3 {
			t.Errorf("Len after resume = %d, %v; want 3", n, err)
		}
	})
}

func TestLedgerOpenErrors(t *testing.T) {
	port := redistest.FreePort(t) // nothing listens there any more
	addr := "127.0.0.1:" + strconv.Itoa(port)
	ctx := context.Background()
	cases := []struct {
		name string
		url  string
		opt  LedgerOptions
		want string // the whole message, or its start when it ends in ": "
	}{
		{"zero TTL", "redis://" + addr, LedgerOptions{Buckets: 4, KeyPrefix: "p:"},
			"ledger: TTL must be positive, not 0s"},
		{"no buckets", "redis://" + addr, LedgerOptions{TTL: time.Hour, KeyPrefix: "p:"},
			"ledger: buckets must be at least 1, not 0"},
		{"uneven buckets", "redis://" + addr, LedgerOptions{TTL: time.Hour, Buckets: 7, KeyPrefix: "p:"},
			"ledger: TTL 1h0m0s does not divide into 7 equal buckets"},
		{"empty prefix", "redis://" + addr, LedgerOptions{TTL: time.Hour, Buckets: 4},
			"ledger: key prefix must not be empty (it keeps the ledger's keys apart from others')"},
		{"not a Redis URL", "http://" + addr, testOpts,
			`ledger: parse Redis URL "http://` + addr + `": `},
		{"nothing listening", "redis://" + addr, testOpts,
			"ledger: Redis at " + addr + " does not answer: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			l, err := OpenRedisLedger(ctx, tc.url, tc.opt)
			if err == nil {
				_ = l.Close()
				t.Fatal("OpenRedisLedger succeeded")
			}
			if prefix, ok := strings.CutSuffix(tc.want, ": "); ok {
				if !strings.HasPrefix(err.Error(), prefix+": ") {
					t.Errorf("error %q does not start with %q", err, tc.want)
				}
			} else if err.Error() != tc.want {
				t.Errorf("error %q, want %q", err, tc.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestLedgerSeenLengthMismatch(t *testing.T) {
	b := startLedgerMiniredis(t)
	l := openTestLedger(t, b, testOpts)
	err := l.CheckAndAdd(context.Background(), t0, uids(1, 2), make([]bool, 1))
	if want := "ledger redis://" + b.addr + ": 2 uuids but 1 seen slots"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestLedgerBackendName(t *testing.T) {
	b := startLedgerMiniredis(t)
	if !regexp.MustCompile(`^redis://127\.0\.0\.1:[0-9]+$`).MatchString(b.url) {
		t.Errorf("embedded URL %q", b.url)
	}
	l := openTestLedger(t, b, testOpts)
	if got := l.Backend(); got != b.url {
		t.Errorf("Backend() = %q, want %q", got, b.url)
	}
	db := *b
	db.url += "/3"
	if got := openTestLedger(t, &db, testOpts).Backend(); got != db.url {
		t.Errorf("Backend() = %q, want %q", got, db.url)
	}
}

// A TTL changed while running keeps the bucket width: a shorter one forgets
// the buckets that fall out at the next call, a longer one keeps what is
// held; one that is not a whole number of buckets is refused.
func TestLedgerSetTTL(t *testing.T) {
	b := startLedgerMiniredis(t)
	l := openTestLedger(t, b, testOpts) // 1 h in 15-minute buckets
	ctx := context.Background()
	step := func(at time.Duration, want ...bool) {
		t.Helper()
		seen := make([]bool, len(want))
		if err := l.CheckAndAdd(ctx, t0.Add(at), uids(1, 2, 3)[:len(want)], seen); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(seen, want) {
			t.Errorf("at +%v: seen %v, want %v", at, seen, want)
		}
	}
	step(0, false)             // uuid 1 at 10:07:30
	step(20*time.Minute, true) // remembered
	if err := l.SetTTL(15 * time.Minute); err != nil {
		t.Fatal(err)
	}
	step(35*time.Minute, false, false) // 1 forgotten: its bucket fell out of the 15-minute window
	if err := l.SetTTL(6 * time.Hour); err != nil {
		t.Fatal(err)
	}
	step(5*time.Hour, true, true) // kept for hours now
	want := "ledger redis://" + b.addr + ": TTL 20m0s is not a whole number of its 15m0s buckets"
	if err := l.SetTTL(20 * time.Minute); err == nil || err.Error() != want {
		t.Errorf("SetTTL(20m) = %v, want %q", err, want)
	}
}
