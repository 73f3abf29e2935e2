package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// go-redis logs dial failures to stderr on its own, which would write over
// the dashboard; every failure reaches the caller as an error instead.
func init() { redis.SetLogger(quietLogger{}) }

type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

// Ledger remembers event uuids for a TTL of simulated time.
type Ledger interface {
	// CheckAndAdd reports for each id whether it was seen within the TTL
	// before `now` (or earlier in ids), and remembers the unseen ones at now.
	CheckAndAdd(ctx context.Context, now time.Time, ids [][16]byte, seen []bool) error
	// Len is the number of uuids held.
	Len(ctx context.Context) (int64, error)
	// SetTTL changes how long uuids are remembered from the next call on.
	SetTTL(ttl time.Duration) error
	Close() error
}

// LedgerOptions shape a ledger. Every field is required.
type LedgerOptions struct {
	TTL       time.Duration // how long (simulated) a uuid is remembered at least
	Buckets   int           // the TTL window is kept as this many sets; TTL must divide by it
	KeyPrefix string        // every key the ledger writes starts with it
	Name      string        // what messages call the server; "" names it by its redis:// address
}

// Client settings for the ledger's connection. A batch is one small pipeline
// that Redis answers in milliseconds, so these are generous. Measured with
// go-redis v9.23 on loopback: a refused connection (embedded server paused)
// fails a call in ~50 ms; a server that accepts but never answers (stopped
// with SIGSTOP) fails it in ~3 s, go-redis making up to five connection
// attempts that each wait out the read timeout. After PoolSize failed dials in
// a row go-redis probes the server once a second, so calls can keep failing
// for up to a second after it is back.
const (
	ledgerDialTimeout = time.Second            // per connection attempt
	ledgerIOTimeout   = 500 * time.Millisecond // per read or write on the socket
	ledgerMaxRetries  = 2                      // a failed round trip is sent again twice (every command is idempotent)
	ledgerMinBackoff  = 8 * time.Millisecond   // wait before the first retry
	ledgerMaxBackoff  = 64 * time.Millisecond  // longest wait between retries
	ledgerPoolSize    = 4                      // one writer, plus Len from another goroutine
	ledgerScanCount   = 1000                   // keys asked for per SCAN when checking a namespace is free
	ledgerProbeMember = "pipesim-ledger-probe" // member asked for when checking SMISMEMBER exists
	ledgerClaimTries  = 16                     // namespaces tried before giving up on finding a free one
)

// Key names under LedgerOptions.KeyPrefix. Every run takes the next number
// from one counter (INCR is atomic, so two runs on one server never get the
// same) and keeps its buckets under a namespace of its own.
const (
	ledgerRunCounter = "runs"   // <prefix>runs: the last run number handed out
	ledgerRunSpace   = "run%d:" // <prefix>run<N>: run N's keys
	ledgerLiveSet    = "live"   // <prefix>run<N>:live: run N's live uuids
)

// RedisLedger is a Ledger kept in Redis as one set, expired in buckets of
// simulated time.
//
// Simulated time is cut into buckets of width TTL/Buckets; bucket i spans
// [i×width, (i+1)×width) (Unix time). The set <namespace>live holds the raw
// 16 bytes of every uuid first seen in a live bucket: at a time in bucket c
// those are c-Buckets … c. A uuid seen at T is reported seen at any now with
// now-T < TTL, and never once now-T ≥ TTL + width. So it is remembered at
// least TTL and at most TTL plus one bucket width. A repeat does not extend
// that (like SET NX EX: the first sighting counts).
//
// The ledger keeps, client-side, the uuids it added in each live bucket (16
// bytes each, no pointers); when a call moves simulated time past a bucket,
// it sends SREM of that bucket's uuids. So expiry never depends on Redis'
// wall-clock EXPIRE, costs no clock moves in miniredis, and each uuid is
// looked up once whatever the TTL (a set per bucket would ask every live
// set about every uuid: five at the default 1 h in 15-minute buckets, 97 at
// 24 h).
//
// Each CheckAndAdd is one pipelined round trip: SREM of the buckets that
// fell out, then SMISMEMBER of the batch. The new uuids of a batch ride
// client-side and their SADD goes at the head of the next round trip
// (CheckAndAdd, Len or Close), before anything reads the set. The ledger has
// a single writer per process and Redis runs a connection's commands in
// order, so this check-then-add needs no Lua or MULTI; every command is
// idempotent, so go-redis may resend a failed round trip.
//
// A ledger owns a namespace of its own, <KeyPrefix>run<N>:, so runs sharing
// a server never see or delete each other's uuids; Close deletes its keys.
//
// A RedisLedger is safe for concurrent use; calls are serialised.
type RedisLedger struct {
	mu      sync.Mutex
	client  *redis.Client
	backend string
	named   bool   // backend is LedgerOptions.Name, not the address
	ns      string // this ledger's namespace: every key it writes starts with it
	live    string // the set of live uuids, <ns>live
	buckets int64
	width   int64 // bucket width in nanoseconds

	started bool
	cur     int64                 // the bucket of the latest now seen (valid once started)
	held    []heldBucket          // ascending: the buckets whose uuids are in the set (or will be, once unsent ones are)
	unsent  int                   // the newest held bucket's last unsent uuids: the last batch's new ones, for SADD
	spare   [][16]byte            // a dropped bucket's list, reused for the next one
	args    []any                 // reused command arguments
	batch   map[[16]byte]struct{} // reused: the unseen uuids of the batch being checked
}

// heldBucket is one bucket of simulated time and the uuids first seen in it.
type heldBucket struct {
	bucket int64
	ids    [][16]byte
}

// member is a uuid as a command argument: go-redis sends what MarshalBinary
// returns, and a pointer fits in an interface without an allocation.
type member [16]byte

func (m *member) MarshalBinary() ([]byte, error) { return m[:], nil }

// ledgerSremChunk bounds the members of one SREM, so that dropping a bucket
// of a busy hour is several short commands rather than one that blocks Redis.
const ledgerSremChunk = 10_000

var _ Ledger = (*RedisLedger)(nil)

// cause is err as messages show it: with a name of its own (an embedded
// server on a random port) the ledger keeps the address out of network
// errors, so that the same run logs the same lines.
func (l *RedisLedger) cause(err error) error {
	var op *net.OpError
	if l.named && errors.As(err, &op) {
		return fmt.Errorf("%s: %w", op.Op, op.Err)
	}
	return err
}

// OpenRedisLedger connects to the Redis server at url (redis://host:port[/db]),
// checks that it answers and supports SMISMEMBER (Redis ≥ 6.2), and claims a
// namespace under opt.KeyPrefix that holds no keys, so the ledger starts
// empty without deleting anything.
func OpenRedisLedger(ctx context.Context, url string, opt LedgerOptions) (*RedisLedger, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	ro, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("ledger: parse Redis URL %q: %w", url, err)
	}
	ro.DialTimeout = ledgerDialTimeout
	ro.DialerRetries = 1 // retries happen per round trip (MaxRetries); no extra dial loop
	ro.ReadTimeout = ledgerIOTimeout
	ro.WriteTimeout = ledgerIOTimeout
	ro.MaxRetries = ledgerMaxRetries
	ro.MinRetryBackoff = ledgerMinBackoff
	ro.MaxRetryBackoff = ledgerMaxBackoff
	ro.PoolSize = ledgerPoolSize
	ro.PipelinePoolSize = ledgerPoolSize
	ro.DisableIdentity = true // no CLIENT SETINFO on connect
	ro.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}

	backend := "redis://" + ro.Addr
	if ro.DB != 0 {
		backend += "/" + strconv.Itoa(ro.DB)
	}
	if opt.Name != "" {
		backend = opt.Name
	}
	l := &RedisLedger{
		client:  redis.NewClient(ro),
		backend: backend,
		named:   opt.Name != "",
		buckets: int64(opt.Buckets),
		width:   int64(opt.TTL) / int64(opt.Buckets),
		batch:   make(map[[16]byte]struct{}),
	}
	if err := l.client.Ping(ctx).Err(); err != nil {
		return nil, errors.Join(fmt.Errorf("ledger: Redis at %s does not answer: %w", ro.Addr, err), l.client.Close())
	}
	if err := l.claim(ctx, opt.KeyPrefix); err != nil {
		return nil, errors.Join(err, l.client.Close())
	}
	if err := l.client.SMIsMember(ctx, l.ns+"probe", ledgerProbeMember).Err(); err != nil {
		return nil, errors.Join(fmt.Errorf("ledger %s: SMISMEMBER (Redis 6.2 or later) fails: %w", l.backend, err), l.client.Close())
	}
	return l, nil
}

func (o LedgerOptions) validate() error {
	switch {
	case o.TTL <= 0:
		return fmt.Errorf("ledger: TTL must be positive, not %v", o.TTL)
	case o.Buckets < 1:
		return fmt.Errorf("ledger: buckets must be at least 1, not %d", o.Buckets)
	case o.TTL%time.Duration(o.Buckets) != 0:
		return fmt.Errorf("ledger: TTL %v does not divide into %d equal buckets", o.TTL, o.Buckets)
	case o.KeyPrefix == "":
		return errors.New("ledger: key prefix must not be empty (it keeps the ledger's keys apart from others')")
	}
	return nil
}

// claim takes the next run number under prefix and makes its namespace the
// ledger's. A namespace that holds keys (left by a run killed before Close,
// after the counter was reset) is skipped, never cleared.
func (l *RedisLedger) claim(ctx context.Context, prefix string) error {
	for range ledgerClaimTries {
		n, err := l.client.Incr(ctx, prefix+ledgerRunCounter).Result()
		if err != nil {
			return fmt.Errorf("ledger %s: take a run number from %q: %w", l.backend, prefix+ledgerRunCounter, l.cause(err))
		}
		ns := prefix + fmt.Sprintf(ledgerRunSpace, n)
		iter := l.client.Scan(ctx, 0, globEscape(ns)+"*", ledgerScanCount).Iterator()
		taken := iter.Next(ctx)
		if err := iter.Err(); err != nil {
			return fmt.Errorf("ledger %s: look for keys under %q: %w", l.backend, ns, l.cause(err))
		}
		if !taken {
			l.ns = ns
			l.live = ns + ledgerLiveSet
			return nil
		}
	}
	return fmt.Errorf("ledger %s: the last %d run namespaces under %q all hold keys; delete the stale ones or choose another ledger.key_prefix", l.backend, ledgerClaimTries, prefix)
}

// globEscape quotes the characters that are special in Redis glob patterns.
func globEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(`*?[]\`, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Backend names the server, e.g. "redis://127.0.0.1:6379".
func (l *RedisLedger) Backend() string { return l.backend }

// bucketOf is floor(now / width), also for times before 1970.
func (l *RedisLedger) bucketOf(now time.Time) int64 {
	ns := now.UnixNano()
	b := ns / l.width
	if ns%l.width < 0 {
		b--
	}
	return b
}

// members are ids as command arguments, in the reused l.args (go-redis
// copies a command's arguments when it is queued).
func (l *RedisLedger) members(ids [][16]byte) []any {
	l.args = l.args[:0]
	for i := range ids {
		l.args = append(l.args, (*member)(&ids[i]))
	}
	return l.args
}

// queueUnsent adds the SADD of the last batch's new uuids to pipe, unless
// their bucket is older than oldest (it is about to be dropped).
func (l *RedisLedger) queueUnsent(ctx context.Context, pipe redis.Pipeliner, oldest int64) {
	if l.unsent == 0 {
		return
	}
	newest := l.held[len(l.held)-1]
	if newest.bucket < oldest {
		return
	}
	pipe.SAdd(ctx, l.live, l.members(newest.ids[len(newest.ids)-l.unsent:])...)
}

// queueDrop adds to pipe the removal of the uuids of dead, buckets that
// fell out of the window: the whole set when nothing else is held.
func (l *RedisLedger) queueDrop(ctx context.Context, pipe redis.Pipeliner, dead []heldBucket, all bool) {
	if all {
		pipe.Del(ctx, l.live)
		return
	}
	for _, h := range dead {
		for ids := h.ids; len(ids) > 0; {
			n := min(len(ids), ledgerSremChunk)
			pipe.SRem(ctx, l.live, l.members(ids[:n])...)
			ids = ids[n:]
		}
	}
}

// CheckAndAdd implements Ledger. seen must be as long as ids. On error the
// batch is not remembered and seen is undefined; the call may be repeated.
func (l *RedisLedger) CheckAndAdd(ctx context.Context, now time.Time, ids [][16]byte, seen []bool) error {
	if len(seen) != len(ids) {
		return fmt.Errorf("ledger %s: %d uuids but %d seen slots", l.backend, len(ids), len(seen))
	}
	l.mu.Lock()
	defer l.mu.Unlock()

	c := l.bucketOf(now)
	if l.started && c < l.cur {
		c = l.cur
	}
	oldest := c - l.buckets
	dead := 0
	for dead < len(l.held) && l.held[dead].bucket < oldest {
		dead++
	}

	pipe := l.client.Pipeline()
	l.queueUnsent(ctx, pipe, oldest)
	l.queueDrop(ctx, pipe, l.held[:dead], dead == len(l.held) && dead > 0)
	var check *redis.BoolSliceCmd
	if len(ids) > 0 && dead < len(l.held) {
		check = pipe.SMIsMember(ctx, l.live, l.members(ids)...)
	}
	if pipe.Len() > 0 {
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("ledger %s: check %d uuids: %w", l.backend, len(ids), l.cause(err))
		}
	}

	l.started = true
	l.cur = c
	if dead > 0 {
		l.spare = l.held[dead-1].ids[:0]
		l.held = append(l.held[:0], l.held[dead:]...)
	}
	l.unsent = 0

	clear(seen)
	if check != nil {
		copy(seen, check.Val())
	}
	clear(l.batch)
	for i, id := range ids {
		if seen[i] {
			continue
		}
		if _, again := l.batch[id]; again {
			seen[i] = true
			continue
		}
		l.batch[id] = struct{}{}
		l.add(c, id)
	}
	return nil
}

// add remembers id as new in bucket c, the newest, to be sent with the next
// round trip.
func (l *RedisLedger) add(c int64, id [16]byte) {
	if len(l.held) == 0 || l.held[len(l.held)-1].bucket != c {
		l.held = append(l.held, heldBucket{bucket: c, ids: l.spare})
		l.spare = nil
	}
	h := &l.held[len(l.held)-1]
	h.ids = append(h.ids, id)
	l.unsent++
}

// SetTTL implements Ledger. The bucket width stays as opened, so ttl must
// be a whole number of widths; the live window becomes that many buckets.
// A shorter TTL forgets the buckets that fall out at the next call; a
// longer one keeps what is held, and cannot bring back what was dropped.
func (l *RedisLedger) SetTTL(ttl time.Duration) error {
	w := time.Duration(l.width)
	if ttl < w || ttl%w != 0 {
		return fmt.Errorf("ledger %s: TTL %v is not a whole number of its %v buckets", l.backend, ttl, w)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buckets = int64(ttl / w)
	return nil
}

// Len implements Ledger: the uuids of the buckets held, counted
// client-side rather than with SCARD (miniredis sorts a set to count it).
// It first sends the last batch's new uuids, so the count is what Redis
// holds; tests compare it with SCARD from another client.
func (l *RedisLedger) Len(ctx context.Context) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	oldest := l.cur - l.buckets
	if l.unsent > 0 {
		pipe := l.client.Pipeline()
		l.queueUnsent(ctx, pipe, oldest)
		if pipe.Len() > 0 {
			if _, err := pipe.Exec(ctx); err != nil {
				return 0, fmt.Errorf("ledger %s: send %d uuids: %w", l.backend, l.unsent, l.cause(err))
			}
		}
		l.unsent = 0
	}
	var n int64
	for _, h := range l.held {
		if h.bucket >= oldest {
			n += int64(len(h.ids))
		}
	}
	return n, nil
}

// Close deletes the ledger's set (its namespace is left empty) and closes
// the connection.
func (l *RedisLedger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var delErr error
	if len(l.held) > 0 {
		if err := l.client.Del(context.Background(), l.live).Err(); err != nil {
			delErr = fmt.Errorf("ledger %s: delete %q: %w", l.backend, l.live, l.cause(err))
		}
	}
	l.held, l.spare, l.unsent = nil, nil, 0
	if err := l.client.Close(); err != nil {
		return errors.Join(delErr, fmt.Errorf("ledger %s: close: %w", l.backend, err))
	}
	return delErr
}
