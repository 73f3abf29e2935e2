package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Folders of the lake, relative to its root.
const lakeDir = "datalake"

var (
	stagingDir    = filepath.Join(lakeDir, "staging")
	processedDir  = filepath.Join(lakeDir, "processed")
	dlqDir        = filepath.Join(lakeDir, "dlq")
	quarantineDir = filepath.Join(lakeDir, "quarantine")
	stateDir      = filepath.Join(lakeDir, "_state")
	reportsDir    = "cloudwatch_reports"
)

const (
	dirMode  = 0o755
	fileMode = 0o644
	// maxOpenFiles bounds the files an appender keeps open at once; the
	// least recently used one is flushed and closed to make room. A minute
	// of staging has a file per shard, so this covers a few hundred shards
	// without reopening files on every batch.
	maxOpenFiles = 512
	// appendBufferSize is the write buffer of each open appended file
	// (at most maxOpenFiles × this in memory).
	appendBufferSize = 64 << 10
	// probeName is created and removed at once to check that a folder is
	// writable.
	probeName = ".pipesim-write-probe"
)

// Lake is the on-disk data lake and report folder under one output root.
type Lake struct {
	Root string // output root, e.g. "output"
}

// OpenLake creates the lake's folders under root (if missing) and checks
// that each of them is writable.
func OpenLake(root string) (*Lake, error) {
	l := &Lake{Root: root}
	for _, rel := range []string{stagingDir, versionsDir, dlqDir, quarantineDir, onFailureDir, stateDir, reportsDir} {
		dir := l.path(rel)
		if err := os.MkdirAll(dir, dirMode); err != nil {
			return nil, fmt.Errorf("open lake %s: %w", root, err)
		}
		if err := probeWritable(dir); err != nil {
			return nil, fmt.Errorf("open lake %s: %w", root, err)
		}
	}
	if err := l.initVersions(); err != nil {
		return nil, fmt.Errorf("open lake %s: %w", root, err)
	}
	return l, nil
}

// FindLake reports an error unless root holds a lake a run wrote: it is
// for commands that work on an earlier run's output and must not make an
// empty lake out of a mistyped folder.
func FindLake(root string) error {
	dir := filepath.Join(root, lakeDir)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("%s: no %s/ folder here; is it the --out of a run?", root, lakeDir)
	}
	return nil
}

func (l *Lake) path(rel ...string) string {
	return filepath.Join(append([]string{l.Root}, rel...)...)
}

// probeWritable creates and removes a file in dir. Permission bits alone do
// not say whether a folder is writable (root ignores them), so this tries.
func probeWritable(dir string) error {
	p := filepath.Join(dir, probeName)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fileMode)
	if err != nil {
		return fmt.Errorf("folder %s is not writable: %w", dir, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("folder %s: %w", dir, err)
	}
	if err := os.Remove(p); err != nil {
		return fmt.Errorf("folder %s: %w", dir, err)
	}
	return nil
}

// writeAtomic replaces path with data: it writes a hidden temp file in the
// same folder, syncs it and renames it into place, so a reader sees either
// the old file or the new one, never a half-written one.
func writeAtomic(path string, data []byte) error {
	dir, base := filepath.Split(path)
	tmp := filepath.Join(dir, tempName(base))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fileMode)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("write %s: %w", path, err), removeIfExists(tmp))
	}
	return syncDir(filepath.Clean(dir))
}

// tempName is the hidden file a file called name is written as before it
// is renamed into place (no glob for *.parquet or *.md sees it).
func tempName(name string) string { return "." + name + ".tmp" }

// tempOf is the name of the file whose temp file is called name.
func tempOf(name string) (string, bool) {
	base, ok := strings.CutPrefix(name, ".")
	if !ok {
		return "", false
	}
	return strings.CutSuffix(base, ".tmp")
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// checkFileName accepts a plain, visible file name: no folder part, not
// hidden (so it can never collide with a temp file).
func checkFileName(name string) error {
	if name == "" || name != filepath.Base(name) || strings.ContainsAny(name, `/\`) ||
		strings.HasPrefix(name, ".") {
		return fmt.Errorf("bad file name %q", name)
	}
	return nil
}

// numberedName is a file name pattern: a prefix, a decimal number of at
// least digits digits (zero-padded) and a suffix.
type numberedName struct {
	prefix string
	digits int
	suffix string
}

var (
	stagingFileName    = numberedName{"shard-", 12, ".ndjson"}
	firehoseObjectName = numberedName{"firehose-", 8, ".ndjson"}
	deadLetterFileName = numberedName{"dlq-shard-", 12, ".ndjson"}
	quarantineFileName = numberedName{"run-", 5, ".ndjson"}
)

func (n numberedName) format(v int64) string {
	return fmt.Sprintf("%s%0*d%s", n.prefix, n.digits, v, n.suffix)
}

// match reports whether name is one that format makes.
func (n numberedName) match(name string) bool {
	v, ok := strings.CutPrefix(name, n.prefix)
	if !ok {
		return false
	}
	v, ok = strings.CutSuffix(v, n.suffix)
	return ok && len(v) >= n.digits && len(v) <= 19 && allDigits(v) && (len(v) == n.digits || v[0] != '0')
}

// shardNumber returns the number of a Kinesis shard ID
// ("shardId-000000000007" is 7).
func shardNumber(shard string) (int64, error) {
	digits, ok := strings.CutPrefix(shard, "shardId-")
	if !ok || len(digits) != 12 || !allDigits(digits) {
		return 0, fmt.Errorf("bad shard ID %q (want shardId- and 12 digits)", shard)
	}
	return strconv.ParseInt(digits, 10, 64)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// partLevel is one level of a Hive-style partition path, key=N: the value
// in decimal without leading zeros, as Spark writes an integer partition
// column. Readers that infer partition types (DuckDB, Spark, Athena) then
// read it back as an integer on every date; DuckDB reads "month=01" as text.
type partLevel struct {
	key    string
	lo, hi int
}

var (
	yearLevel   = partLevel{"year", 1, 9999}
	monthLevel  = partLevel{"month", 1, 12}
	dayLevel    = partLevel{"day", 1, 31}
	hourLevel   = partLevel{"hour", 0, 23}
	minuteLevel = partLevel{"minute", 0, 59}
)

// folder is this level's folder name for value v.
func (p partLevel) folder(v int) string { return p.key + "=" + strconv.Itoa(v) }

// parse reads a folder name of this level strictly: exact key, the value
// as folder writes it (no sign, no leading zero), in range.
func (p partLevel) parse(name string) (int, bool) {
	v, ok := strings.CutPrefix(name, p.key+"=")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || strconv.Itoa(n) != v || n < p.lo || n > p.hi {
		return 0, false
	}
	return n, true
}

// hidden reports whether a folder entry is ignored by lake listings: temp
// files start with "." and, as in Hive and Spark, "_" marks metadata.
func hidden(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// datePath is year=Y/month=M/day=D of t (UTC).
func datePath(t time.Time) string {
	t = t.UTC()
	return filepath.Join(yearLevel.folder(t.Year()), monthLevel.folder(int(t.Month())), dayLevel.folder(t.Day()))
}

// fileKey names one appended file: its partition (Unix seconds of the
// minute or hour) and its shard ID.
type fileKey struct {
	part  int64
	shard string
}

type openFile struct {
	path string
	f    *os.File
	buf  []byte // lines not yet handed to the writer
	used uint64

	queued sync.WaitGroup // buffers handed to the writer, not yet written
	err    error          // the writer's first error on this file; read after queued.Wait
}

// appender appends lines to many files, keeping at most maxOpenFiles of
// them open and buffered. A full buffer is written to its file on a
// goroutine of the appender's own, so that the caller goes on while the
// kernel takes the bytes (writing staging was a tenth of all CPU, on the
// engine's goroutine). A write error fails the next append, and the
// file's close. It is not safe for concurrent use.
type appender struct {
	pathOf func(fileKey) (string, error)
	open   map[fileKey]*openFile
	tick   uint64
	closed bool
	w      *fileWriter // started with the first full buffer
}

func newAppender(pathOf func(fileKey) (string, error)) appender {
	return appender{pathOf: pathOf, open: make(map[fileKey]*openFile)}
}

// writeQueue is how many full buffers may wait for the writer before an
// append waits for it in turn.
const writeQueue = 8

// fileWriter writes buffers to their files, in the order handed over.
type fileWriter struct {
	jobs chan writeJob
	free chan []byte // written buffers, for reuse
	done chan struct{}

	failed atomic.Pointer[error] // the first write error of any file (read on every append)
}

type writeJob struct {
	of  *openFile
	buf []byte
}

func startFileWriter() *fileWriter {
	w := &fileWriter{jobs: make(chan writeJob, writeQueue), free: make(chan []byte, writeQueue+1), done: make(chan struct{})}
	go w.run()
	return w
}

func (w *fileWriter) run() {
	defer close(w.done)
	for j := range w.jobs {
		if j.of.err == nil {
			if _, err := j.of.f.Write(j.buf); err != nil {
				j.of.err = namePath(j.of.path, err)
				w.failed.CompareAndSwap(nil, &j.of.err)
			}
		}
		select {
		case w.free <- j.buf[:0]:
		default:
		}
		j.of.queued.Done()
	}
}

// buffer is an empty buffer, a written one if there is one.
func (a *appender) buffer() []byte {
	if a.w != nil {
		select {
		case b := <-a.w.free:
			return b
		default:
		}
	}
	return make([]byte, 0, appendBufferSize)
}

// handOff queues of's buffered lines for writing and gives it a fresh
// buffer.
func (a *appender) handOff(of *openFile) {
	if len(of.buf) == 0 {
		return
	}
	if a.w == nil {
		a.w = startFileWriter()
	}
	of.queued.Add(1)
	a.w.jobs <- writeJob{of, of.buf}
	of.buf = a.buffer()
}

// appendLine writes line and '\n' to the file of k.
func (a *appender) appendLine(k fileKey, line []byte) error {
	if a.closed {
		return errors.New("append: writer is closed")
	}
	if a.w != nil {
		if err := a.w.failed.Load(); err != nil {
			return *err
		}
	}
	of, err := a.get(k)
	if err != nil {
		return err
	}
	if len(of.buf)+len(line)+1 > cap(of.buf) {
		a.handOff(of)
	}
	of.buf = append(append(of.buf, line...), '\n')
	return nil
}

// namePath makes sure an error names the file: the os package's errors
// already do ("write PATH: no space left on device").
func namePath(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("append to %s: %w", path, err)
}

func (a *appender) get(k fileKey) (*openFile, error) {
	a.tick++
	if of, ok := a.open[k]; ok {
		of.used = a.tick
		return of, nil
	}
	if len(a.open) >= maxOpenFiles {
		if err := a.evictOldest(); err != nil {
			return nil, err
		}
	}
	path, err := a.pathOf(k)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return nil, namePath(path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, fileMode)
	if err != nil {
		return nil, namePath(path, err)
	}
	of := &openFile{path: path, f: f, buf: a.buffer(), used: a.tick}
	a.open[k] = of
	return of, nil
}

func (a *appender) evictOldest() error {
	var oldest fileKey
	var least uint64
	for k, of := range a.open {
		if least == 0 || of.used < least {
			oldest, least = k, of.used
		}
	}
	of := a.open[oldest]
	delete(a.open, oldest)
	return a.closeFile(of)
}

// closeFile writes what of holds, waits for the writer to be done with
// it, and closes it.
func (a *appender) closeFile(of *openFile) error {
	a.handOff(of)
	of.queued.Wait()
	err := of.err
	if cerr := of.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close %s: %w", of.path, err)
	}
	return nil
}

// closeWhere flushes and closes the open files whose key matches.
func (a *appender) closeWhere(match func(fileKey) bool) error {
	var errs []error
	for k, of := range a.open {
		if match(k) {
			delete(a.open, k)
			errs = append(errs, a.closeFile(of))
		}
	}
	return errors.Join(errs...)
}

// close flushes and closes every file, and stops the writer; later
// appends fail.
func (a *appender) close() error {
	a.closed = true
	err := a.closeWhere(func(fileKey) bool { return true })
	if a.w != nil {
		close(a.w.jobs)
		<-a.w.done
		a.w = nil
	}
	return err
}
