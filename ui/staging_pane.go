package ui

import (
	"slices"
	"strings"

	"pipesim/sim"
	"pipesim/sim/metric"
	"pipesim/store"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// stagingPane: the staging area as the Hive-partitioned folder tree Lambda
// writes, year=/month=/day=/hour=/minute=, newest first, with file counts and
// sizes summed up the tree. Folders fold with enter; the newest path is open
// by default and follows the clock until the user folds something by hand.
//
// It stays cheap with a day of minute partitions: the tree is rebuilt only
// when the staging list changes, flattened only when it or the folding
// changes, and only the visible rows are rendered.
type stagingPane struct {
	base
	parts    []sim.StagingPartition // what the tree was built from
	tree     stageTree
	expanded map[string]bool // folds the user chose, by node key
	rows     []*stageNode    // the visible (unfolded) nodes, in order
	cursor   int
	curKey   string // the node under the cursor, kept across rebuilds
}

// stageNode is one folder of the staging tree.
type stageNode struct {
	level  int    // 0 year, 1 month, 2 day, 3 hour, 4 minute
	label  string // "hour=14"
	key    string // "year=2024/month=3/day=15/hour=14"
	files  int64
	bytes  int64 // nominal
	parts  int   // minute partitions at or under it
	open   bool  // a minute partition still being written (leaf only)
	newest bool  // on the path to the newest partition
	kids   []*stageNode
}

type stageTree struct {
	roots []*stageNode
	parts int
	files int64
	bytes int64 // nominal
	disk  int64
}

// buildStageTree groups minute partitions into year/month/day/hour/minute
// folders, newest first at every level, summing files and bytes upwards.
func buildStageTree(parts []sim.StagingPartition) stageTree {
	sorted := parts
	if !slices.IsSortedFunc(parts, func(a, b sim.StagingPartition) int { return a.Minute.Compare(b.Minute) }) {
		sorted = slices.Clone(parts)
		slices.SortStableFunc(sorted, func(a, b sim.StagingPartition) int { return a.Minute.Compare(b.Minute) })
	}
	var t stageTree
	var path [5]*stageNode // the open folder at each level
	var vals [5]int
	for i := len(sorted) - 1; i >= 0; i-- { // newest first
		p := sorted[i]
		m := p.Minute.UTC()
		v := [5]int{m.Year(), int(m.Month()), m.Day(), m.Hour(), m.Minute()}
		for lvl := 0; lvl < 5; lvl++ {
			if path[lvl] != nil && vals[lvl] == v[lvl] && (lvl == 0 || path[lvl-1] != nil) {
				continue
			}
			// a new folder at lvl: everything below is new too
			folders := store.StagingFolders(m)
			for j := lvl; j < 5; j++ {
				key := folders[j]
				if j > 0 {
					key = path[j-1].key + "/" + key
				}
				n := &stageNode{level: j, label: folders[j], key: key}
				if j == 0 {
					n.newest = len(t.roots) == 0
					t.roots = append(t.roots, n)
				} else {
					n.newest = path[j-1].newest && len(path[j-1].kids) == 0
					path[j-1].kids = append(path[j-1].kids, n)
				}
				path[j] = n
				vals[j] = v[j]
			}
			break
		}
		leaf := path[4]
		leaf.open = leaf.open || !p.Closed
		for _, n := range path {
			n.files += int64(p.Files)
			n.bytes += p.NominalBytes
			n.parts++
		}
		t.parts++
		t.files += int64(p.Files)
		t.bytes += p.NominalBytes
		t.disk += p.Bytes
	}
	return t
}

func newStagingPane(sh *shared) *stagingPane {
	return &stagingPane{base: base{sh: sh}, expanded: map[string]bool{}}
}

// SetSnapshot rebuilds the tree only when the staging list really changed.
func (p *stagingPane) SetSnapshot(s *sim.Snapshot) {
	p.snap = s
	if s == nil || sameStaging(p.parts, s.Staging) {
		return
	}
	p.parts = s.Staging
	p.tree = buildStageTree(s.Staging)
	p.flatten()
}

func sameStaging(a, b []sim.StagingPartition) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Files != y.Files || x.Bytes != y.Bytes || x.Closed != y.Closed || !x.Minute.Equal(y.Minute) {
			return false
		}
	}
	return true
}

// isOpen: a folder shows its children if the user unfolded it, or by
// default when it is a year or month, or on the newest path.
func (p *stagingPane) isOpen(n *stageNode) bool {
	if len(n.kids) == 0 {
		return false
	}
	if v, ok := p.expanded[n.key]; ok {
		return v
	}
	return n.level <= 1 || n.newest
}

// flatten lists the visible nodes and puts the cursor back on its node.
func (p *stagingPane) flatten() {
	p.rows = p.rows[:0]
	var walk func(ns []*stageNode)
	walk = func(ns []*stageNode) {
		for _, n := range ns {
			p.rows = append(p.rows, n)
			if p.isOpen(n) {
				walk(n.kids)
			}
		}
	}
	walk(p.tree.roots)
	// keep the cursor on its folder, or on its nearest visible ancestor
	for key := p.curKey; key != ""; {
		if i := slices.IndexFunc(p.rows, func(n *stageNode) bool { return n.key == key }); i >= 0 {
			p.cursor = i
			break
		}
		cut := strings.LastIndexByte(key, '/')
		if cut < 0 {
			break
		}
		key = key[:cut]
	}
	p.setCursor(p.cursor)
}

func (p *stagingPane) setCursor(i int) {
	p.cursor = clamp(i, 0, max(len(p.rows)-1, 0))
	if len(p.rows) > 0 {
		p.curKey = p.rows[p.cursor].key
	}
	ih := p.treeRows()
	if p.cursor < p.off {
		p.off = p.cursor
	}
	if ih > 0 && p.cursor >= p.off+ih {
		p.off = p.cursor - ih + 1
	}
	p.off, _ = window(len(p.rows), p.off, ih)
}

func (p *stagingPane) SetSize(w, h int) {
	p.base.SetSize(w, h)
	p.setCursor(p.cursor)
}

func (p *stagingPane) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	keys := p.sh.keys
	page := max(p.treeRows()-1, 1)
	switch {
	case key.Matches(k, keys.Up):
		p.setCursor(p.cursor - 1)
	case key.Matches(k, keys.Down):
		p.setCursor(p.cursor + 1)
	case key.Matches(k, keys.PageUp):
		p.setCursor(p.cursor - page)
	case key.Matches(k, keys.PageDown):
		p.setCursor(p.cursor + page)
	case key.Matches(k, keys.Top):
		p.setCursor(0)
	case key.Matches(k, keys.Bottom):
		p.setCursor(len(p.rows) - 1)
	case key.Matches(k, keys.Fold):
		p.toggle()
		return nil
	default:
		return nil
	}
	p.pinCursor()
	return nil
}

// pinCursor keeps the folders above the cursor open when newer partitions
// move the default-open path elsewhere, so the tree does not fold away
// under someone reading it.
func (p *stagingPane) pinCursor() {
	for key := p.curKey; ; {
		cut := strings.LastIndexByte(key, '/')
		if cut < 0 {
			return
		}
		key = key[:cut]
		if _, set := p.expanded[key]; !set {
			p.expanded[key] = true
		}
	}
}

// toggle folds or unfolds the folder under the cursor.
func (p *stagingPane) toggle() {
	if p.cursor >= len(p.rows) {
		return
	}
	n := p.rows[p.cursor]
	if len(n.kids) == 0 {
		return
	}
	p.expanded[n.key] = !p.isOpen(n)
	p.flatten()
}

// tailRows is how many of the pane's rows the tail of events takes: all
// of them when asked (w), a third when the pane has rows to spare.
func (p *stagingPane) tailRows() int {
	_, ih := p.inner()
	switch {
	case p.sh.events:
		return ih
	case ih >= 12:
		return max(4, ih/3)
	}
	return 0
}

// treeRows is how many rows the folder tree has.
func (p *stagingPane) treeRows() int {
	_, ih := p.inner()
	return ih - p.tailRows()
}

func (p *stagingPane) View() string {
	if p.snap == nil {
		return p.waiting("Staging")
	}
	st := &p.sh.st
	iw, _ := p.inner()
	ih := p.treeRows()
	t := p.tree
	est := everSampled(p.snap)
	toCompact := " · " + itoa(p.snap.MinutesToCompact) + " to compact"
	long := itoa(t.parts) + " min · " + metric.Human(t.files) + " files · " + approxBytes(t.bytes, est) + toCompact
	short := itoa(t.parts) + " min · " + approxBytes(t.bytes, est)
	candidates := []string{long, short + toCompact, short}
	if est {
		disk := " · " + metric.BytesSI(t.disk) + " on disk"
		candidates = []string{long + disk, long, short + toCompact, short + disk, short}
	}
	info := firstFitting(candidates, iw-width("Staging")-7)
	tail := tailLines(st, p.snap, iw, p.tailRows())
	if p.sh.events {
		return st.frame("Staging", info, "w: the tree", tail, p.w, p.h, p.focused)
	}
	if len(p.rows) == 0 {
		return st.frame("Staging", "", "", p.withTail([]string{st.Muted.Render("nothing in staging")}, tail), p.w, p.h, p.focused)
	}
	off, end := window(len(p.rows), p.off, ih)
	lines := make([]string, 0, end-off)
	indent := "  "
	if iw < 44 {
		indent = " "
	}
	sizeW := 7
	if est {
		sizeW = 8
	}
	for i := off; i < end; i++ {
		n := p.rows[i]
		marker := "  "
		if len(n.kids) > 0 {
			marker = "▸ "
			if p.isOpen(n) {
				marker = "▾ "
			}
		}
		gutter := " "
		if i == p.cursor && p.focused {
			gutter = "›"
		}
		left := gutter + strings.Repeat(indent, n.level) + marker + n.label
		if n.open {
			left += " ●"
		}
		right := padLeft(approxBytes(n.bytes, est), sizeW)
		if iw >= 34 {
			right = padLeft(metric.Human(n.files)+" f", 7) + " " + right
		}
		if i == p.cursor && p.focused {
			lines = append(lines, st.Cursor.Render(spread(left, right, iw)))
			continue
		}
		body := fit(left, max(iw-width(right)-1, 0)) + " "
		if n.level < 4 {
			body = st.Strong.Render(body)
		}
		lines = append(lines, body+st.TreeDim.Render(right))
	}
	hint := scrollHint(off, end, len(p.rows))
	if hint == "" && iw >= 30 {
		hint = "● = being written"
	}
	return st.frame("Staging", info, hint, p.withTail(lines, tail), p.w, p.h, p.focused)
}

// withTail puts the tail of events under the tree's rows.
func (p *stagingPane) withTail(tree, tail []string) []string {
	if len(tail) == 0 {
		return tree
	}
	for len(tree) < p.treeRows() {
		tree = append(tree, "")
	}
	return append(tree, tail...)
}
