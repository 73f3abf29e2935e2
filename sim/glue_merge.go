package sim

import (
	"fmt"
	"time"

	"pipesim/store"
)

// Merging: a closed day's small files folded toward the file-size band,
// in the version a Glue run builds, so that readers see the merged files
// and their sources never at once.

// merge folds the files of each closed day's language partition into as
// few files as the target band allows. A day is closed MergeAfter past
// its end; late events that reach it later make a new small file that the
// next run folds in again.
func (g *glueJob) merge(now time.Time, v *store.NextVersion, run int64) (int, error) {
	files, err := v.Files()
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
		if err := g.mergeFiles(v, k, src, run); err != nil {
			return merged, err
		}
		merged += len(src)
	}
	return merged, nil
}

func (g *glueJob) mergeFiles(v *store.NextVersion, k partitionKey, src []store.ProcessedFile, run int64) error {
	var rows, bytes int64
	for _, f := range src {
		rows += f.Rows
		bytes += nominalBytes(f)
	}
	// split so each output stays under the band's top at the nominal
	// volume, judging by the sources' bytes per row: a sampled lake has as
	// many files as the full one, each standing for its nominal size
	perFile := max(rows, 1)
	if bytes > g.cfg.TargetFileBytes[1] {
		perFile = max(1, mulDiv(rows, g.cfg.TargetFileBytes[1], bytes))
	}
	// the names say how many files the merge makes
	total := max((rows+perFile-1)/perFile, 1)
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
		rows := newSpread(f.NominalRows, f.Rows)
		err := store.ReadParquet(f.Path, cols, func(row []store.Value) error {
			if w != nil && inFile == perFile {
				if err := commit(); err != nil {
					return err
				}
			}
			if w == nil {
				var err error
				if w, err = g.create(v, k, store.PartName{Run: run, Merge: true, Index: part, Of: int(total)}); err != nil {
					return err
				}
				part++
				inFile = 0
			}
			inFile++
			return w.WriteWeighted(row, rows.next())
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
		if err := v.Remove(f); err != nil {
			return fmt.Errorf("glue merge of %s: %w", k, err)
		}
	}
	return nil
}
