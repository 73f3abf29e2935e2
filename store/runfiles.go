package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// runState is datalake/_state/run.json: whether the run that wrote the lake
// ended cleanly (drained, or stopped on request with everything flushed).
// A run that was killed, crashed or stopped on an error leaves it false.
type runState struct {
	Ended bool `json:"ended"`
}

const runStateName = "run.json"

func (l *Lake) runStatePath() string { return l.path(stateDir, runStateName) }

func (l *Lake) saveRunState(s runState) error {
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("save run state %s: %w", l.runStatePath(), err)
	}
	return writeAtomic(l.runStatePath(), append(data, '\n'))
}

// MarkEnded records that the run writing the lake ended cleanly: the next
// run in the same folder may replace staging it never compacted.
func (l *Lake) MarkEnded() error { return l.saveRunState(runState{Ended: true}) }

// loadRunState reads run.json; a lake without one (written before pipesim
// kept it) counts as one whose run did not end cleanly.
func (l *Lake) loadRunState() (runState, error) {
	data, err := os.ReadFile(l.runStatePath())
	if errors.Is(err, fs.ErrNotExist) {
		return runState{}, nil
	}
	if err != nil {
		return runState{}, fmt.Errorf("load run state: %w", err)
	}
	var s runState
	if err := json.Unmarshal(data, &s); err != nil {
		return runState{}, fmt.Errorf("load run state %s: %w", l.runStatePath(), err)
	}
	return s, nil
}

// CreateLake makes root's lake ready for a new run, replacing an earlier
// run's files, and marks the lake as being written (see MarkEnded). It
// removes only files pipesim wrote, and refuses, naming the first few:
//   - a lake or reports folder holding files pipesim did not write (it
//     never deletes them, and its listings would trip over them);
//   - staging past the watermark left by a run that did not end cleanly
//     (crashed or killed): 'pipesim compact' finishes that run's job.
//     With discardStaging that staging is removed too.
//
// Anything outside datalake/ and cloudwatch_reports/ stays as it is.
func CreateLake(root string, discardStaging bool) (*Lake, error) {
	l := &Lake{Root: root}
	files, err := l.earlierRunFiles()
	if err != nil {
		return nil, err
	}
	if len(files) > 0 {
		if err := l.checkReplaceable(files, discardStaging); err != nil {
			return nil, err
		}
		for _, rel := range files {
			if err := os.Remove(l.path(rel)); err != nil {
				return nil, fmt.Errorf("create lake %s: clearing the earlier run: %w", root, err)
			}
		}
		for _, top := range []string{lakeDir, reportsDir} {
			if err := removeEmptyDirs(l.path(top)); err != nil {
				return nil, fmt.Errorf("create lake %s: clearing the earlier run: %w", root, err)
			}
		}
	}
	if l, err = OpenLake(root); err != nil {
		return nil, err
	}
	if err := l.saveRunState(runState{}); err != nil {
		return nil, err
	}
	return l, nil
}

// earlierRunFiles lists the files under datalake/ and cloudwatch_reports/
// (relative to the root), sorted.
func (l *Lake) earlierRunFiles() ([]string, error) {
	var files []string
	for _, top := range []string{lakeDir, reportsDir} {
		err := filepath.WalkDir(l.path(top), func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == l.path(top) {
				return fs.SkipDir
			}
			if err != nil {
				return err
			}
			if !d.IsDir() {
				rel, err := filepath.Rel(l.Root, p)
				if err != nil {
					return err
				}
				files = append(files, rel)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("create lake %s: looking at the earlier run: %w", l.Root, err)
		}
	}
	slices.Sort(files)
	return files, nil
}

// checkReplaceable refuses files pipesim did not write, and staging a
// crashed run never compacted unless discardStaging.
func (l *Lake) checkReplaceable(files []string, discardStaging bool) error {
	var foreign []string
	for _, rel := range files {
		if !wrote(filepath.ToSlash(rel)) {
			foreign = append(foreign, rel)
		}
	}
	if len(foreign) > 0 {
		return fmt.Errorf("%s holds %s pipesim did not write (%s); it deletes only its own files: move them, or choose another --out",
			l.Root, plural(len(foreign), "file"), firstFew(foreign))
	}
	if discardStaging {
		return nil
	}
	state, err := l.loadRunState()
	if err != nil {
		return err
	}
	if state.Ended {
		return nil
	}
	var wm Watermark
	if _, err := os.Lstat(l.path(processedDir)); err == nil {
		if wm, err = l.LoadWatermark(); err != nil {
			return err
		}
	}
	staged, err := l.StagingFiles(wm.Through, time.Unix(1<<40, 0))
	if err != nil {
		return err
	}
	if len(staged) > 0 {
		return fmt.Errorf("%s: the run that wrote it did not finish, and its staging from %s to %s (%s) was never compacted; 'pipesim compact --out %s' finishes its job, or --force discards it",
			l.Root, staged[0].Minute.Format("2006-01-02 15:04"), staged[len(staged)-1].Minute.Format("15:04"), plural(countMinutes(staged), "minute"), l.Root)
	}
	return nil
}

func countMinutes(files []StagingFile) int {
	n := 0
	for i, f := range files {
		if i == 0 || !f.Minute.Equal(files[i-1].Minute) {
			n++
		}
	}
	return n
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// firstFew names up to three of paths.
func firstFew(paths []string) string {
	if len(paths) <= 3 {
		return strings.Join(paths, ", ")
	}
	return strings.Join(paths[:3], ", ") + fmt.Sprintf(" and %d more", len(paths)-3)
}

// removeEmptyDirs removes dir and the folders under it, deepest first; all
// of them must be empty of files by now.
func removeEmptyDirs(dir string) error {
	var dirs []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return fs.SkipDir
		}
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, d := range slices.Backward(dirs) {
		if err := os.Remove(d); err != nil {
			return err
		}
	}
	return nil
}

// wrote reports whether a file at rel (relative to the output root, with
// /) has a name and place pipesim gives the files it writes, or their temp
// files.
func wrote(rel string) bool {
	dirs := strings.Split(rel, "/")
	name := dirs[len(dirs)-1]
	dirs = dirs[:len(dirs)-1]
	if rel == filepath.ToSlash(processedDir) || rel == filepath.ToSlash(filepath.Join(lakeDir, linkTemp)) {
		return true // the link to the current version, or the one replacing it
	}
	if base, ok := tempOf(name); ok {
		name = base
	}
	if name == probeName {
		return true
	}
	under := func(top string, levels ...partLevel) ([]string, bool) {
		want := strings.Split(filepath.ToSlash(top), "/")
		if len(dirs) < len(want)+len(levels) || !slices.Equal(dirs[:len(want)], want) {
			return nil, false
		}
		for i, lv := range levels {
			if _, ok := lv.parse(dirs[len(want)+i]); !ok {
				return nil, false
			}
		}
		return dirs[len(want)+len(levels):], true
	}
	if rest, ok := under(reportsDir); ok {
		return len(rest) == 0 && isReportName(name)
	}
	if rest, ok := under(stagingDir, stagingLevels...); ok {
		return len(rest) == 0 && (stagingFileName.match(name) || firehoseObjectName.match(name))
	}
	if rest, ok := under(dlqDir, yearLevel, monthLevel, dayLevel, hourLevel); ok {
		return len(rest) == 0 && deadLetterFileName.match(name)
	}
	if len(dirs) >= 3 && dirs[0] == lakeDir && dirs[1] == filepath.Base(versionsDir) && versionName.match(dirs[2]) {
		v := strings.Join(dirs[:3], "/")
		if len(dirs) == 3 {
			return name == commitName
		}
		_, ours := ParsePartName(name)
		for _, l := range Layouts {
			if rest, ok := under(v, l.levels...); ok && len(rest) == 1 {
				if _, ok := l.parseValue(rest[0]); ok {
					return ours
				}
			}
		}
		return false
	}
	if rest, ok := under(quarantineDir); ok {
		return len(rest) == 0 && quarantineFileName.match(name)
	}
	if rest, ok := under(onFailureDir); ok {
		return len(rest) == 0 && name == onFailureName
	}
	if rest, ok := under(stateDir); ok {
		return len(rest) == 0 && name == runStateName
	}
	return false
}
