package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"pipesim/internal/perevent"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// testCols are deliberately not in name order: parquet.Group sorts them.
var testCols = []Column{
	{Name: "event_uuid", Kind: String, Required: true},
	{Name: "created_at", Kind: Timestamp, Required: true},
	{Name: "amount", Kind: Float64},
	{Name: "xp", Kind: Int64},
	{Name: "subtype", Kind: String},
	{Name: "finished_at", Kind: Timestamp},
}

// testRows returns n rows covering every kind, NULLs and empty strings.
func testRows(n int) [][]Value {
	base := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC).UnixMicro()
	rows := make([][]Value, n)
	for i := range rows {
		r := []Value{
			{Valid: true, Str: fmt.Sprintf("%08x-0000-4000-8000-%012d", i, i*7)},
			{Valid: true, Int: base + int64(i)*1_234_567},
			{Valid: i%3 != 0, Float: float64(i)*0.25 - 10},
			{Valid: i%4 != 0, Int: int64(i*i) - 500},
			{Valid: i%5 != 0, Str: strings.Repeat("lesson_", i%3)},
			{Valid: i%2 == 0, Int: base - int64(i)},
		}
		for j := range r {
			if !r[j].Valid {
				r[j] = Value{}
			}
		}
		rows[i] = r
	}
	return rows
}

func writeTestParquet(t testing.TB, l *Lake, relDir, name string, rows [][]Value, opt ParquetOptions) ParquetFileInfo {
	t.Helper()
	return writeParquet(t, l, relDir, name, testCols, rows, opt)
}

func writeParquet(t testing.TB, l *Lake, relDir, name string, cols []Column, rows [][]Value, opt ParquetOptions) ParquetFileInfo {
	t.Helper()
	w, err := l.CreateParquet(relDir, name, cols, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	info, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func readAll(t *testing.T, path string, cols []Column) [][]Value {
	t.Helper()
	var got [][]Value
	err := ReadParquet(path, cols, func(row []Value) error {
		got = append(got, append([]Value(nil), row...))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestParquetRoundTrip(t *testing.T) {
	l := openTestLake(t)
	rows := testRows(2500)
	rows[7][4] = Value{Valid: true, Str: ""} // empty, not NULL
	rows[8][2] = Value{Valid: true, Float: 1e300}
	rows[9][3] = Value{Valid: true, Int: -1 << 63}
	info := writeTestParquet(t, l, "x", "part-r00000-0000.parquet", rows, ParquetOptions{RowGroupRows: 1000})

	wantPath := filepath.Join(l.Root, "x", "part-r00000-0000.parquet")
	st, err := os.Stat(wantPath)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ParquetFileInfo{Path: wantPath, Bytes: st.Size(), Rows: 2500, NominalRows: 2500}); info != want {
		t.Fatalf("info = %+v, want %+v", info, want)
	}
	if got := readAll(t, wantPath, testCols); !reflect.DeepEqual(got, rows) {
		t.Fatalf("read back %d rows, differing from the %d written", len(got), len(rows))
	}

	// A subset of the columns, in another order.
	sub := []Column{testCols[3], testCols[0]}
	got := readAll(t, wantPath, sub)
	if len(got) != 2500 || got[10][0] != rows[10][3] || got[10][1] != rows[10][0] || got[12][0] != (Value{}) {
		t.Fatalf("subset read: row 10 = %+v, row 12 = %+v", got[10], got[12])
	}
}

func TestParquetFooter(t *testing.T) {
	l := openTestLake(t)
	info := writeTestParquet(t, l, "x", "a.parquet", testRows(2500), ParquetOptions{RowGroupRows: 1000})
	data, err := os.ReadFile(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	wantSchema := `message event {
	optional double amount;
	required int64 created_at (TIMESTAMP(isAdjustedToUTC=true,unit=MICROS));
	required binary event_uuid (STRING);
	optional int64 finished_at (TIMESTAMP(isAdjustedToUTC=true,unit=MICROS));
	optional binary subtype (STRING);
	optional int64 xp (INT(64,true));
}`
	if got := pf.Schema().String(); got != wantSchema {
		t.Fatalf("schema:\n%s\nwant:\n%s", got, wantSchema)
	}
	md := pf.Metadata()
	if len(md.RowGroups) != 3 {
		t.Fatalf("%d row groups, want 3", len(md.RowGroups))
	}
	for _, rg := range md.RowGroups {
		for _, cc := range rg.Columns {
			if cc.MetaData.Codec != format.Zstd {
				t.Fatalf("column %v codec %v, want ZSTD", cc.MetaData.PathInSchema, cc.MetaData.Codec)
			}
			for _, e := range cc.MetaData.Encoding {
				if e != format.Plain && e != format.RLE {
					t.Fatalf("column %v uses encoding %v, want PLAIN values and RLE levels only", cc.MetaData.PathInSchema, e)
				}
			}
			var hdr format.PageHeader
			r := bytes.NewReader(data[cc.MetaData.DataPageOffset:])
			if err := thrift.NewDecoder(new(thrift.CompactProtocol).NewReader(r)).Decode(&hdr); err != nil {
				t.Fatal(err)
			}
			if hdr.Type != format.DataPage {
				t.Fatalf("column %v page type %v, want DATA_PAGE (v1)", cc.MetaData.PathInSchema, hdr.Type)
			}
		}
	}
}

// The writer hands rows to parquet-go column by column; the file is the
// one parquet-go's own row path writes, byte for byte, row groups and all.
func TestParquetColumnsWriteWhatRowsWould(t *testing.T) {
	l := openTestLake(t)
	rows := testRows(2500)
	const rowGroup = 700 // not a multiple of a batch or a page chunk
	info := writeTestParquet(t, l, "cols", "f.parquet", rows, ParquetOptions{RowGroupRows: rowGroup})
	got, err := os.ReadFile(info.Path)
	if err != nil {
		t.Fatal(err)
	}

	schema, leaf, err := parquetSchema(testCols)
	if err != nil {
		t.Fatal(err)
	}
	config, err := writerConfig(schema, rowGroup)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	pw := parquet.NewGenericWriter[any](&want, config)
	for _, r := range rows {
		row := make(parquet.Row, len(r))
		for i, v := range r {
			c, idx := testCols[i], leaf[i]
			def := 1
			if c.Required {
				def = 0
			}
			var pv parquet.Value
			switch {
			case !v.Valid:
				pv, def = parquet.NullValue(), 0
			case c.Kind == String:
				pv = parquet.ByteArrayValue([]byte(v.Str))
			case c.Kind == Float64:
				pv = parquet.DoubleValue(v.Float)
			default:
				pv = parquet.Int64Value(v.Int)
			}
			row[idx] = pv.Level(0, def, idx)
		}
		if _, err := pw.WriteRows([]parquet.Row{row}); err != nil {
			t.Fatal(err)
		}
	}
	pw.SetKeyValueMetadata(NominalRowsKey, strconv.Itoa(len(rows)))
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("column-wise file (%d bytes) differs from the row path's (%d bytes)", len(got), want.Len())
	}
	pf, err := parquet.OpenFile(bytes.NewReader(got), int64(len(got)))
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int64
	for _, rg := range pf.Metadata().RowGroups {
		sizes = append(sizes, rg.NumRows)
	}
	if want := []int64{700, 700, 700, 400}; !slices.Equal(sizes, want) {
		t.Errorf("row groups of %v rows, want %v", sizes, want)
	}
}

func TestParquetDeterministic(t *testing.T) {
	l := openTestLake(t)
	rows := testRows(3000)
	a := writeTestParquet(t, l, "a", "f.parquet", rows, ParquetOptions{RowGroupRows: 700})
	b := writeTestParquet(t, l, "b", "f.parquet", rows, ParquetOptions{RowGroupRows: 700})
	da, err := os.ReadFile(a.Path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(b.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(da, db) {
		t.Fatalf("same rows gave different files (%d and %d bytes)", len(da), len(db))
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestParquetAtomic(t *testing.T) {
	l := openTestLake(t)
	dir := filepath.Join(l.Root, "p")
	w, err := l.CreateParquet("p", "part-0.parquet", testCols, ParquetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range testRows(10) {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := dirNames(t, dir), []string{".part-0.parquet.tmp"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("before commit: %q, want %q", got, want)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.parquet")); len(m) != 0 {
		t.Fatalf("glob sees %q before commit", m)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := dirNames(t, dir), []string{"part-0.parquet"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after commit: %q, want %q", got, want)
	}
	if err := w.Write(testRows(1)[0]); err == nil {
		t.Fatal("Write after Commit succeeded")
	}
	if _, err := w.Commit(); err == nil {
		t.Fatal("second Commit succeeded")
	}

	w, err = l.CreateParquet("p", "part-1.parquet", testCols, ParquetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(testRows(1)[0]); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if got, want := dirNames(t, dir), []string{"part-0.parquet"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after abort: %q, want %q", got, want)
	}
}

func TestParquetErrors(t *testing.T) {
	l := openTestLake(t)
	for _, name := range []string{"x.csv", ".x.parquet", "a/b.parquet", "", ".parquet"} {
		if _, err := l.CreateParquet("p", name, testCols, ParquetOptions{}); err == nil {
			t.Errorf("name %q accepted", name)
		}
	}
	if _, err := l.CreateParquet("../out", "a.parquet", testCols, ParquetOptions{}); err == nil {
		t.Error("folder outside the lake accepted")
	}
	bad := map[string][]Column{
		"no columns": nil,
		"duplicate":  {{Name: "a", Kind: String}, {Name: "a", Kind: Int64}},
		"no name":    {{Kind: String}},
		"bad kind":   {{Name: "a", Kind: 9}},
	}
	for what, cols := range bad {
		_, err := l.CreateParquet("p", "a.parquet", cols, ParquetOptions{})
		if err == nil || !strings.Contains(err.Error(), filepath.Join(l.Root, "p", "a.parquet")) {
			t.Errorf("%s: err = %v, want an error naming the file", what, err)
		}
	}
	if _, err := l.CreateParquet("p", "a.parquet", testCols, ParquetOptions{RowGroupRows: -1}); err == nil {
		t.Error("negative RowGroupRows accepted")
	}

	w, err := l.CreateParquet("p", "a.parquet", testCols, ParquetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	row := testRows(1)[0]
	row[0] = Value{}
	if err := w.Write(row); err == nil || !strings.Contains(err.Error(), `NULL in required column "event_uuid"`) {
		t.Errorf("NULL in required column: err = %v", err)
	}
	if err := w.Write(row[:3]); err == nil || !strings.Contains(err.Error(), "row has 3 values for 6 columns") {
		t.Errorf("short row: err = %v", err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatalf("second Abort: %v", err)
	}
}

func TestReadParquetErrors(t *testing.T) {
	l := openTestLake(t)
	info := writeTestParquet(t, l, "p", "a.parquet", testRows(5), ParquetOptions{})

	err := ReadParquet(info.Path, []Column{{Name: "nope", Kind: String}}, func([]Value) error { return nil })
	if want := fmt.Sprintf("read parquet %s: no column %q", info.Path, "nope"); err == nil || err.Error() != want {
		t.Errorf("missing column: err = %v, want %s", err, want)
	}
	err = ReadParquet(info.Path, []Column{{Name: "xp", Kind: String}}, func([]Value) error { return nil })
	if err == nil || !strings.Contains(err.Error(), info.Path) || !strings.Contains(err.Error(), `column "xp" is INT64`) {
		t.Errorf("kind mismatch: err = %v", err)
	}
	stop := errors.New("stop")
	err = ReadParquet(info.Path, testCols, func([]Value) error { return stop })
	if !errors.Is(err, stop) || err.Error() != fmt.Sprintf("read parquet %s: row 1: stop", info.Path) {
		t.Errorf("callback error: err = %v", err)
	}

	junk := filepath.Join(l.Root, "junk.parquet")
	if err := os.WriteFile(junk, []byte("not parquet at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ReadParquet(junk, testCols, func([]Value) error { return nil }); err == nil || !strings.Contains(err.Error(), junk) {
		t.Errorf("junk file: err = %v", err)
	}
	missing := filepath.Join(l.Root, "missing.parquet")
	if err := ReadParquet(missing, testCols, func([]Value) error { return nil }); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestProcessedFiles(t *testing.T) {
	l := openTestLake(t)
	// listed by date, not by folder name: month=10 sorts before month=9
	day1 := time.Date(2026, 9, 9, 23, 59, 0, 0, time.UTC)
	day2 := time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC)
	type spec struct {
		day  time.Time
		lang string
		name string
		rows int
	}
	specs := []spec{
		{day2, "lang_de", "part-r00000-0000.parquet", 3},
		{day1, "lang_fr", "part-r00001-0000.parquet", 4},
		{day1, "lang_de", "part-r00002-0000.parquet", 5},
		{day1, "lang_de", "part-r00000-0000.parquet", 6},
	}
	v, err := l.BeginVersion(DayLanguage)
	if err != nil {
		t.Fatal(err)
	}
	size := map[string]int64{}
	for _, s := range specs {
		info := writeIn(t, v, s.day, s.lang, s.name, s.rows)
		size[info.Path] = info.Bytes
	}
	// An unfinished file is not listed.
	pending, err := v.CreatePart(DayLanguage.PartitionOf(day1, "lang_de"), PartName{Run: 9}, testCols, ParquetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer pending.Abort()
	if err := v.Commit("test", Watermark{}); err != nil {
		t.Fatal(err)
	}

	got, _, err := l.ProcessedFiles()
	if err != nil {
		t.Fatal(err)
	}
	root := l.versionDir(1)
	p := func(d, lang, name string) string {
		return filepath.Join(root, "year=2026", d, "language_id="+lang, name)
	}
	d1 := time.Date(2026, 9, 9, 0, 0, 0, 0, time.UTC)
	d2 := time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC)
	want := []ProcessedFile{
		{DayLanguage.PartitionOf(d1, "lang_de"), p("month=9/day=9", "lang_de", "part-r00000-0000.parquet"), 0, 6, 6},
		{DayLanguage.PartitionOf(d1, "lang_de"), p("month=9/day=9", "lang_de", "part-r00002-0000.parquet"), 0, 5, 5},
		{DayLanguage.PartitionOf(d1, "lang_fr"), p("month=9/day=9", "lang_fr", "part-r00001-0000.parquet"), 0, 4, 4},
		{DayLanguage.PartitionOf(d2, "lang_de"), p("month=10/day=10", "lang_de", "part-r00000-0000.parquet"), 0, 3, 3},
	}
	for i := range want {
		want[i].Bytes = size[want[i].Path]
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ProcessedFiles:\n%+v\nwant\n%+v", got, want)
	}

	for _, bad := range []string{"language_id=", "lang_de", "language_id=a b"} {
		dir := filepath.Join(root, "year=2026", "month=10", "day=27", bad)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		_, _, err := l.ProcessedFiles()
		if want := "list processed: bad partition folder " + dir + " (layout day_language)"; err == nil || err.Error() != want {
			t.Errorf("folder %q: err = %v, want %s", bad, err, want)
		}
		if err := os.Remove(dir); err != nil {
			t.Fatal(err)
		}
	}
	bad := filepath.Join(root, "year=2026", "month=2", "day=30")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.ProcessedFiles(); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("day=30 in February: err = %v", err)
	}
}

func TestLayoutDirs(t *testing.T) {
	at := time.Date(2026, 1, 2, 23, 10, 0, 0, time.FixedZone("X", 3600*5)) // 18:10 UTC
	for _, c := range []struct {
		l     Layout
		value string
		want  string
	}{
		{DayLanguage, "lang_pt-BR", "year=2026/month=1/day=2/language_id=lang_pt-BR"},
		{HourEventType, "lesson", "year=2026/month=1/day=2/hour=18/event_type=lesson"},
	} {
		got, err := c.l.dir(c.l.PartitionOf(at, c.value))
		if err != nil || got != filepath.FromSlash(c.want) {
			t.Errorf("%s: dir = %q, %v; want %q", c.l.Name, got, err, c.want)
		}
		for _, bad := range []string{"", "a/b", "..", "de=x"} {
			if _, err := c.l.dir(c.l.PartitionOf(at, bad)); err == nil {
				t.Errorf("%s: value %q accepted", c.l.Name, bad)
			}
		}
	}
	// a partition of one layout has no folder in the other
	if _, err := HourEventType.dir(DayLanguage.PartitionOf(at, "lesson")); err == nil {
		t.Error("a day partition accepted by the hour layout")
	}
}

// eventCols is a 20-column event-like row for the benchmark.
var eventCols = []Column{
	{Name: "event_uuid", Kind: String, Required: true},
	{Name: "event_type", Kind: String, Required: true},
	{Name: "event_subtype", Kind: String, Required: true},
	{Name: "created_at", Kind: Timestamp, Required: true},
	{Name: "created_datetime", Kind: String, Required: true},
	{Name: "user_id", Kind: String, Required: true},
	{Name: "language_id", Kind: String, Required: true},
	{Name: "platform", Kind: String},
	{Name: "app_version", Kind: String},
	{Name: "country", Kind: String},
	{Name: "session_id", Kind: String},
	{Name: "lesson_id", Kind: String},
	{Name: "xp", Kind: Int64},
	{Name: "streak_days", Kind: Int64},
	{Name: "duration_ms", Kind: Int64},
	{Name: "score", Kind: Float64},
	{Name: "amount", Kind: Float64},
	{Name: "currency", Kind: String},
	{Name: "arrived_at", Kind: Timestamp},
	{Name: "shard_id", Kind: String},
}

func eventRow(i int, base int64) []Value {
	s := func(v string) Value { return Value{Valid: true, Str: v} }
	n := func(v int64) Value { return Value{Valid: true, Int: v} }
	f := func(v float64) Value { return Value{Valid: true, Float: v} }
	ts := base + int64(i)*3_600
	row := []Value{
		s(fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", i*2654435761, i%65536, i%4096, (i*7)%4096, i*40503)),
		s([]string{"lesson", "quiz", "purchase", "login"}[i%4]),
		s([]string{"lesson:started", "lesson:completed", "quiz:answered", "purchase:made", "login:ok"}[i%5]),
		n(ts),
		s(time.UnixMicro(ts).UTC().Format("2006-01-02T15:04:05.000000Z")),
		s(fmt.Sprintf("user_%06d", (i*7919)%100000)),
		s([]string{"lang_de", "lang_fr", "lang_es", "lang_it"}[i%4]),
		s([]string{"ios", "android", "web"}[i%3]),
		s("4.2." + fmt.Sprint(i%10)),
		s([]string{"DE", "FR", "ES", "US", "BR"}[i%5]),
		s(fmt.Sprintf("sess_%08d", i/20)),
		s(fmt.Sprintf("lesson_%04d", i%1500)),
		n(int64(i % 50)),
		n(int64(i % 365)),
		n(int64(1000 + (i*37)%60000)),
		f(float64(i%100) / 100),
		{},
		{},
		n(ts + 250_000),
		s(fmt.Sprintf("shardId-%012d", i%4)),
	}
	if i%10 == 0 {
		row[16], row[17] = f(float64(i%5000)/100), s("EUR")
	}
	return row
}

func BenchmarkParquetWrite(b *testing.B) {
	const n = 100_000
	base := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC).UnixMicro()
	rows := make([][]Value, n)
	for i := range rows {
		rows[i] = eventRow(i, base)
	}
	l, err := OpenLake(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	var bytes, written int64
	c := perevent.Start(b)
	for b.Loop() {
		info := writeParquet(b, l, "bench", "bench.parquet", eventCols, rows, ParquetOptions{RowGroupRows: 50_000})
		bytes = info.Bytes
		written += n
	}
	c.Done(written)
	b.ReportMetric(float64(bytes)/n, "B/row")
}
