package ui

import (
	"fmt"
	"testing"
)

// The header, the visible panes and the footer tile the screen exactly:
// every cell belongs to one region, none is left over, at every size from
// the minimum up, with and without the full help, whatever has focus.
func TestLayoutTilesTheScreen(t *testing.T) {
	modes := map[string]int{}
	for w := MinWidth; w <= 250; w++ {
		for h := MinHeight; h <= 80; h++ {
			keepW := w%5 == 0 || w <= MinWidth+3 || w == 99 || w == 169 || w == 171
			keepH := h%3 == 0 || h <= MinHeight+3 || h == 34 || h == 35
			if !keepW || !keepH {
				continue // a grid, plus the edges of each mode
			}
			for _, footer := range []int{2, 7, 30} {
				for _, f := range []PaneID{PaneThroughput, PaneCloudWatch} { // focus matters for CloudWatch only
					l := ComputeLayout(w, h, footer, f)
					if err := checkTiling(l, w, h); err != nil {
						t.Fatalf("%d×%d footer %d focus %v (%s): %v", w, h, footer, f, l.Mode, err)
					}
					modes[l.Mode]++
				}
			}
		}
	}
	for _, mode := range []string{"compact", "wide", "tall"} {
		if modes[mode] == 0 {
			t.Errorf("no size produced the %s layout", mode)
		}
	}
}

func checkTiling(l Layout, w, h int) error {
	if l.TooSmall {
		return fmt.Errorf("too small")
	}
	owner := make([]int, w*h)
	regions := []Rect{l.Header, l.Footer}
	for p := PaneID(0); p < numPanes; p++ {
		if r := l.Panes[p]; r.Visible() {
			if r.W < 20 || r.H < 4 {
				return fmt.Errorf("pane %v is %d×%d, too small to read", p, r.W, r.H)
			}
			regions = append(regions, r)
		}
	}
	area := 0
	for i, r := range regions {
		if r.X < 0 || r.Y < 0 || r.X+r.W > w || r.Y+r.H > h {
			return fmt.Errorf("region %d %+v leaves the screen", i, r)
		}
		area += r.W * r.H
		for y := r.Y; y < r.Y+r.H; y++ {
			for x := r.X; x < r.X+r.W; x++ {
				if owner[y*w+x] != 0 {
					return fmt.Errorf("region %d %+v overlaps region %d at %d,%d", i, r, owner[y*w+x]-1, x, y)
				}
				owner[y*w+x] = i + 1
			}
		}
	}
	if area != w*h {
		return fmt.Errorf("regions cover %d cells of %d", area, w*h)
	}
	return nil
}

func TestLayoutWhatIsShownWhere(t *testing.T) {
	// 80×24: the four key panes, CloudWatch behind tab
	l := ComputeLayout(80, 24, 2, PaneThroughput)
	for _, p := range []PaneID{PaneThroughput, PaneDuplicates, PaneStaging, PaneParquet} {
		if !l.Panes[p].Visible() {
			t.Errorf("80×24: %v hidden", p)
		}
	}
	if l.Panes[PaneCloudWatch].Visible() {
		t.Error("80×24: CloudWatch visible without focus")
	}
	// focusing CloudWatch brings it in, in the top row's place
	l = ComputeLayout(80, 24, 2, PaneCloudWatch)
	if !l.Panes[PaneCloudWatch].Visible() || l.Panes[PaneCloudWatch].W != 80 {
		t.Errorf("80×24 with CloudWatch focused: %+v", l.Panes[PaneCloudWatch])
	}
	if !l.Panes[PaneStaging].Visible() || !l.Panes[PaneParquet].Visible() {
		t.Error("80×24 with CloudWatch focused lost the bottom row")
	}
	// 160×48: everything
	l = ComputeLayout(160, 48, 2, PaneThroughput)
	for p := PaneID(0); p < numPanes; p++ {
		if !l.Panes[p].Visible() {
			t.Errorf("160×48: %v hidden", p)
		}
	}
	if l.Mode != "tall" {
		t.Errorf("160×48 mode %q", l.Mode)
	}
	// wide and short: everything too
	l = ComputeLayout(200, 30, 2, PaneThroughput)
	for p := PaneID(0); p < numPanes; p++ {
		if !l.Panes[p].Visible() {
			t.Errorf("200×30: %v hidden", p)
		}
	}
}

func TestLayoutBelowMinimum(t *testing.T) {
	for _, sz := range [][2]int{{59, 18}, {60, 17}, {0, 0}, {30, 80}, {250, 10}} {
		if l := ComputeLayout(sz[0], sz[1], 2, 0); !l.TooSmall {
			t.Errorf("%d×%d should be too small", sz[0], sz[1])
		}
	}
	if l := ComputeLayout(60, 18, 2, 0); l.TooSmall {
		t.Error("60×18 is the minimum and should fit")
	}
}
