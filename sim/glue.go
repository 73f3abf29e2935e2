package sim

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"pipesim/sim/config"
	"pipesim/sim/event"
	"pipesim/sim/metric"
	"pipesim/store"
)

// glueJob is the batch job: it reads closed staging partitions past the
// watermark, drops duplicates, writes Parquet in the partitions of the
// layout in force, and merges the small files of closed partitions.
type glueJob struct {
	cfg  config.Glue
	cat  *event.Catalog
	skew time.Duration // how far ahead of its arrival a record's created_at may be
	lake *store.Lake
	seen lookback
	full []store.Value // a whole row
	row  []store.Value // a row as its file holds it
	ev   event.Event

	values interned // partition values

	started bool
	wm      store.Watermark // as last saved
	crashAt int64           // µs; the first run from then dies half way (glue-crash fault)
	next    *gathering      // the run being read, if any

	ndjsonBytes map[store.Partition]int64 // staging bytes behind each processed partition
	progress    glueProgress

	// staged is each closed staging minute's lines and what they stand
	// for, as the Lambda wrote them; minutes it does not know (left by
	// an earlier process) stand for weight a line.
	staged map[time.Time]StagingPartition
	weight int64
	// files are the staging files not yet compacted: what each line
	// stands for exactly, and in Firehose objects which are copies
	files map[stagedKey]stagedFile
}

// GlueRun says what one run did. Its tally holds the run itself
// (GlueRuns), the rows it wrote (Processed), the duplicates it dropped
// (DuplicatesDroppedGlue) or let through because dedupe is batch-only
// (DuplicatesLeaked), and the lines it quarantined (Quarantined), each as
// read and as what the lines stood for.
type GlueRun struct {
	metric.Tally
	Number       int64
	StagingFiles int
	Read         int64
	Files        int
	Bytes        int64
	Merged       int // files folded into merged ones

	Through      time.Time     // the last staging minute compacted after the run (the watermark)
	Layout       store.Layout  // the processed lake's layout after the run
	Relaid       int           // files of the layout before rewritten into this one
	ByLambda     bool          // it ran as a scheduled Lambda (glue.engine: lambda)
	TimedOut     bool          // a compaction Lambda ran out of time: nothing was published
	Took         time.Duration // a compaction Lambda's modelled duration (glue.engine: lambda)
	NominalBytes int64         // the staging it read, at the nominal volume

	Partitions []ParquetPartition // the processed lake after the run
}

func (r GlueRun) String() string {
	if r.TimedOut {
		return fmt.Sprintf("compaction Lambda %d timed out after %s: its %s of staging need %s at glue.lambda_read_per_second; nothing published, staging waits for the next run",
			r.Number, config.ShortDuration(config.LambdaTimeout), metric.BytesSI(r.NominalBytes), config.ShortDuration(r.Took.Round(time.Second)))
	}
	name := "Glue run"
	if r.ByLambda {
		name = "compaction Lambda"
	}
	// rows and duplicates at the nominal volume ("~" when sampled); files
	// and bytes as written
	count, onDisk := metric.Thousands, ""
	if r.Nominal != r.Counts {
		count = func(n int64) string { return "~" + metric.Human(n) } // a sample's precision is not the volume's
		onDisk = " on disk"
	}
	s := fmt.Sprintf("%s %d: %s staging files, %s rows → %s Parquet files (%s%s), %s duplicates dropped",
		name, r.Number, metric.Thousands(int64(r.StagingFiles)), count(r.Nominal[metric.Processed]), metric.Thousands(int64(r.Files)),
		metric.BytesSI(r.Bytes), onDisk, count(r.Nominal[metric.DuplicatesDroppedGlue]))
	if n := r.Nominal[metric.DuplicatesLeaked]; n > 0 {
		s += ", " + count(n) + " leaked"
	}
	if n := r.Nominal[metric.Quarantined]; n > 0 {
		s += ", " + count(n) + " bad lines quarantined"
	}
	if r.Merged > 0 {
		s += fmt.Sprintf(", merged %d files toward the band", r.Merged)
	}
	if r.Relaid > 0 {
		s += fmt.Sprintf(", rewrote the lake's %d files into layout %s", r.Relaid, r.Layout.Name)
	}
	return s
}

// newGlue makes the job; staging minutes it is not told of stand for
// weight events a line.
func newGlue(cfg config.Glue, cat *event.Catalog, skew time.Duration, lake *store.Lake, weight int64) *glueJob {
	return &glueJob{
		skew:        skew,
		files:       map[stagedKey]stagedFile{},
		staged:      map[time.Time]StagingPartition{},
		weight:      weight,
		cfg:         cfg,
		cat:         cat,
		lake:        lake,
		seen:        lookback{window: cfg.DedupeLookback.Microseconds()},
		full:        make([]store.Value, len(cat.Columns())),
		ndjsonBytes: map[store.Partition]int64{},
		values:      interned{},
	}
}

// gathering is the next run, while its rows are read: the version of the
// processed lake it builds, its Parquet writers (files still hidden) and
// what they hold.
type gathering struct {
	v       *store.NextVersion
	layout  fileLayout
	res     GlueRun
	through time.Time // last staging minute read
	writers map[store.Partition]*store.ParquetWriter
	batch   map[[16]byte]struct{}
	written []uuidKey
	nominal int64                     // staging bytes read, at the nominal volume
	ndjson  map[store.Partition]int64 // staging bytes behind the rows it writes, by partition
	bad     []byte                    // quarantined lines, published with the run
	read    []stagedKey               // the staging files it read
	lines   map[time.Time]*spread     // what each staging minute's lines stand for
}

// start loads the watermark, discards what a killed run left (the
// version it was building, its quarantine file) and recalls the uuids
// recent runs wrote, once.
func (g *glueJob) start() error {
	if g.started {
		return nil
	}
	wm, err := g.lake.LoadWatermark()
	if err != nil {
		return err
	}
	if err := g.lake.DiscardUncommitted(); err != nil {
		return err
	}
	if err := g.lake.DiscardQuarantine(wm.Runs + 1); err != nil {
		return err
	}
	if err := g.recall(wm); err != nil {
		return err
	}
	g.wm, g.started = wm, true
	return nil
}

// recall fills the lookback index from the lake when Glue starts over an
// earlier run's output (pipesim compact after a crash): the uuids of
// events created within the lookback before the watermark, which is where
// copies still to come can have originals.
func (g *glueJob) recall(wm store.Watermark) error {
	if wm.Runs == 0 {
		return nil
	}
	files, _, err := g.lake.ProcessedFiles()
	if err != nil {
		return err
	}
	from := wm.Through.Add(-g.cfg.DedupeLookback)
	cols := []store.Column{{Name: "event_uuid", Kind: store.String, Required: true}, {Name: "created_at", Kind: store.Timestamp, Required: true}}
	var keys []uuidKey
	for _, f := range files {
		if f.Partition.End.Before(from) {
			continue
		}
		err := store.ReadParquet(f.Path, cols, func(row []store.Value) error {
			if row[1].Int < from.UnixMicro() {
				return nil
			}
			id, ok := event.ParseUUID([]byte(row[0].Str))
			if !ok {
				return fmt.Errorf("%s: bad event_uuid %q", f.Path, row[0].Str)
			}
			keys = append(keys, keyOf(id))
			return nil
		})
		if err != nil {
			return fmt.Errorf("glue: recalling processed uuids: %w", err)
		}
	}
	g.seen.add(wm.Through.UnixMicro(), keys)
	return nil
}

// run compacts every staging partition that closed before closedBefore
// and is past the watermark, at simulated time now.
func (g *glueJob) run(now, closedBefore time.Time) (GlueRun, error) {
	if err := g.ingest(closedBefore); err != nil {
		return GlueRun{}, err
	}
	return g.commit(now)
}

// ingest reads the staging partitions closed before closedBefore into the
// next run. The engine calls it as each minute closes, so the reading
// overlaps the simulation; the run's files are the same as if it all
// happened at commit, because what a run reads is fixed by its partitions.
func (g *glueJob) ingest(closedBefore time.Time) error {
	if err := g.start(); err != nil {
		return err
	}
	if g.next != nil && g.next.layout.Name != g.cfg.Partitioning {
		g.abort() // the layout was switched: read it all again into the new one
	}
	if g.next == nil {
		layout, err := newFileLayout(g.cfg.Partitioning, g.cat)
		if err != nil {
			return err
		}
		v, err := g.lake.BeginVersion(layout.Layout)
		if err != nil {
			return err
		}
		g.next = &gathering{
			v:       v,
			layout:  layout,
			res:     GlueRun{Number: g.wm.Runs + 1},
			through: g.wm.Through,
			writers: map[store.Partition]*store.ParquetWriter{},
			ndjson:  map[store.Partition]int64{},
			batch:   map[[16]byte]struct{}{},
			lines:   map[time.Time]*spread{},
		}
	}
	n := g.next
	files, err := g.lake.StagingFiles(n.through, closedBefore)
	if err != nil {
		return err
	}
	g.progress.begin(GlueReading, int64(len(files)), 0)
	for _, f := range files {
		g.progress.add(1)
		if err := g.read(n, f); err != nil {
			g.abort()
			return fmt.Errorf("glue run %d: %w", n.res.Number, err)
		}
		n.res.StagingFiles++
		n.through = f.Minute
		if p, ok := g.staged[f.Minute]; ok && p.Bytes > 0 {
			n.nominal += mulDiv(f.Bytes, p.NominalBytes, p.Bytes)
		} else {
			n.nominal += f.Bytes * g.weight
		}
	}
	return nil
}

func (g *glueJob) read(n *gathering, f store.StagingFile) error {
	source := "shardId-" + strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f.Path), "shard-"), ".ndjson")
	var copies []int
	lines := n.lines[f.Minute]
	if lines == nil {
		lines = uniform(g.weight)
		if p, ok := g.staged[f.Minute]; ok {
			lines = newSpread(p.NominalLines, p.Lines)
		}
		n.lines[f.Minute] = lines
	}
	var weights interface{ next() int64 } = lines
	key := stagedKey{f.Minute, filepath.Base(f.Path)}
	if sf, ok := g.files[key]; ok {
		copies, weights = sf.copies, &runs{list: sf.weights}
	}
	n.read = append(n.read, key)
	if f.Raw {
		source = key.name
	}
	// a Firehose object's records arrived in its minute, and were
	// delivered at most the longest buffer interval later
	arrivedBy := f.Minute.Add(time.Minute + config.MaxBufferInterval).UnixMicro()
	res := &n.res
	return store.ReadLines(f.Path, func(lineNo int, line []byte) error {
		res.Read++
		nominal := weights.next()
		reason, err := event.ReasonBadStagingLine, error(nil)
		if f.Raw {
			// Firehose staged the record as sent: Glue validates it as
			// the Lambda would have
			if err = g.cat.DecodeEvent(line, arrivedBy, g.skew, &g.ev); err != nil {
				reason = event.ReasonBadJSON
				if inv, ok := errors.AsType[*event.InvalidRecordError](err); ok {
					reason = inv.Reason
				}
			}
		} else {
			err = g.cat.DecodeStagingLine(line, &g.ev)
		}
		if err != nil {
			// quarantined, never dropped: at the time its partition closed
			res.AddNominal(metric.Quarantined, 1, nominal)
			if _, copy := slices.BinarySearch(copies, lineNo); copy {
				res.AddNominal(metric.DuplicatesLost, 1, nominal)
			}
			dl, err := store.DeadLetterLine(f.Minute.Add(time.Minute), source, string(reason), fmt.Sprintf("%s:%d: %v", f.Path, lineNo, err), line)
			n.bad = append(append(n.bad, dl...), '\n')
			return err
		}
		if _, dup := n.batch[g.ev.UUID]; dup {
			res.AddNominal(metric.DuplicatesDroppedGlue, 1, nominal)
			return nil
		}
		n.batch[g.ev.UUID] = struct{}{}
		if g.seen.contains(g.ev.UUID) {
			if g.cfg.Dedupe != "batch" {
				res.AddNominal(metric.DuplicatesDroppedGlue, 1, nominal)
				return nil
			}
			res.AddNominal(metric.DuplicatesLeaked, 1, nominal)
		}
		g.cat.Row(&g.ev, g.full)
		key := n.layout.partition(g.full)
		// g.ev's strings share the reader's buffer: what outlives the line
		// is copied (the writers copy rows, partition values are interned)
		key.Value = g.values.of(key.Value)
		w, err := g.writer(n, key)
		if err != nil {
			return err
		}
		g.row = n.layout.fileRow(g.row, g.full)
		if err := w.WriteWeighted(g.row, nominal); err != nil {
			return err
		}
		n.ndjson[key] += int64(len(line)) + 1
		n.written = append(n.written, keyOf(g.ev.UUID))
		res.AddNominal(metric.Processed, 1, nominal)
		return nil
	})
}

// abort drops the run being gathered; its partitions will be read again.
func (g *glueJob) abort() {
	if g.next == nil {
		return
	}
	for _, w := range g.next.writers {
		w.Abort()
	}
	_ = g.next.v.Abort() // what it cannot delete, the next start does
	g.next = nil
}

// dpuSeconds is what a Glue run reading nominal bytes of staging is
// billed: its DPUs for as long as they take at glue.read_per_dpu, per
// second, at least a minute.
func (g *glueJob) dpuSeconds(nominal int64) int64 {
	dpus := int64(g.cfg.DPUs)
	return dpus * max(int64(leastRun(g.cfg)/time.Second), ceilDiv(nominal, dpus*g.cfg.ReadPerDPU))
}

// leastRun is the shortest a run takes: a Glue job is billed a minute at
// least, a compaction Lambda's time is rounded up to whole seconds.
func leastRun(cfg config.Glue) time.Duration {
	if cfg.Engine == "lambda" {
		return time.Second
	}
	return time.Minute
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// took is how long the run gathered so far takes in simulated time, as
// its bill says: a Glue job's DPUs for as long as they read (at least a
// minute), or a compaction Lambda's modelled time, cut at its timeout.
func (g *glueJob) took() time.Duration {
	var nominal int64
	if g.next != nil {
		nominal = g.next.nominal
	}
	if g.cfg.Engine == "lambda" {
		d := lambdaTook(nominal, g.cfg.LambdaReadRate)
		return min(max((d+time.Second-1).Truncate(time.Second), leastRun(g.cfg)), config.LambdaTimeout)
	}
	return time.Duration(g.dpuSeconds(nominal)/int64(g.cfg.DPUs)) * time.Second
}

func lambdaTook(nominal, perSecond int64) time.Duration {
	return time.Duration(float64(nominal) / float64(perSecond) * float64(time.Second))
}

// commit makes the gathered run visible at once: its Parquet files, the
// files of the current version it keeps, closed days merged, and the
// watermark moved past what it read, all in one new version.
func (g *glueJob) commit(now time.Time) (GlueRun, error) {
	n := g.next
	res := n.res
	if g.cfg.Engine == "lambda" {
		// a scheduled function reads and rewrites the run's staging at
		// its rate, and must be done within Lambda's timeout
		res.ByLambda, res.NominalBytes = true, n.nominal
		res.Took = lambdaTook(n.nominal, g.cfg.LambdaReadRate)
		if res.Took > config.LambdaTimeout {
			// it read all that and published none of it: only the
			// timeout counts
			g.abort()
			out := GlueRun{Number: res.Number, StagingFiles: res.StagingFiles, ByLambda: true, TimedOut: true, Took: res.Took, NominalBytes: res.NominalBytes}
			out.Add(metric.CompactionTimeouts, 1, 1)
			out.Add(metric.CompactionLambdaMs, config.LambdaTimeout.Milliseconds(), 1) // billed until it was stopped
			return out, nil
		}
		res.Add(metric.CompactionLambdaMs, ceilDiv(res.Took.Nanoseconds(), 1e6), 1)
	} else {
		res.Add(metric.GlueDPUSeconds, g.dpuSeconds(n.nominal), 1)
	}
	g.next = nil
	if n.v.Repartitions() {
		if err := g.relay(n); err != nil {
			for _, w := range n.writers {
				w.Abort()
			}
			_ = n.v.Abort()
			return res, fmt.Errorf("glue run %d: %w", res.Number, err)
		}
		files, _ := n.v.Current()
		res.Relaid = len(files)
	}
	keys := slices.SortedFunc(maps.Keys(n.writers), comparePartitions)
	crash := g.crashAt != 0 && now.UnixMicro() >= g.crashAt
	g.progress.begin(GlueWriting, int64(len(keys)), 0)
	for i, k := range keys {
		g.progress.add(1)
		if crash && i >= len(keys)/2 {
			return res, ErrCrashed // half its files written, the version never committed
		}
		info, err := n.writers[k].Commit()
		if err != nil {
			for _, k := range keys[i+1:] {
				n.writers[k].Abort()
			}
			return res, fmt.Errorf("glue run %d: %w", res.Number, err)
		}
		res.Files++
		res.Bytes += info.Bytes
	}
	res.Add(metric.ParquetWrites, int64(res.Files), 1)
	if len(n.bad) > 0 {
		if err := g.lake.WriteQuarantine(res.Number, n.bad); err != nil {
			return res, fmt.Errorf("glue run %d: %w", res.Number, err)
		}
	}
	if !n.v.Repartitions() {
		if err := n.v.KeepCurrent(); err != nil {
			return res, fmt.Errorf("glue run %d: %w", res.Number, err)
		}
	}
	var err error
	if res.Merged, err = g.merge(now, n, res.Number); err != nil {
		return res, err
	}
	wm := store.Watermark{Through: n.through, Runs: res.Number}
	if err := n.v.Commit(fmt.Sprintf("glue run %d", res.Number), wm); err != nil {
		return res, fmt.Errorf("glue run %d: %w", res.Number, err)
	}
	g.wm = wm
	res.Through, res.Layout = wm.Through, n.layout.Layout
	res.Add(metric.GlueRuns, 1, 1)
	for m := range g.staged {
		if !m.After(wm.Through) {
			delete(g.staged, m)
		}
	}
	g.seen.add(now.UnixMicro(), n.written)
	for _, k := range n.read {
		delete(g.files, k)
	}
	if res.Relaid > 0 {
		clear(g.ndjsonBytes) // relay moved them all to the new partitions
	}
	for k, b := range n.ndjson {
		g.ndjsonBytes[k] += b
	}
	res.Partitions, err = g.partitions(now)
	return res, err
}

// writer is the run's Parquet writer of partition k, started on first use.
func (g *glueJob) writer(n *gathering, k store.Partition) (*store.ParquetWriter, error) {
	if w := n.writers[k]; w != nil {
		return w, nil
	}
	w, err := g.create(n.v, n.layout, k, store.PartName{Run: n.res.Number})
	if err != nil {
		return nil, err
	}
	n.writers[k] = w
	return w, nil
}

func (g *glueJob) create(v *store.NextVersion, l fileLayout, k store.Partition, name store.PartName) (*store.ParquetWriter, error) {
	return v.CreatePart(k, name, l.cols, store.ParquetOptions{RowGroupRows: g.cfg.RowGroupRows})
}

func comparePartitions(a, b store.Partition) int {
	if c := a.Start.Compare(b.Start); c != 0 {
		return c
	}
	return strings.Compare(a.Value, b.Value)
}

// partitions lists the processed lake by partition.
func (g *glueJob) partitions(now time.Time) ([]ParquetPartition, error) {
	files, _, err := g.lake.ProcessedFiles()
	if err != nil {
		return nil, err
	}
	var parts []ParquetPartition
	idx := map[store.Partition]int{}
	for _, f := range files {
		k := f.Partition
		i, ok := idx[k]
		if !ok {
			i = len(parts)
			idx[k] = i
			parts = append(parts, ParquetPartition{Partition: k, NDJSONBytes: g.ndjsonBytes[k]})
		}
		parts[i].Files = append(parts[i].Files, ParquetFile{Name: filepath.Base(f.Path), Bytes: f.Bytes, Rows: f.Rows, NominalRows: f.NominalRows, NominalBytes: nominalBytes(f)})
	}
	for i := range parts {
		parts[i].Merged = len(parts[i].Files) == 1 && !now.Before(parts[i].End.Add(g.cfg.MergeAfter))
	}
	return parts, nil
}

// nominalBytes is a file's size at the rows it stands for and the same
// bytes per row.
func nominalBytes(f store.ProcessedFile) int64 {
	if f.Rows == 0 {
		return f.Bytes
	}
	return mulDiv(f.NominalRows, f.Bytes, f.Rows)
}
