package sim

import (
	"fmt"
	"path/filepath"
	"time"

	"pipesim/store"
)

// Merging: a closed day's small files folded toward the file-size band,
// and a merge a crash interrupted finished or undone.

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
	perFile := max(rows, 1)
	if bytes > g.cfg.TargetFileBytes[1] {
		perFile = max(1, rows*g.cfg.TargetFileBytes[1]/bytes)
	}
	// the names say how many files the merge makes, so that after a crash
	// a complete set can be told from a partial one (recoverMerges)
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
				if w, err = g.create(k, store.PartName{Run: run, Merge: true, Index: part, Of: int(total)}); err != nil {
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
		if err := g.lake.Remove(f); err != nil {
			return fmt.Errorf("glue merge of %s: %w", k, err)
		}
	}
	return nil
}

// recoverMerges finishes or undoes a merge that a crash interrupted. A
// merge in run R writes the N files of store.PartName{Run: R, Merge: true,
// Of: N}, then removes its sources (the partition's files of runs up to R
// and merge files of earlier runs). All N present: the merge finished
// writing, so its sources go. Fewer: it did not, so its files go and the
// sources stay.
func (g *glueJob) recoverMerges() error {
	files, err := g.lake.ProcessedFiles()
	if err != nil {
		return err
	}
	byDir := map[string][]store.ProcessedFile{}
	var dirs []string
	for _, f := range files {
		if !f.Ours {
			continue
		}
		d := filepath.Dir(f.Path)
		if byDir[d] == nil {
			dirs = append(dirs, d)
		}
		byDir[d] = append(byDir[d], f)
	}
	for _, d := range dirs {
		var last int64
		var have, want int
		for _, f := range byDir[d] {
			if p := f.Part; p.Merge && p.Run >= last {
				if p.Run > last {
					last, have = p.Run, 0
				}
				have, want = have+1, p.Of
			}
		}
		if last == 0 {
			continue
		}
		for _, f := range byDir[d] {
			p := f.Part
			undo := have < want && p.Merge && p.Run == last
			finish := have == want && ((!p.Merge && p.Run <= last) || (p.Merge && p.Run < last))
			if undo || finish {
				if err := g.lake.Remove(f); err != nil {
					return fmt.Errorf("glue: recovering an interrupted merge in %s: %w", d, err)
				}
			}
		}
	}
	return nil
}
