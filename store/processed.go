package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// The processed lake: datalake/processed/ holds the Parquet files Glue
// writes in the folders of a Layout, named for what wrote them (see
// PartName). This file is its names and its listing.

// PartName is what a processed file's name says of the Glue run that
// wrote it:
//
//	part-r00007-0000.parquet          written by run 7
//	part-m00009-0001-of-0003.parquet  file 1 of the 3 a merge in run 9 wrote
//
// A merge names its file count so that, after a crash, a complete set can
// be told from a partial one.
type PartName struct {
	Run   int64
	Merge bool
	Index int // merge files: which, from 0
	Of    int // merge files: how many the merge wrote
}

func (n PartName) String() string {
	if n.Merge {
		return fmt.Sprintf("part-m%05d-%04d-of-%04d.parquet", n.Run, n.Index, n.Of)
	}
	return fmt.Sprintf("part-r%05d-0000.parquet", n.Run)
}

var partNamePattern = regexp.MustCompile(`^part-(?:r(\d{5,})-0000|m(\d{5,})-(\d{4,})-of-(\d{4,}))\.parquet$`)

// ParsePartName reads a file name written by PartName.String; ok is false
// for any other name.
func ParsePartName(name string) (n PartName, ok bool) {
	m := partNamePattern.FindStringSubmatch(name)
	if m == nil {
		return PartName{}, false
	}
	num := func(s string) int64 { v, _ := strconv.ParseInt(s, 10, 64); return v }
	if m[1] != "" {
		return PartName{Run: num(m[1])}, true
	}
	return PartName{Run: num(m[2]), Merge: true, Index: int(num(m[3])), Of: int(num(m[4]))}, true
}

// ProcessedFile is one committed Parquet file of the processed lake.
type ProcessedFile struct {
	Partition Partition
	Path      string
	Bytes     int64
	Rows      int64 // from the file's footer
	// NominalRows is what the rows stand for at the scenario's volume,
	// from the footer's NominalRowsKey (Rows for a file without it).
	NominalRows int64
}

// listProcessed lists every .parquet file of a version in layout l rooted
// at root, sorted by partition and path, reading each footer for its row
// count. Folder names are parsed strictly; entries starting with "."
// (temp files) or "_" (the commit record) are ignored.
func listProcessed(root string, l Layout) ([]ProcessedFile, error) {
	var out []ProcessedFile
	var walk func(dir string, vals []int) error
	walk = func(dir string, vals []int) error {
		if len(vals) == len(l.levels) {
			start, ok := l.start(vals)
			if !ok {
				return fmt.Errorf("list processed: bad partition folder %s (no such date)", dir)
			}
			return l.listValues(dir, Partition{Start: start, End: start.Add(l.Span)}, &out)
		}
		dirs, err := partDirs(dir, l.levels[len(vals)])
		if err != nil {
			return err
		}
		for _, d := range dirs {
			if err := walk(d.path, append(vals, d.value)); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(root, make([]int, 0, len(l.levels)))
}

// listValues adds the files of each value folder under the time folders
// of span p.
func (l Layout) listValues(dir string, p Partition, out *[]ProcessedFile) error {
	values, err := visibleEntries(dir)
	if err != nil {
		return err
	}
	for _, e := range values {
		path := filepath.Join(dir, e.Name())
		v, ok := l.parseValue(e.Name())
		if !ok || !e.IsDir() {
			return fmt.Errorf("list processed: bad partition folder %s (layout %s)", path, l.Name)
		}
		files, err := visibleEntries(path)
		if err != nil {
			return err
		}
		for _, fe := range files {
			fp := filepath.Join(path, fe.Name())
			if fe.IsDir() || !strings.HasSuffix(fe.Name(), ".parquet") {
				return fmt.Errorf("list processed: unexpected entry %s", fp)
			}
			f, err := parquetFooter(fp)
			if err != nil {
				return err
			}
			f.Partition = p
			f.Partition.Value = v
			*out = append(*out, f)
		}
	}
	return nil
}

// parquetFooter reads a Parquet file's size, and its row counts from the
// footer.
func parquetFooter(path string) (ProcessedFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return ProcessedFile{}, fmt.Errorf("read parquet footer: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return ProcessedFile{}, fmt.Errorf("read parquet footer: %w", err)
	}
	pf, err := parquet.OpenFile(f, info.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return ProcessedFile{}, fmt.Errorf("read parquet footer %s: %w", path, err)
	}
	out := ProcessedFile{Path: path, Bytes: info.Size(), Rows: pf.NumRows(), NominalRows: pf.NumRows()}
	if v, ok := pf.Lookup(NominalRowsKey); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < out.Rows {
			return ProcessedFile{}, fmt.Errorf("read parquet footer %s: %s is %q, want a whole number of at least the file's %d rows", path, NominalRowsKey, v, out.Rows)
		}
		out.NominalRows = n
	}
	return out, nil
}

type partDir struct {
	path  string
	value int
}

// partDirs lists the partition folders of one level in dir, strictly. A
// missing top folder is empty.
func partDirs(dir string, level partLevel) ([]partDir, error) {
	entries, err := visibleEntries(dir)
	if err != nil {
		return nil, err
	}
	out := make([]partDir, 0, len(entries))
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		v, ok := level.parse(e.Name())
		if !ok || !e.IsDir() {
			return nil, fmt.Errorf("list processed: bad partition folder %s", p)
		}
		out = append(out, partDir{path: p, value: v})
	}
	slices.SortFunc(out, func(a, b partDir) int { return a.value - b.value }) // month=10 after month=9
	return out, nil
}

// visibleEntries lists dir without hidden entries, sorted by name. A
// missing folder is empty.
func visibleEntries(dir string) ([]os.DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("list processed: %w", err)
	}
	return slices.DeleteFunc(entries, func(e os.DirEntry) bool { return hidden(e.Name()) }), nil
}
