package sim

import (
	"fmt"
	"slices"
	"time"

	"pipesim/sim/event"
	"pipesim/store"
)

// fileLayout is how processed rows go into the files of a lake layout:
// a row holds every column (event.Catalog.Columns); its file holds all
// but the one the layout's folders name, as Hive and Spark write them.
type fileLayout struct {
	store.Layout
	cols    []store.Column // the files' columns
	at      int            // the partition column's place in a whole row
	created int            // created_at's place in a whole row
}

func newFileLayout(name string, cat *event.Catalog) (fileLayout, error) {
	l, err := store.LayoutNamed(name)
	if err != nil {
		return fileLayout{}, err
	}
	all := cat.Columns()
	byName := func(n string) int { return slices.IndexFunc(all, func(c store.Column) bool { return c.Name == n }) }
	f := fileLayout{Layout: l, at: byName(l.Column), created: byName("created_at")}
	if f.at < 0 || f.created < 0 {
		return fileLayout{}, fmt.Errorf("layout %s: the catalogue has no %s column", l.Name, l.Column)
	}
	f.cols = slices.Delete(all, f.at, f.at+1)
	return f, nil
}

// partition is the partition of a whole row.
func (f fileLayout) partition(row []store.Value) store.Partition {
	return f.PartitionOf(time.UnixMicro(row[f.created].Int), row[f.at].Str)
}

// fileRow is a whole row as its file holds it, in dst.
func (f fileLayout) fileRow(dst, row []store.Value) []store.Value {
	return append(append(dst[:0], row[:f.at]...), row[f.at+1:]...)
}

// wholeRow is a row read from a file of partition p, whole again, in dst.
func (f fileLayout) wholeRow(dst, fileRow []store.Value, p store.Partition) []store.Value {
	dst = append(append(dst[:0], fileRow[:f.at]...), store.Value{Valid: true, Str: p.Value})
	return append(dst, fileRow[f.at:]...)
}

// lakeLayout is the processed lake's layout: the one Glue last wrote, or
// while the lake is empty, the one its first run will write.
func (e *Engine) lakeLayout() store.Layout {
	if len(e.processed) > 0 {
		return e.layout
	}
	l, _ := store.LayoutNamed(e.cfg.Glue.Partitioning) // checked when the config was read
	return l
}

// relayout is the layout glue.partitioning asks for when the lake is in
// another: the next Glue run rewrites it.
func (e *Engine) relayout() string {
	if want := e.cfg.Glue.Partitioning; want != e.lakeLayout().Name {
		return want
	}
	return ""
}
