package sim

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"pipesim/store"
)

// glueJob is the batch job: it reads closed staging partitions past the
// watermark, drops duplicates, writes Parquet by event day and language,
// and merges the small files of closed days.
type glueJob struct {
	cfg  GlueConfig
	cat  *Catalog
	lake *store.Lake
	dlq  *store.DeadLetterWriter
	seen lookback
	row  []store.Value
	ev   Event

	ndjsonBytes map[partitionKey]int64 // staging bytes behind each processed partition
}

type partitionKey struct {
	day      time.Time // midnight UTC
	language string
}

func (k partitionKey) String() string { return k.day.Format(time.DateOnly) + "/" + k.language }

// GlueRun says what one run did.
type GlueRun struct {
	Number       int64
	StagingFiles int
	Read         int64
	Written      int64
	Duplicates   int64
	Leaked       int64 // duplicates written because dedupe is batch-only
	Quarantined  int64
	Files        int
	Bytes        int64
	Merged       int // files folded into merged ones

	Partitions []ParquetPartition // the processed lake after the run
}

func (r GlueRun) String() string {
	s := fmt.Sprintf("Glue run %d: %d staging files, %d rows → %d Parquet files (%s), %d duplicates dropped",
		r.Number, r.StagingFiles, r.Written, r.Files, formatBytes(r.Bytes), r.Duplicates)
	if r.Leaked > 0 {
		s += fmt.Sprintf(", %d leaked", r.Leaked)
	}
	if r.Quarantined > 0 {
		s += fmt.Sprintf(", %d bad lines quarantined", r.Quarantined)
	}
	if r.Merged > 0 {
		s += fmt.Sprintf(", merged %d small files", r.Merged)
	}
	return s
}

func newGlue(cfg GlueConfig, cat *Catalog, lake *store.Lake, dlq *store.DeadLetterWriter) *glueJob {
	return &glueJob{
		cfg:         cfg,
		cat:         cat,
		lake:        lake,
		dlq:         dlq,
		seen:        lookback{window: cfg.DedupeLookback.Microseconds()},
		row:         make([]store.Value, len(cat.Columns())),
		ndjsonBytes: map[partitionKey]int64{},
	}
}

// run compacts every staging partition that closed before closedBefore
// and is past the watermark, at simulated time now.
func (g *glueJob) run(now, closedBefore time.Time) (GlueRun, error) {
	wm, err := g.lake.LoadWatermark()
	if err != nil {
		return GlueRun{}, err
	}
	res := GlueRun{Number: wm.Runs + 1}
	if err := g.discardUnfinished(wm.Runs); err != nil {
		return res, err
	}
	files, err := g.lake.StagingFiles(wm.Through, closedBefore)
	if err != nil {
		return res, err
	}
	res.StagingFiles = len(files)
	writers := map[partitionKey]*store.ParquetWriter{}
	abort := func() {
		for _, w := range writers {
			w.Abort()
		}
	}
	batch := map[[16]byte]struct{}{}
	var written []uuidKey
	for _, f := range files {
		shard := "shardId-" + strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f.Path), "shard-"), ".ndjson")
		err := store.ReadLines(f.Path, func(lineNo int, line []byte) error {
			res.Read++
			if err := g.cat.DecodeStagingLine(line, &g.ev); err != nil {
				// quarantined beside the Lambda's dead letters, never dropped
				res.Quarantined++
				return g.dlq.Write(now, shard, "bad_staging_line", fmt.Sprintf("%s:%d: %v", f.Path, lineNo, err), line)
			}
			if _, dup := batch[g.ev.UUID]; dup {
				res.Duplicates++
				return nil
			}
			batch[g.ev.UUID] = struct{}{}
			if g.seen.contains(g.ev.UUID) {
				if g.cfg.Dedupe != "batch" {
					res.Duplicates++
					return nil
				}
				res.Leaked++
			}
			key := partitionKey{time.UnixMicro(g.ev.CreatedAt).UTC().Truncate(24 * time.Hour), g.cat.Language(&g.ev)}
			w := writers[key]
			if w == nil {
				var err error
				if w, err = g.create(key, fmt.Sprintf("part-r%05d-0000.parquet", res.Number)); err != nil {
					return err
				}
				writers[key] = w
			}
			g.cat.Row(&g.ev, g.row)
			if err := w.Write(g.row); err != nil {
				return err
			}
			g.ndjsonBytes[key] += int64(len(line)) + 1
			written = append(written, keyOf(g.ev.UUID))
			res.Written++
			return nil
		})
		if err != nil {
			abort()
			return res, fmt.Errorf("glue run %d: %w", res.Number, err)
		}
		wm.Through = f.Minute
	}
	keys := make([]partitionKey, 0, len(writers))
	for k := range writers {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b partitionKey) int { return strings.Compare(a.String(), b.String()) })
	for i, k := range keys {
		info, err := writers[k].Commit()
		if err != nil {
			for _, k := range keys[i+1:] {
				writers[k].Abort()
			}
			return res, fmt.Errorf("glue run %d: %w", res.Number, err)
		}
		res.Files++
		res.Bytes += info.Bytes
	}
	wm.Runs = res.Number
	if err := g.lake.SaveWatermark(wm); err != nil {
		return res, err
	}
	g.seen.add(now.UnixMicro(), written)
	if res.Merged, err = g.merge(now, res.Number); err != nil {
		return res, err
	}
	res.Partitions, err = g.partitions(now)
	return res, err
}

func (g *glueJob) create(k partitionKey, name string) (*store.ParquetWriter, error) {
	dir, err := store.ProcessedDir(k.day, k.language)
	if err != nil {
		return nil, err
	}
	return g.lake.CreateParquet(dir, name, g.cat.Columns(), store.ParquetOptions{RowGroupRows: g.cfg.RowGroupRows})
}

// partitions lists the processed lake by day and language.
func (g *glueJob) partitions(now time.Time) ([]ParquetPartition, error) {
	files, err := g.lake.ProcessedFiles()
	if err != nil {
		return nil, err
	}
	var parts []ParquetPartition
	idx := map[partitionKey]int{}
	for _, f := range files {
		k := partitionKey{f.Day, f.Language}
		i, ok := idx[k]
		if !ok {
			i = len(parts)
			idx[k] = i
			parts = append(parts, ParquetPartition{Day: f.Day, Language: f.Language, NDJSONBytes: g.ndjsonBytes[k]})
		}
		parts[i].Files = append(parts[i].Files, ParquetFile{Name: filepath.Base(f.Path), Bytes: f.Bytes, Rows: f.Rows})
	}
	for i := range parts {
		parts[i].Merged = len(parts[i].Files) == 1 && !now.Before(parts[i].Day.Add(24*time.Hour+g.cfg.MergeAfter))
	}
	return parts, nil
}

// discardUnfinished removes the files of a run that crashed before it
// moved the watermark: this run writes their rows again.
func (g *glueJob) discardUnfinished(lastRun int64) error {
	files, err := g.lake.ProcessedFiles()
	if err != nil {
		return err
	}
	for _, f := range files {
		if n, ok := runOfFile(f.Path, 'r'); ok && n > lastRun {
			if err := os.Remove(f.Path); err != nil {
				return fmt.Errorf("glue: discarding unfinished %s: %w", f.Path, err)
			}
		}
	}
	return nil
}

// runOfFile reads the run number out of a file named part-<kind>NNNNN-….
func runOfFile(path string, kind byte) (int64, bool) {
	name := path[strings.LastIndexByte(path, '/')+1:]
	var k byte
	var n int64
	if _, err := fmt.Sscanf(name, "part-%c%05d-", &k, &n); err != nil || k != kind {
		return 0, false
	}
	return n, true
}

// merge folds the files of each closed day's language partition into as
// few files as the target band allows. A day is closed MergeAfter past
// its end; late events that reach it later make a new small file that the
// next run folds in again.
func (g *glueJob) merge(now time.Time, run int64) (int, error) {
	files, err := g.lake.ProcessedFiles()
	if err != nil {
		return 0, err
	}
	groups := map[partitionKey][]store.ProcessedFile{}
	var keys []partitionKey
	for _, f := range files {
		if now.Before(f.Day.Add(24*time.Hour + g.cfg.MergeAfter)) {
			continue
		}
		k := partitionKey{f.Day, f.Language}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], f)
	}
	merged := 0
	for _, k := range keys {
		src := groups[k]
		if len(src) < 2 {
			continue
		}
		if err := g.mergeFiles(k, src, run); err != nil {
			return merged, err
		}
		merged += len(src)
	}
	return merged, nil
}

func (g *glueJob) mergeFiles(k partitionKey, src []store.ProcessedFile, run int64) error {
	var rows, bytes int64
	for _, f := range src {
		rows += f.Rows
		bytes += f.Bytes
	}
	// split so each output stays under the band's top, judging by the
	// sources' bytes per row
	perFile := rows
	if bytes > g.cfg.TargetFileBytes[1] {
		perFile = max(1, rows*g.cfg.TargetFileBytes[1]/bytes)
	}
	cols := g.cat.Columns()
	var w *store.ParquetWriter
	part, inFile := 0, int64(0)
	commit := func() error {
		if w == nil {
			return nil
		}
		_, err := w.Commit()
		w = nil
		return err
	}
	for _, f := range src {
		err := store.ReadParquet(f.Path, cols, func(row []store.Value) error {
			if w != nil && inFile == perFile {
				if err := commit(); err != nil {
					return err
				}
			}
			if w == nil {
				var err error
				if w, err = g.create(k, fmt.Sprintf("part-m%05d-%04d.parquet", run, part)); err != nil {
					return err
				}
				part++
				inFile = 0
			}
			inFile++
			return w.Write(row)
		})
		if err != nil {
			if w != nil {
				w.Abort()
			}
			return fmt.Errorf("glue merge of %s: %w", k, err)
		}
	}
	if err := commit(); err != nil {
		return fmt.Errorf("glue merge of %s: %w", k, err)
	}
	for _, f := range src {
		if err := os.Remove(f.Path); err != nil {
			return fmt.Errorf("glue merge: removing %s: %w", f.Path, err)
		}
	}
	return nil
}
