package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// The processed lake is published a version at a time, so that a reader
// never sees half a Glue run or a merged file next to its sources.
//
// Each version is a complete folder tree, datalake/.versions/processed-N/,
// and datalake/processed is a symbolic link to the current one. Glue
// builds version N+1 beside it: the run's new files, hard links to the
// files of version N it keeps, and the merged files that replace some of
// them, then a commit record, processed-N+1/_commit.json, that names what
// the version added and retired and carries the watermark. Replacing the
// link (a rename, atomic in POSIX) is the commit; the old version is then
// deleted. A reader of datalake/processed/**/*.parquet (DuckDB, Spark)
// resolves the link once and sees one whole version; a process killed
// before the rename leaves version N current and N+1 behind, which the
// next Glue start deletes (DiscardUncommitted).
//
// Glue is the lake's only writer, so versions never race.

var (
	versionsDir = filepath.Join(lakeDir, ".versions")
	versionName = numberedName{"processed-", 5, ""}
)

const (
	commitName = "_commit.json" // starts with _: Spark and Hive skip it, no *.parquet glob matches it
	linkTemp   = ".processed.link.tmp"
)

// Commit is a version's record: how it came to be.
type Commit struct {
	Version   int64     `json:"version"`
	What      string    `json:"what"`   // e.g. "glue run 7"; "" for the empty lake
	Layout    string    `json:"layout"` // the partition layout of its files ("" before layouts had names: the default)
	Watermark Watermark `json:"watermark"`
	Added     []string  `json:"added"`   // files it made current, relative to processed/
	Retired   []string  `json:"retired"` // files of the version before that it dropped (merged into others)
}

// initVersions makes the empty version 0 current when the lake has no
// processed link yet, and checks the link otherwise.
func (l *Lake) initVersions() error {
	info, err := os.Lstat(l.path(processedDir))
	if errors.Is(err, fs.ErrNotExist) {
		dir := l.versionDir(0)
		if err := os.MkdirAll(dir, dirMode); err != nil {
			return err
		}
		if err := writeCommit(dir, Commit{Added: []string{}, Retired: []string{}}); err != nil {
			return err
		}
		return l.point(0)
	}
	if err != nil {
		return err
	}
	if info.Mode()&fs.ModeSymlink == 0 {
		return fmt.Errorf("%s is not a link to a version of the processed lake (a lake from an older pipesim?)", l.path(processedDir))
	}
	_, err = l.currentVersion()
	return err
}

func (l *Lake) versionDir(n int64) string { return l.path(versionsDir, versionName.format(n)) }

// currentVersion reads the processed link.
func (l *Lake) currentVersion() (int64, error) {
	target, err := os.Readlink(l.path(processedDir))
	if err != nil {
		return 0, fmt.Errorf("processed lake: %w", err)
	}
	dir, name := filepath.Split(target)
	if filepath.Clean(dir) != filepath.Base(versionsDir) || !versionName.match(name) {
		return 0, fmt.Errorf("processed lake: %s points to %q, not to a version", l.path(processedDir), target)
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(name, versionName.prefix), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("processed lake: %s points to %q: %w", l.path(processedDir), target, err)
	}
	return n, nil
}

// point makes version n current: a new link renamed over the old one.
func (l *Lake) point(n int64) error {
	tmp := l.path(lakeDir, linkTemp)
	if err := removeIfExists(tmp); err != nil {
		return err
	}
	if err := os.Symlink(filepath.Join(filepath.Base(versionsDir), versionName.format(n)), tmp); err != nil {
		return fmt.Errorf("processed lake: %w", err)
	}
	if err := os.Rename(tmp, l.path(processedDir)); err != nil {
		return errors.Join(fmt.Errorf("processed lake: %w", err), removeIfExists(tmp))
	}
	return syncDir(l.path(lakeDir))
}

func writeCommit(dir string, c Commit) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, commitName), append(data, '\n'))
}

// CurrentCommit reads the current version's commit record.
func (l *Lake) CurrentCommit() (Commit, error) {
	n, err := l.currentVersion()
	if err != nil {
		return Commit{}, err
	}
	path := filepath.Join(l.versionDir(n), commitName)
	data, err := os.ReadFile(path)
	if err != nil {
		return Commit{}, fmt.Errorf("load commit: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Commit
	if err := dec.Decode(&c); err != nil {
		return Commit{}, fmt.Errorf("load commit %s: %w", path, err)
	}
	if len(bytes.TrimSpace(data[dec.InputOffset():])) > 0 {
		return Commit{}, fmt.Errorf("load commit %s: data after the record", path)
	}
	if c.Version != n {
		return Commit{}, fmt.Errorf("load commit %s: it records version %d", path, c.Version)
	}
	c.Watermark.Through = c.Watermark.Through.UTC()
	return c, nil
}

// LoadWatermark is the current version's watermark.
func (l *Lake) LoadWatermark() (Watermark, error) {
	c, err := l.CurrentCommit()
	return c.Watermark, err
}

// DiscardUncommitted deletes every version but the current one: versions
// a killed Glue run was building, and an old one a kill kept from being
// deleted.
func (l *Lake) DiscardUncommitted() error {
	cur, err := l.currentVersion()
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(l.path(versionsDir))
	if err != nil {
		return fmt.Errorf("processed lake: %w", err)
	}
	for _, e := range entries {
		if e.Name() == versionName.format(cur) {
			continue
		}
		if err := os.RemoveAll(l.path(versionsDir, e.Name())); err != nil {
			return fmt.Errorf("processed lake: discarding an uncommitted version: %w", err)
		}
	}
	return nil
}

// current is the current version's number and layout.
func (l *Lake) current() (int64, Layout, error) {
	c, err := l.CurrentCommit()
	if err != nil {
		return 0, Layout{}, err
	}
	layout, err := LayoutNamed(c.Layout)
	if err != nil {
		return 0, Layout{}, fmt.Errorf("processed lake, version %d: %w", c.Version, err)
	}
	return c.Version, layout, nil
}

// ProcessedFiles lists the current version's .parquet files, and says
// the layout they are in.
func (l *Lake) ProcessedFiles() ([]ProcessedFile, Layout, error) {
	n, layout, err := l.current()
	if err != nil {
		return nil, Layout{}, err
	}
	files, err := listProcessed(l.versionDir(n), layout)
	return files, layout, err
}

// NextVersion is the version a Glue run builds; nothing in it is visible
// to readers until Commit.
type NextVersion struct {
	l      *Lake
	n      int64
	dir    string
	layout Layout
	// the current version's files when it began, and their layout
	base       []ProcessedFile
	baseLayout Layout
}

// BeginVersion starts the version after the current one, empty, in
// layout.
func (l *Lake) BeginVersion(layout Layout) (*NextVersion, error) {
	base, baseLayout, err := l.ProcessedFiles()
	if err != nil {
		return nil, err
	}
	cur, err := l.currentVersion()
	if err != nil {
		return nil, err
	}
	v := &NextVersion{l: l, n: cur + 1, dir: l.versionDir(cur + 1), layout: layout, base: base, baseLayout: baseLayout}
	if err := os.RemoveAll(v.dir); err != nil { // a killed run's
		return nil, fmt.Errorf("processed lake: %w", err)
	}
	if err := os.MkdirAll(v.dir, dirMode); err != nil {
		return nil, fmt.Errorf("processed lake: %w", err)
	}
	return v, nil
}

// Repartitions reports whether the version is in another layout than
// the current one, which has files: they must be rewritten, not kept.
func (v *NextVersion) Repartitions() bool {
	return v.layout.Name != v.baseLayout.Name && len(v.base) > 0
}

// Current is the current version's files when this one began, and
// their layout.
func (v *NextVersion) Current() ([]ProcessedFile, Layout) { return v.base, v.baseLayout }

// CreatePart starts the Parquet file name in the version's partition p.
func (v *NextVersion) CreatePart(p Partition, name PartName, cols []Column, opt ParquetOptions) (*ParquetWriter, error) {
	dir, err := v.layout.dir(p)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(v.l.Root, filepath.Join(v.dir, dir))
	if err != nil {
		return nil, err
	}
	return v.l.CreateParquet(rel, name.String(), cols, opt)
}

// KeepCurrent adds the files of the current version to this one (hard
// links: no data is copied). A file this version already has by that name
// is an error, and so are files of another layout.
func (v *NextVersion) KeepCurrent() error {
	if v.Repartitions() {
		return fmt.Errorf("processed lake: version %d is in layout %s and cannot keep the %s files of version %d", v.n, v.layout.Name, v.baseLayout.Name, v.n-1)
	}
	from := v.l.versionDir(v.n - 1)
	for _, f := range v.base {
		rel, err := filepath.Rel(from, f.Path)
		if err != nil {
			return err
		}
		to := filepath.Join(v.dir, rel)
		if err := os.MkdirAll(filepath.Dir(to), dirMode); err != nil {
			return fmt.Errorf("processed lake: %w", err)
		}
		if err := os.Link(f.Path, to); err != nil {
			return fmt.Errorf("processed lake: keeping %s: %w", rel, err)
		}
	}
	return nil
}

// Files lists the version's .parquet files so far.
func (v *NextVersion) Files() ([]ProcessedFile, error) { return listProcessed(v.dir, v.layout) }

// Remove drops one of the version's files (the current version keeps it).
func (v *NextVersion) Remove(f ProcessedFile) error {
	if !strings.HasPrefix(f.Path, v.dir+string(filepath.Separator)) {
		return fmt.Errorf("processed lake: %s is not in version %d", f.Path, v.n)
	}
	if err := os.Remove(f.Path); err != nil {
		return fmt.Errorf("processed lake: %w", err)
	}
	return nil
}

// Commit records what the version adds and retires, with the watermark,
// and makes it current; then the old version is deleted.
func (v *NextVersion) Commit(what string, wm Watermark) error {
	files, err := v.Files()
	if err != nil {
		return err
	}
	rels := func(root string, fs []ProcessedFile) []string {
		out := make([]string, 0, len(fs))
		for _, f := range fs {
			rel, _ := filepath.Rel(root, f.Path)
			out = append(out, filepath.ToSlash(rel))
		}
		slices.Sort(out)
		return out
	}
	now, before := rels(v.dir, files), rels(v.l.versionDir(v.n-1), v.base)
	c := Commit{Version: v.n, What: what, Layout: v.layout.Name, Watermark: Watermark{Through: wm.Through.UTC(), Runs: wm.Runs}, Added: []string{}, Retired: []string{}}
	for _, r := range now {
		if _, found := slices.BinarySearch(before, r); !found {
			c.Added = append(c.Added, r)
		}
	}
	for _, r := range before {
		if _, found := slices.BinarySearch(now, r); !found {
			c.Retired = append(c.Retired, r)
		}
	}
	if err := writeCommit(v.dir, c); err != nil {
		return err
	}
	if err := syncTree(v.dir); err != nil {
		return err
	}
	if err := v.l.point(v.n); err != nil {
		return err
	}
	return v.l.DiscardUncommitted()
}

// Abort deletes the version.
func (v *NextVersion) Abort() error {
	if err := os.RemoveAll(v.dir); err != nil {
		return fmt.Errorf("processed lake: %w", err)
	}
	return nil
}

// syncTree makes the folders under dir durable (the files in them were
// synced as they were written), so that the commit never points to a
// version a power cut could lose part of.
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		return syncDir(p)
	})
}
