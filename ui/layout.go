package ui

// PaneID names the focusable panes, in tab order.
type PaneID int

const (
	PaneThroughput PaneID = iota
	PaneDuplicates
	PaneStaging
	PaneParquet
	PaneCloudWatch
	PaneCost
	numPanes
)

var paneNames = [numPanes]string{"Throughput", "Duplicates", "Staging", "Parquet", "CloudWatch", "Cost"}

func (p PaneID) String() string {
	if p >= 0 && p < numPanes {
		return paneNames[p]
	}
	return "?"
}

// MinWidth and MinHeight are the smallest terminal the dashboard draws in;
// below it, it says what size it needs.
const (
	MinWidth  = 60
	MinHeight = 18
)

// Rect is a region of the screen in cells.
type Rect struct{ X, Y, W, H int }

func (r Rect) Visible() bool { return r.W > 0 && r.H > 0 }

// Layout is where everything goes on a screen of W×H cells. The header,
// the visible panes and the footer tile the screen exactly: no gaps, no
// overlaps (layout_test checks this at many sizes).
type Layout struct {
	W, H     int
	TooSmall bool
	Mode     string // "compact", "wide" or "tall"
	Header   Rect
	Footer   Rect
	Panes    [numPanes]Rect // a hidden pane has an empty Rect
}

// Layout modes:
//
//	compact (< 100 cols or < 34 rows, e.g. 80×24):
//	  header                                   the CloudWatch and Cost panes
//	  throughput   | duplicates                are behind tab: the one with
//	  staging      | parquet                   focus takes the top row's place
//	  footer
//
//	wide (≥ 170 cols, < 34 rows):
//	  throughput | duplicates | cloudwatch
//	  staging    | parquet    | cost
//
//	tall (≥ 100 cols and ≥ 34 rows, e.g. 160×48): all panes (below 150
//	  throughput      | duplicates  | cost       cols Cost is behind tab, as
//	  staging             | parquet              in compact)
//	  cloudwatch (full width)
const (
	tallMinW, tallMinH = 100, 34
	costBesideW        = 150 // tall and this wide: Cost beside Duplicates; narrower, behind tab
	wideMinW           = 170
	minBody            = 8 // rows the panes keep whatever the footer wants
)

// ComputeLayout places the header (1 row), the panes and a footer of
// footerH rows (status line + help; it is shortened if the panes would get
// fewer than minBody rows) on a w×h screen. focus matters only in the
// compact mode, where a hidden pane (CloudWatch, Cost) is shown in place
// of the top row while it has focus.
func ComputeLayout(w, h, footerH int, focus PaneID) Layout {
	l := Layout{W: w, H: h}
	if w < MinWidth || h < MinHeight {
		l.TooSmall = true
		return l
	}
	const headerH = 1
	if footerH < 1 {
		footerH = 1
	}
	if max := h - headerH - minBody; footerH > max {
		footerH = max
	}
	body := h - headerH - footerH
	l.Header = Rect{0, 0, w, headerH}
	l.Footer = Rect{0, h - footerH, w, footerH}
	y0 := headerH
	P := &l.Panes

	switch {
	case w >= tallMinW && h >= tallMinH && body >= 24:
		l.Mode = "tall"
		cw := clamp(body/4, 9, 12) // 9: three lines of metrics and four alarms beside the log
		r1 := clamp(body*3/10+1, 10, 16)
		if r2 := body - cw - r1; r2 < 8 { // a tall help footer: share the loss
			r1 = (body - cw) / 2
		}
		r2 := body - cw - r1
		switch left, mid := w/2, w*4/5; {
		case w >= costBesideW:
			P[PaneThroughput] = Rect{0, y0, left, r1}
			P[PaneDuplicates] = Rect{left, y0, mid - left, r1}
			P[PaneCost] = Rect{mid, y0, w - mid, r1}
		case focus == PaneCost:
			P[PaneCost] = Rect{0, y0, w, r1}
		default:
			left = w * 3 / 5
			P[PaneThroughput] = Rect{0, y0, left, r1}
			P[PaneDuplicates] = Rect{left, y0, w - left, r1}
		}
		sl := w * 2 / 5
		P[PaneStaging] = Rect{0, y0 + r1, sl, r2}
		P[PaneParquet] = Rect{sl, y0 + r1, w - sl, r2}
		P[PaneCloudWatch] = Rect{0, y0 + r1 + r2, w, cw}
	case w >= wideMinW:
		l.Mode = "wide"
		top := body / 2
		bot := body - top
		a, b := w*2/5, w*7/10
		P[PaneThroughput] = Rect{0, y0, a, top}
		P[PaneDuplicates] = Rect{a, y0, b - a, top}
		P[PaneCloudWatch] = Rect{b, y0, w - b, top}
		P[PaneStaging] = Rect{0, y0 + top, a, bot}
		P[PaneParquet] = Rect{a, y0 + top, b - a, bot}
		P[PaneCost] = Rect{b, y0 + top, w - b, bot}
	default:
		l.Mode = "compact"
		top := body / 2
		bot := body - top
		half := w / 2
		if focus == PaneCloudWatch || focus == PaneCost {
			P[focus] = Rect{0, y0, w, top}
		} else {
			P[PaneThroughput] = Rect{0, y0, half, top}
			P[PaneDuplicates] = Rect{half, y0, w - half, top}
		}
		P[PaneStaging] = Rect{0, y0 + top, half, bot}
		P[PaneParquet] = Rect{half, y0 + top, w - half, bot}
	}
	return l
}
