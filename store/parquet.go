package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// writeBatch is how many rows a ParquetWriter gathers before handing them
// to its encoder.
const writeBatch = 256

// pageChunk is how many rows the encoder gives a column at a time: a page
// ends only between such writes. parquet-go's row path writes 64 at a time;
// writing the same chunks column by column gives the same file, byte for
// byte.
const pageChunk = 64

// DefaultRowGroupRows is the row group size used when ParquetOptions
// leaves it at zero.
const DefaultRowGroupRows = 1_000_000

// ParquetOptions tunes a Parquet file. Compression is always zstd, data
// pages are version 1 and values PLAIN, which the widest range of readers
// understands.
type ParquetOptions struct {
	RowGroupRows int // rows per row group; 0 means DefaultRowGroupRows
}

// ParquetWriter writes one Parquet file. Rows go to a hidden temp file in
// the target folder ("." + name + ".tmp", which no *.parquet glob sees);
// Commit renames it into place. It is not safe for concurrent use.
type ParquetWriter struct {
	path string // final path
	tmp  string
	f    *os.File
	pw   *parquet.GenericWriter[any] // any: the schema is the catalogue's, known at run time
	cols []Column
	leaf []int // cols[i] is leaf column leaf[i] of the schema

	// Rows are encoded on a goroutine of the writer's own, a batch at a
	// time, while the caller fills the next batch: encoding and zstd are
	// most of a Glue run's time, and the caller's goroutine has its own
	// work (reading and parsing staging lines).
	cur        *columnBatch      // being filled
	free, full chan *columnBatch // two batches go round
	encoded    chan error        // the encoder's end: its first error, or nil
	encoding   bool
	groupRows  int64 // rows in the encoder's current row group
	groupMax   int64 // rows a row group holds

	n       int64
	nominal int64 // rows at the scenario's volume that the n rows stand for
	err     error // a failed write leaves the file unusable
	done    bool
}

// columnBatch is up to writeBatch rows held column by column (cols[i] is
// leaf column i's values), and the bytes of their strings. Writing columns
// rather than rows spares parquet-go's row path turning each row back
// into columns.
type columnBatch struct {
	cols    [][]parquet.Value
	n       int
	scratch []byte
}

func newColumnBatch(cols int) *columnBatch {
	b := &columnBatch{cols: make([][]parquet.Value, cols)}
	values := make([]parquet.Value, writeBatch*cols)
	for i := range b.cols {
		b.cols[i] = values[i*writeBatch : i*writeBatch : (i+1)*writeBatch]
	}
	return b
}

// encode runs on the writer's goroutine until full is closed.
func (w *ParquetWriter) encode() {
	var err error
	for b := range w.full {
		if err == nil {
			if werr := w.writeColumns(b); werr != nil {
				err = fmt.Errorf("write parquet %s: %w", w.path, werr)
			}
		}
		for i := range b.cols {
			b.cols[i] = b.cols[i][:0]
		}
		b.n, b.scratch = 0, b.scratch[:0]
		w.free <- b
	}
	w.encoded <- err
}

// writeColumns hands b's rows to the column writers in chunks of
// pageChunk, starting a row group when the current one is full (on the
// next row, as parquet-go's row path does).
func (w *ParquetWriter) writeColumns(b *columnBatch) error {
	for start := 0; start < b.n; {
		if w.groupRows == w.groupMax {
			if err := w.pw.Flush(); err != nil {
				return err
			}
			w.groupRows = 0
		}
		end := start + int(min(int64(pageChunk), int64(b.n-start), w.groupMax-w.groupRows))
		for i, cw := range w.pw.ColumnWriters() {
			if _, err := cw.WriteRowValues(b.cols[i][start:end]); err != nil {
				return err
			}
		}
		w.groupRows += int64(end - start)
		start = end
	}
	return nil
}

// endEncoding hands over the last batch, waits for the encoder and
// returns its error.
func (w *ParquetWriter) endEncoding() error {
	if !w.encoding {
		return nil
	}
	w.encoding = false
	if w.cur.n > 0 {
		w.full <- w.cur
	}
	close(w.full)
	return <-w.encoded
}

// ParquetFileInfo describes a committed Parquet file.
type ParquetFileInfo struct {
	Path        string
	Bytes       int64
	Rows        int64
	NominalRows int64
}

// NominalRowsKey is the footer's key-value metadata entry that says how
// many rows at the scenario's volume a sampled file's rows stand for.
const NominalRowsKey = "pipesim.nominal_rows"

// zstdFastest trades a few per cent of file size for about twice the
// encoding speed of parquet-go's default level; Glue's time is mostly here.
var zstdFastest = &zstd.Codec{Level: zstd.SpeedFastest}

// parquetSchema builds a flat schema of cols and, for each column, the
// index of its leaf (parquet.Group orders fields by name).
func parquetSchema(cols []Column) (*parquet.Schema, []int, error) {
	if len(cols) == 0 || len(cols) > parquet.MaxColumnIndex {
		return nil, nil, fmt.Errorf("schema: %d columns (want 1 to %d)", len(cols), parquet.MaxColumnIndex)
	}
	g := make(parquet.Group, len(cols))
	for _, c := range cols {
		if c.Name == "" {
			return nil, nil, errors.New("schema: a column has no name")
		}
		if _, dup := g[c.Name]; dup {
			return nil, nil, fmt.Errorf("schema: column %q appears twice", c.Name)
		}
		var n parquet.Node
		switch c.Kind {
		case String:
			// PLAIN rather than parquet-go's DELTA_LENGTH_BYTE_ARRAY:
			// every reader knows it, and after zstd it is no larger.
			n = parquet.Encoded(parquet.String(), &parquet.Plain)
		case Int64:
			n = parquet.Int(64)
		case Float64:
			n = parquet.Leaf(parquet.DoubleType)
		case Timestamp:
			n = parquet.Timestamp(parquet.Microsecond)
		default:
			return nil, nil, fmt.Errorf("schema: column %q has unknown kind %d", c.Name, c.Kind)
		}
		if !c.Required {
			n = parquet.Optional(n)
		}
		g[c.Name] = n
	}
	s := parquet.NewSchema("event", g)
	leaf := make([]int, len(cols))
	for i, c := range cols {
		lc, ok := s.Lookup(c.Name)
		if !ok {
			return nil, nil, fmt.Errorf("schema: column %q not found after building", c.Name)
		}
		leaf[i] = lc.ColumnIndex
	}
	return s, leaf, nil
}

// writerConfig is how every file is written: zstd, version 1 data pages,
// rowGroup rows to a row group.
func writerConfig(schema *parquet.Schema, rowGroup int) (*parquet.WriterConfig, error) {
	return parquet.NewWriterConfig(
		schema,
		parquet.Compression(zstdFastest),
		parquet.DataPageVersion(1),
		parquet.MaxRowsPerRowGroup(int64(rowGroup)),
	)
}

// CreateParquet starts the Parquet file relDir/name under the lake root
// (relDir is created if missing; name must end in .parquet). Nothing is
// visible under name until Commit.
func (l *Lake) CreateParquet(relDir, name string, cols []Column, opt ParquetOptions) (*ParquetWriter, error) {
	if err := checkFileName(name); err != nil || !strings.HasSuffix(name, ".parquet") {
		return nil, fmt.Errorf("create parquet: bad file name %q (want a plain name ending in .parquet)", name)
	}
	if !filepath.IsLocal(relDir) {
		return nil, fmt.Errorf("create parquet: folder %q is not inside the lake", relDir)
	}
	dir := l.path(relDir)
	path := filepath.Join(dir, name)
	schema, leaf, err := parquetSchema(cols)
	if err != nil {
		return nil, fmt.Errorf("create parquet %s: %w", path, err)
	}
	rowGroup := opt.RowGroupRows
	if rowGroup == 0 {
		rowGroup = DefaultRowGroupRows
	}
	if rowGroup < 0 {
		return nil, fmt.Errorf("create parquet %s: negative RowGroupRows %d", path, rowGroup)
	}
	config, err := writerConfig(schema, rowGroup)
	if err != nil {
		return nil, fmt.Errorf("create parquet %s: %w", path, err)
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("create parquet %s: %w", path, err)
	}
	tmp := filepath.Join(dir, tempName(name))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fileMode)
	if err != nil {
		return nil, fmt.Errorf("create parquet %s: %w", path, err)
	}
	w := &ParquetWriter{
		path: path,
		tmp:  tmp,
		f:    f,
		pw:   parquet.NewGenericWriter[any](f, config),
		cols: slices.Clone(cols),
		leaf: leaf,
	}
	w.cur = newColumnBatch(len(cols))
	w.free, w.full = make(chan *columnBatch, 2), make(chan *columnBatch, 2)
	w.free <- newColumnBatch(len(cols))
	w.groupMax = int64(rowGroup)
	w.encoded = make(chan error, 1)
	w.encoding = true
	go w.encode()
	return w, nil
}

// Write adds a row that stands for itself (nothing sampled).
func (w *ParquetWriter) Write(row []Value) error { return w.WriteWeighted(row, 1) }

// WriteWeighted adds a row: one Value per column, in the columns' order,
// standing for nominal rows at the scenario's volume. An invalid Value is
// NULL, which a Required column refuses. Rows are handed to the Parquet
// encoder in batches.
func (w *ParquetWriter) WriteWeighted(row []Value, nominal int64) error {
	if w.done {
		return fmt.Errorf("write parquet %s: already committed or aborted", w.path)
	}
	if w.err != nil {
		return w.err
	}
	if len(row) != len(w.cols) {
		return fmt.Errorf("write parquet %s: row has %d values for %d columns", w.path, len(row), len(w.cols))
	}
	for i, v := range row {
		if !v.Valid && w.cols[i].Required {
			return fmt.Errorf("write parquet %s: NULL in required column %q", w.path, w.cols[i].Name)
		}
	}
	b := w.cur
	for i, v := range row {
		c, idx := w.cols[i], w.leaf[i]
		if !v.Valid {
			b.cols[idx] = append(b.cols[idx], parquet.NullValue().Level(0, 0, idx))
			continue
		}
		var pv parquet.Value
		switch c.Kind {
		case String:
			// The bytes stay in scratch until the batch is written: the
			// encoder copies them then. Growing scratch leaves earlier
			// arrays intact.
			start := len(b.scratch)
			b.scratch = append(b.scratch, v.Str...)
			pv = parquet.ByteArrayValue(b.scratch[start:len(b.scratch):len(b.scratch)])
		case Int64, Timestamp:
			pv = parquet.Int64Value(v.Int)
		case Float64:
			pv = parquet.DoubleValue(v.Float)
		}
		def := 1
		if c.Required {
			def = 0
		}
		b.cols[idx] = append(b.cols[idx], pv.Level(0, def, idx))
	}
	b.n++
	w.n++
	w.nominal += nominal
	if b.n == writeBatch {
		w.full <- b
		w.cur = <-w.free
	}
	return nil
}

// Commit writes the footer, syncs the file and renames it into place.
// After a failed Write, Commit removes the temp file and returns that
// error.
func (w *ParquetWriter) Commit() (ParquetFileInfo, error) {
	if w.done {
		return ParquetFileInfo{}, fmt.Errorf("commit parquet %s: already committed or aborted", w.path)
	}
	if w.err != nil {
		return ParquetFileInfo{}, errors.Join(w.err, w.Abort())
	}
	if err := w.endEncoding(); err != nil {
		w.err = err
		return ParquetFileInfo{}, errors.Join(err, w.Abort())
	}
	w.done = true
	w.pw.SetKeyValueMetadata(NominalRowsKey, strconv.FormatInt(w.nominal, 10))
	err := w.pw.Close()
	if err == nil {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	var info os.FileInfo
	if err == nil {
		info, err = os.Stat(w.tmp)
	}
	if err == nil {
		err = os.Rename(w.tmp, w.path)
	}
	if err != nil {
		return ParquetFileInfo{}, errors.Join(fmt.Errorf("commit parquet %s: %w", w.path, err), removeIfExists(w.tmp))
	}
	if err := syncDir(filepath.Dir(w.path)); err != nil {
		return ParquetFileInfo{}, fmt.Errorf("commit parquet %s: %w", w.path, err)
	}
	return ParquetFileInfo{Path: w.path, Bytes: info.Size(), Rows: w.n, NominalRows: w.nominal}, nil
}

// Abort drops the file: the temp file is removed and nothing appears.
// Aborting after Commit or Abort does nothing.
func (w *ParquetWriter) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.endEncoding() // its error is what the abort is for
	err := w.f.Close()
	if rerr := removeIfExists(w.tmp); err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("abort parquet %s: %w", w.path, err)
	}
	return nil
}

// ReadParquet calls fn with each row of the Parquet file at path, as one
// Value per column of cols, in cols' order. Columns are found by name; the
// file may have more. The row slice is reused between calls; its strings
// are not.
func ReadParquet(path string, cols []Column, fn func(row []Value) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read parquet: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("read parquet: %w", err)
	}
	pf, err := parquet.OpenFile(f, info.Size())
	if err != nil {
		return fmt.Errorf("read parquet %s: %w", path, err)
	}
	schema := pf.Schema()
	// slot[leaf column index] is the position in cols, or -1.
	slot := make([]int, len(schema.Columns()))
	for i := range slot {
		slot[i] = -1
	}
	for i, c := range cols {
		lc, ok := schema.Lookup(c.Name)
		if !ok {
			return fmt.Errorf("read parquet %s: no column %q", path, c.Name)
		}
		if got, want := lc.Node.Type().Kind(), physicalKind(c.Kind); got != want {
			return fmt.Errorf("read parquet %s: column %q is %s, want %s for %s", path, c.Name, got, want, c.Kind)
		}
		slot[lc.ColumnIndex] = i
	}
	out := make([]Value, len(cols))
	buf := make([]parquet.Row, 256)
	n := int64(0)
	for _, rg := range pf.RowGroups() {
		if err := readRowGroup(rg, buf, slot, cols, out, &n, fn); err != nil {
			return fmt.Errorf("read parquet %s: %w", path, err)
		}
	}
	return nil
}

func readRowGroup(rg parquet.RowGroup, buf []parquet.Row, slot []int, cols []Column, out []Value, n *int64, fn func([]Value) error) (err error) {
	rows := rg.Rows()
	defer func() {
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
	}()
	for {
		k, rerr := rows.ReadRows(buf)
		for _, r := range buf[:k] {
			clear(out)
			for _, v := range r {
				i := slot[v.Column()]
				if i < 0 || v.IsNull() {
					continue
				}
				switch cols[i].Kind {
				case String:
					out[i] = Value{Valid: true, Str: string(v.ByteArray())}
				case Int64, Timestamp:
					out[i] = Value{Valid: true, Int: v.Int64()}
				case Float64:
					out[i] = Value{Valid: true, Float: v.Double()}
				}
			}
			*n++
			if ferr := fn(out); ferr != nil {
				return fmt.Errorf("row %d: %w", *n, ferr)
			}
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) {
				return nil
			}
			return rerr
		}
	}
}

func physicalKind(k Kind) parquet.Kind {
	switch k {
	case String:
		return parquet.ByteArray
	case Float64:
		return parquet.Double
	}
	return parquet.Int64
}
