package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// StagingWriter appends NDJSON lines to the staging partition files
// datalake/staging/year=2026/month=1/day=5/hour=0/minute=7/shard-NNNNNNNNNNNN.ndjson,
// one file per minute partition and shard. Files are opened in append mode
// and buffered; at most a few are open at once. It is not safe for
// concurrent use.
type StagingWriter struct {
	a            appender
	closedBefore time.Time // partitions before this minute are closed for good
}

// NewStagingWriter returns a writer for the lake's staging area.
func (l *Lake) NewStagingWriter() *StagingWriter {
	return &StagingWriter{a: newAppender(func(k fileKey) (string, error) {
		name, err := StagingFileName(k.shard)
		if err != nil {
			return "", err
		}
		return l.path(stagingDir, stagingPartition(time.Unix(k.part, 0)), name), nil
	})}
}

// StagingFileName is the name of a shard's file in a staging partition
// ("shardId-000000000003" writes shard-000000000003.ndjson).
func StagingFileName(shard string) (string, error) {
	n, err := shardNumber(shard)
	if err != nil {
		return "", err
	}
	return stagingFileName.format(n), nil
}

// StagingFolders are the folder names of a minute's staging partition, from
// year to minute: year=2026, month=1, day=5, hour=0, minute=7.
func StagingFolders(minute time.Time) [5]string {
	minute = minute.UTC()
	return [5]string{
		yearLevel.folder(minute.Year()), monthLevel.folder(int(minute.Month())), dayLevel.folder(minute.Day()),
		hourLevel.folder(minute.Hour()), minuteLevel.folder(minute.Minute()),
	}
}

// stagingPartition is the folder of a minute, relative to the staging root.
func stagingPartition(minute time.Time) string {
	f := StagingFolders(minute)
	return filepath.Join(f[:]...)
}

// Append writes line and '\n' to the file of the minute partition (minute
// is truncated to the minute, in UTC) and shard ("shardId-000000000000").
func (w *StagingWriter) Append(minute time.Time, shard string, line []byte) error {
	minute = minute.UTC().Truncate(time.Minute)
	if minute.Before(w.closedBefore) {
		return fmt.Errorf("staging append: partition %s is closed (closed before %s)",
			minute.Format(time.RFC3339), w.closedBefore.Format(time.RFC3339))
	}
	return w.a.appendLine(fileKey{part: minute.Unix(), shard: shard}, line)
}

// CloseBefore flushes and closes the files of every partition before
// minute. Those partitions are closed for good: a later Append to them
// fails, so a batch job may read them.
func (w *StagingWriter) CloseBefore(minute time.Time) error {
	minute = minute.UTC().Truncate(time.Minute)
	if minute.After(w.closedBefore) {
		w.closedBefore = minute
	}
	limit := minute.Unix()
	return w.a.closeWhere(func(k fileKey) bool { return k.part < limit })
}

// Close flushes and closes every open file. Later appends fail.
func (w *StagingWriter) Close() error {
	return w.a.close()
}

// WriteStagingObject writes a Firehose delivery, the n-th, into the
// staging partition of minute: firehose-0000000n.ndjson, whole or not at
// all (a hidden temp file renamed into place). Like the Lambda's appends
// it is not synced: staging is read once its minute has closed.
func (l *Lake) WriteStagingObject(minute time.Time, n int64, data []byte) (StagingFile, error) {
	path := l.path(stagingDir, stagingPartition(minute.UTC().Truncate(time.Minute)), firehoseObjectName.format(n))
	dir, name := filepath.Split(path)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return StagingFile{}, fmt.Errorf("staging object: %w", err)
	}
	tmp := filepath.Join(dir, tempName(name))
	if err := os.WriteFile(tmp, data, fileMode); err != nil {
		return StagingFile{}, errors.Join(fmt.Errorf("staging object: %w", err), removeIfExists(tmp))
	}
	if err := os.Rename(tmp, path); err != nil {
		return StagingFile{}, errors.Join(fmt.Errorf("staging object: %w", err), removeIfExists(tmp))
	}
	return StagingFile{Minute: minute.UTC().Truncate(time.Minute), Path: path, Bytes: int64(len(data)), Raw: true}, nil
}

// StagingFile is one NDJSON file of a staging partition.
type StagingFile struct {
	Minute time.Time // the partition's minute, UTC
	Path   string
	Bytes  int64
	// Raw: a Firehose object, the records as the producer sent them; else
	// the Lambda's staging lines
	Raw bool
}

var stagingLevels = []partLevel{yearLevel, monthLevel, dayLevel, hourLevel, minuteLevel}

// StagingFiles lists the .ndjson files of the partitions whose minute is
// strictly between after and before, sorted by minute then path. The caller
// passes as before a minute its writer has closed everything before (see
// CloseBefore). Folder names are parsed strictly: a folder that does not
// fit the layout is an error naming it. Entries starting with "." or "_"
// are ignored.
func (l *Lake) StagingFiles(after, before time.Time) ([]StagingFile, error) {
	var out []StagingFile
	err := l.walkStaging(l.path(stagingDir), 0, [5]int{}, after, before, &out)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b StagingFile) int {
		if c := a.Minute.Compare(b.Minute); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path)
	})
	return out, nil
}

// walkStaging visits dir, a folder at depth (0 = staging root), whose
// partition values so far are in f.
func (l *Lake) walkStaging(dir string, depth int, f [5]int, after, before time.Time, out *[]StagingFile) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if depth == 0 && errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("list staging: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if hidden(name) {
			continue
		}
		p := filepath.Join(dir, name)
		if depth == len(stagingLevels) {
			if e.IsDir() || !strings.HasSuffix(name, ".ndjson") {
				return fmt.Errorf("list staging: unexpected entry %s", p)
			}
			info, err := e.Info()
			if err != nil {
				return fmt.Errorf("list staging: %w", err)
			}
			minute, _ := stagingSpan(len(stagingLevels)-1, f)
			*out = append(*out, StagingFile{Minute: minute, Path: p, Bytes: info.Size(), Raw: firehoseObjectName.match(name)})
			continue
		}
		v, ok := stagingLevels[depth].parse(name)
		if !ok || !e.IsDir() {
			return fmt.Errorf("list staging: bad partition folder %s", p)
		}
		g := f
		g[depth] = v
		start, end := stagingSpan(depth, g)
		if depth == 2 && start.Day() != v {
			return fmt.Errorf("list staging: bad partition folder %s (no such date)", p)
		}
		// The subtree holds minutes start … end-1m; skip it when none of
		// them is in (after, before).
		if !end.Add(-time.Minute).After(after) || !start.Before(before) {
			continue
		}
		if err := l.walkStaging(p, depth+1, g, after, before, out); err != nil {
			return err
		}
	}
	return nil
}

// stagingSpan is the time range [start, end) covered by a partition folder
// at depth with values f.
func stagingSpan(depth int, f [5]int) (start, end time.Time) {
	start = time.Date(f[0], time.Month(max(f[1], 1)), max(f[2], 1), f[3], f[4], 0, 0, time.UTC)
	switch depth {
	case 0:
		return start, start.AddDate(1, 0, 0)
	case 1:
		return start, start.AddDate(0, 1, 0)
	case 2:
		return start, start.AddDate(0, 0, 1)
	case 3:
		return start, start.Add(time.Hour)
	}
	return start, start.Add(time.Minute)
}

var newline = []byte{'\n'}

// ReadLines calls fn for each line of the file at path, numbered from 1,
// without its '\n'. A last line without '\n' is passed too. Lines may be of
// any length. line is only valid during the call. An error from fn stops
// the read and is returned wrapped with the path and line number.
func ReadLines(path string, fn func(lineNo int, line []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read lines: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	var long []byte // a line longer than the reader's buffer, gathered
	lineNo := 0
	for {
		chunk, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, chunk...)
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read lines %s: %w", path, err)
		}
		line := chunk
		if len(long) > 0 {
			long = append(long, chunk...)
			line = long
		}
		if len(line) > 0 {
			lineNo++
			if ferr := fn(lineNo, bytes.TrimSuffix(line, newline)); ferr != nil {
				return fmt.Errorf("%s:%d: %w", path, lineNo, ferr)
			}
		}
		long = long[:0]
		if err != nil { // io.EOF
			return nil
		}
	}
}
