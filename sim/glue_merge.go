package sim

import (
	"fmt"
	"slices"
	"time"

	"pipesim/store"
)

// Merging: a closed partition's small files folded toward the file-size
// band, and a lake rewritten into another layout, in the version a Glue
// run builds, so that readers see the new files and their sources never
// at once.

// merge folds the files of each closed partition into as few files as
// the target band allows. A partition is closed MergeAfter past its end;
// late events that reach it later make a new small file that the next
// run folds in again.
func (g *glueJob) merge(now time.Time, n *gathering, run int64) (int, error) {
	files, err := n.v.Files()
	if err != nil {
		return 0, err
	}
	groups := map[store.Partition][]store.ProcessedFile{}
	var keys []store.Partition
	for _, f := range files {
		if now.Before(f.Partition.End.Add(g.cfg.MergeAfter)) {
			continue
		}
		k := f.Partition
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], f)
	}
	var rows, nominal int64
	keys = slices.DeleteFunc(keys, func(k store.Partition) bool {
		src := groups[k]
		if len(src) < 2 && nominalBytes(src[0]) <= g.cfg.TargetFileBytes[1] {
			return true // one file, not above the band: nothing to fold or split
		}
		for _, f := range src {
			rows, nominal = rows+f.Rows, nominal+f.NominalRows
		}
		return false
	})
	g.progress.begin(GlueMerging, rows, nominal)
	merged := 0
	for _, k := range keys {
		src := groups[k]
		if err := g.mergeFiles(n.v, n.layout, k, src, run); err != nil {
			return merged, err
		}
		merged += len(src)
	}
	return merged, nil
}

func (g *glueJob) mergeFiles(v *store.NextVersion, l fileLayout, k store.Partition, src []store.ProcessedFile, run int64) error {
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
		err := store.ReadParquet(f.Path, l.cols, func(row []store.Value) error {
			if w != nil && inFile == perFile {
				if err := commit(); err != nil {
					return err
				}
			}
			if w == nil {
				var err error
				if w, err = g.create(v, l, k, store.PartName{Run: run, Merge: true, Index: part, Of: int(total)}); err != nil {
					return err
				}
				part++
				inFile = 0
			}
			inFile++
			g.progress.add(1)
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

// relay rewrites every file of the current version, in the layout before,
// into the run's writers of the layout in force (glue.partitioning was
// flipped): a lake holds one layout, so that a reader inferring its Hive
// partitions sees one set of columns. The compression ratio's staging
// bytes follow the rows.
func (g *glueJob) relay(n *gathering) error {
	files, before := n.v.Current()
	old, err := newFileLayout(before.Name, g.cat)
	if err != nil {
		return err
	}
	rowsIn := map[store.Partition]int64{}
	var rows, nominal int64
	for _, f := range files {
		rowsIn[f.Partition] += f.Rows
		rows, nominal = rows+f.Rows, nominal+f.NominalRows
	}
	g.progress.begin(GlueRewriting, rows, nominal)
	ndjson := map[store.Partition]*spread{}
	for p, rows := range rowsIn {
		ndjson[p] = newSpread(g.ndjsonBytes[p], rows)
	}
	for _, f := range files {
		rows := newSpread(f.NominalRows, f.Rows)
		err := store.ReadParquet(f.Path, old.cols, func(row []store.Value) error {
			g.full = old.wholeRow(g.full, row, f.Partition)
			k := n.layout.partition(g.full)
			w, err := g.writer(n, k)
			if err != nil {
				return err
			}
			n.ndjson[k] += ndjson[f.Partition].next()
			g.row = n.layout.fileRow(g.row, g.full)
			g.progress.add(1)
			return w.WriteWeighted(g.row, rows.next())
		})
		if err != nil {
			return fmt.Errorf("rewriting %s into layout %s: %w", f.Path, n.layout.Name, err)
		}
	}
	return nil
}
