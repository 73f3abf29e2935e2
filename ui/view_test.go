package ui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"pipesim/sim"
	"pipesim/sim/metric"
)

// The goldens are the screens a user reads (ANSI stripped) from the fixed
// fake snapshot. go test ./ui -update rewrites them.

func TestGoldenViews(t *testing.T) {
	for _, tc := range []struct {
		name string
		snap *sim.Snapshot
		w, h int
	}{
		{"view_80x24.golden", fakeSnapshot(), 80, 24},
		{"view_160x48.golden", fakeSnapshot(), 160, 48},
		{"view_sampled_120x40.golden", sampledSnapshot(), 120, 40},
		{"view_sampled_80x24.golden", sampledSnapshot(), 80, 24},
		{"view_relayout_120x40.golden", relayoutSnapshot(), 120, 40},
		{"view_relayout_80x24.golden", relayoutSnapshot(), 80, 24},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newTestModel(t, tc.snap, tc.w, tc.h)
			got := screen(m)
			checkSize(t, got, tc.w, tc.h)
			golden(t, tc.name, got)
		})
	}
}

// relayoutSnapshot is the fake run just after p: the lake is by day and
// language, the next Glue run rewrites it by hour and event type.
func relayoutSnapshot() *sim.Snapshot {
	s := fakeSnapshot()
	for i, sw := range s.Switches {
		if sw.Key == "glue.partitioning" {
			s.Switches[i] = sim.SwitchState{Key: sw.Key, Value: "hour_event_type", Badge: "lake by hour+type"}
		}
	}
	s.Relayout = "hour_event_type"
	return s
}

// checkSize: exactly h lines of exactly w cells.
func checkSize(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if width(l) != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, width(l), w, l)
		}
	}
}

// The four panes the brief wants on the first screen at 80×24 are there,
// with their key figures.
func TestFirstScreenAt80x24(t *testing.T) {
	m, _ := newTestModel(t, fakeSnapshot(), 80, 24)
	v := screen(m)
	for _, want := range []string{
		"Throughput", "Duplicates", "Staging", "Parquet",
		"14:37:25", "▶ ×600", "1M/h", "1 shard", "1 alarm", // on pace: the speed asked for is enough
		"17.5k/min", "28%", // put per minute, shard records use
		"788k", "785k", "164", // injected, caught by the ledger, leaked
		"year=2024", "minute=37 ●", // the tree, newest first, open partition marked
		"small", "░ 100 MB–1 GB", "379 MB ok", // band markers and projection
	} {
		if !strings.Contains(v, want) {
			t.Errorf("80×24 view lacks %q", want)
		}
	}
	if strings.Contains(v, "CloudWatch") {
		t.Error("CloudWatch should be behind tab at 80×24")
	}
	if strings.Contains(v, "~") || strings.Contains(v, "sampled") {
		t.Error("an unsampled run shows ~ or sampled")
	}
}

func TestAllPanesAt160x48(t *testing.T) {
	m, _ := newTestModel(t, fakeSnapshot(), 160, 48)
	v := screen(m)
	for _, want := range []string{"Throughput", "Duplicates", "Staging", "Parquet", "CloudWatch",
		"Glue run 38", "▲ ALARM duplicates-leaked", "✓ balanced", "2024-03-15 14:37:25 UTC"} {
		if !strings.Contains(v, want) {
			t.Errorf("160×48 view lacks %q", want)
		}
	}
}

// Sampled runs scale counts (Nominal) and mark them with "~".
func TestSampledFiguresAreScaledAndMarked(t *testing.T) {
	s := sampledSnapshot()
	m, _ := newTestModel(t, s, 160, 48)
	v := screen(m)
	if !strings.Contains(v, "sampled 1:40") {
		t.Error("header lacks 'sampled 1:40'")
	}
	// 788,100 injected duplicates × 40 = 31.5M
	if !strings.Contains(v, "~31.5M") {
		t.Errorf("injected duplicates not scaled ×40 and marked: %s", v)
	}
	if !strings.Contains(v, "FULL") || !strings.Contains(v, "64/64 full") {
		t.Error("overloaded shards not marked FULL")
	}
	if !strings.Contains(v, "×60 asked · ×23 on this machine") {
		t.Errorf("achieved speed far below requested is not said plainly:\n%s", strings.SplitN(v, "\n", 2)[0])
	}
}

func TestErrorBannerAndDone(t *testing.T) {
	s := fakeSnapshot()
	s.Err = errDiskFull
	m, _ := newTestModel(t, s, 80, 24)
	lines := screenLines(m)
	status := lines[len(lines)-2]
	if !strings.Contains(status, "✖ engine stopped: write output/datalak") || !strings.Contains(status, "no space left on device") {
		t.Errorf("status line does not show where and what went wrong: %q", status)
	}
	if !strings.Contains(lines[0], "STOPPED") {
		t.Errorf("header does not say stopped: %q", lines[0])
	}
	checkSize(t, screen(m), 80, 24)

	d := fakeSnapshot()
	d.Done = true
	m, _ = newTestModel(t, d, 80, 24)
	lines = screenLines(m)
	if !strings.Contains(lines[0], "DONE") || !strings.Contains(lines[len(lines)-2], "run finished") {
		t.Errorf("done not shown:\n%s", screen(m))
	}
}

func TestWaitingForFirstSnapshot(t *testing.T) {
	m, _ := newTestModel(t, nil, 80, 24)
	v := screen(m)
	if !strings.Contains(v, "waiting for the engine") {
		t.Errorf("no waiting message:\n%s", v)
	}
	checkSize(t, v, 80, 24)
}

var sgr = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// colourParams reports whether any SGR sequence in s sets a colour.
func colourParams(s string) []string {
	var found []string
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		ps := strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' })
		for i := 0; i < len(ps); i++ {
			n, _ := strconv.Atoi(ps[i])
			if (n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107) {
				found = append(found, m[0])
				break
			}
		}
	}
	return found
}

func TestNoColour(t *testing.T) {
	src := &fakeSource{snap: sampledSnapshot()}
	colour := New(src, Options{Width: 120, Height: 40})
	colour.Update(tickMsg(t0))
	if len(colourParams(colour.View().Content)) == 0 {
		t.Fatal("the coloured view has no colour: the check below would prove nothing")
	}
	plain := New(src, Options{NoColor: true, Width: 120, Height: 40})
	plain.Update(tickMsg(t0))
	press(plain, "tab")
	if c := colourParams(plain.View().Content); len(c) > 0 {
		t.Errorf("NoColor view sets colours: %q", c[:min(len(c), 5)])
	}
	// focus and band markers still read without colour
	v := screen(plain)
	if !strings.Contains(v, "┏━ Duplicates") || !strings.Contains(v, "small") {
		t.Error("without colour, focus or size markers are lost")
	}
}

func TestTooSmall(t *testing.T) {
	for _, sz := range [][2]int{{59, 24}, {80, 17}, {40, 10}, {30, 12}} {
		m, _ := newTestModel(t, fakeSnapshot(), sz[0], sz[1])
		v := screen(m)
		checkSize(t, v, sz[0], sz[1])
		// the message whole, however it wraps
		words := strings.Join(strings.Fields(v), " ")
		size := strconv.Itoa(sz[0]) + "×" + strconv.Itoa(sz[1])
		if !strings.Contains(words, "pipesim needs a terminal of at least 60×18 this one is "+size+": enlarge it or make the font smaller q quits") {
			t.Errorf("%d×%d: the size message is not whole:\n%s", sz[0], sz[1], v)
		}
	}
	m, _ := newTestModel(t, fakeSnapshot(), 60, 18)
	if strings.Contains(screen(m), "at least") {
		t.Error("60×18 is enough but says too small")
	}
	checkSize(t, screen(m), 60, 18)
}

// Resizing through many sizes never breaks the frame.
func TestResizeKeepsExactSize(t *testing.T) {
	m, _ := newTestModel(t, sampledSnapshot(), 80, 24)
	for _, sz := range [][2]int{{60, 18}, {61, 19}, {99, 33}, {100, 34}, {119, 30}, {160, 48}, {170, 30}, {250, 80}, {203, 51}, {80, 24}} {
		for _, help := range []bool{false, true} {
			m.help.ShowAll = help
			m.Update(windowSize(sz[0], sz[1]))
			checkSize(t, screen(m), sz[0], sz[1])
		}
	}
}

// Totals are the engine's nominal figures (each count scaled by the ratio in
// force when it happened), marked "~" when they differ from the materialised
// ones even if the run is not sampled any more.
func TestTotalsAreNominal(t *testing.T) {
	s := fakeSnapshot()
	s.Totals.Nominal[metric.DuplicatesInjected] = 5_550_000
	m, _ := newTestModel(t, s, 80, 24)
	if v := screen(m); !strings.Contains(v, "~5.5M") {
		t.Errorf("injected duplicates not taken from the nominal totals:\n%s", v)
	}
}

// The engine's first snapshots are mostly empty: nothing may break.
func TestEmptySnapshotRenders(t *testing.T) {
	s := &sim.Snapshot{SimTime: fakeSnapshot().SimTime, Scenario: "1k", RatePerHour: 1000, Shards: 1, SampleOneIn: 1}
	for _, sz := range [][2]int{{60, 18}, {80, 24}, {160, 48}, {200, 30}} {
		m, _ := newTestModel(t, s, sz[0], sz[1])
		for f := 0; f < int(numPanes); f++ {
			v := screen(m)
			checkSize(t, v, sz[0], sz[1])
			press(m, "tab", "down", "enter", "G")
		}
		v := screen(m)
		for _, want := range []string{"no Parquet yet", "nothing in staging"} {
			if !strings.Contains(v, want) {
				t.Errorf("%d×%d: lacks %q:\n%s", sz[0], sz[1], want, v)
			}
		}
	}
}

// Every pane focused, at several sizes: the frame stays exact.
func TestFocusAtEverySize(t *testing.T) {
	for _, sz := range [][2]int{{60, 18}, {80, 24}, {100, 34}, {120, 40}, {160, 48}, {180, 30}, {250, 80}} {
		m, _ := newTestModel(t, sampledSnapshot(), sz[0], sz[1])
		for f := 0; f < int(numPanes); f++ {
			press(m, "tab")
			v := screen(m)
			checkSize(t, v, sz[0], sz[1])
			if !strings.Contains(v, "┏━ "+m.focus.String()) {
				t.Errorf("%d×%d: focused %v not highlighted", sz[0], sz[1], m.focus)
			}
		}
	}
}

// The books line checks produced + duplicates = in flight + staged +
// caught + dead-lettered + expired, and says so when it does not hold.
func TestBooks(t *testing.T) {
	m, _ := newTestModel(t, fakeSnapshot(), 160, 48)
	if !strings.Contains(screen(m), "books ✓ balanced") {
		t.Fatal("the fixture's books do not balance")
	}
	s := fakeSnapshot()
	s.Totals.Counts[metric.Staged] -= 1200
	s.Totals.Nominal[metric.Staged] -= 1200
	m, _ = newTestModel(t, s, 160, 48)
	if !strings.Contains(screen(m), "books ✗ stream off by 1.2k") {
		t.Errorf("missing records not flagged:\n%s", screen(m))
	}
}

// An empty lake says whether Glue has run at all.
func TestEmptyLakeSaysWhetherGlueRan(t *testing.T) {
	s := &sim.Snapshot{SimTime: fakeSnapshot().SimTime, Scenario: "1M", RatePerHour: 1_000_000, Shards: 1, SampleOneIn: 1}
	m, src := newTestModel(t, s, 80, 24)
	if v := screen(m); !strings.Contains(v, "Glue has not run; c runs it now.") {
		t.Errorf("before any Glue run:\n%s", v)
	}
	ran := *s
	ran.Totals.Counts[metric.GlueRuns], ran.Totals.Nominal[metric.GlueRuns] = 1, 1
	src.set(&ran)
	tick(m, 100*time.Millisecond)
	if v := screen(m); !strings.Contains(v, "Glue found no closed minute yet.") || strings.Contains(v, "has not run") {
		t.Errorf("after a Glue run that found nothing:\n%s", v)
	}
}

// When the metrics and alarms do not fit beside the log, the CloudWatch pane
// becomes one scrolling list: every alarm can be reached, none is cut off
// without a scroll hint.
func TestCloudWatchNeverHidesAlarms(t *testing.T) {
	s := fakeSnapshot()
	for i := 0; i < 6; i++ {
		s.Alarms = append(s.Alarms, sim.AlarmState{Name: "extra-alarm-" + strconv.Itoa(i), Metric: "put", Threshold: 1})
	}
	m, _ := newTestModel(t, s, 160, 48)
	press(m, "shift+tab", "shift+tab") // past Cost to CloudWatch
	seen := map[string]bool{}
	for i := 0; i < 30; i++ {
		v := screen(m)
		for _, a := range s.Alarms {
			if strings.Contains(v, a.Name+" ") {
				seen[a.Name] = true
			}
		}
		press(m, "down")
	}
	for _, a := range s.Alarms {
		if !seen[a.Name] {
			t.Errorf("alarm %s never shown while scrolling the CloudWatch pane", a.Name)
		}
	}
	// with the fixture's three alarms all of it fits beside the log
	m, _ = newTestModel(t, fakeSnapshot(), 160, 48)
	beside := false
	for _, l := range screenLines(m) {
		beside = beside || (strings.Contains(l, "iterator-age-high") && strings.Contains(l, "│ 1")) // a log time beside it
	}
	if !beside {
		t.Errorf("160×48: the log is not beside the alarms:\n%s", screen(m))
	}
}

// A log line too long for the status line is cut between words.
func TestStatusLineCutsBetweenWords(t *testing.T) {
	s := fakeSnapshot()
	text := "Glue run 1: 20 staging files, 333333 rows → 11 Parquet files (39.3 MB), 0 duplicates dropped (on demand)"
	s.Log = append(s.Log, sim.LogLine{At: s.SimTime, Text: text})
	m, _ := newTestModel(t, s, 80, 24)
	lines := screenLines(m)
	status := strings.TrimRight(lines[len(lines)-2], " ")
	shown, cut := strings.CutSuffix(strings.TrimPrefix(status, "14:37:25 "), "…")
	if !cut || !strings.HasPrefix(text, shown+" ") {
		t.Errorf("status line not cut between words: %q", status)
	}
}

// Records the event-source mapping gave up on show in the Throughput
// pane: as lost, or as kept where the on-failure destination has ranges.
func TestThroughputShowsDiscards(t *testing.T) {
	for _, tc := range []struct {
		kept int64
		want string
	}{
		{0, "discard   42 lost, none kept"},
		{42, "discard   42 · 42 ranges kept: re-readable until retention"},
	} {
		s := fakeSnapshot()
		s.Totals.Counts[metric.DiscardedOnFailure], s.Totals.Nominal[metric.DiscardedOnFailure] = 42, 42
		s.Totals.Counts[metric.DiscardedKept], s.Totals.Nominal[metric.DiscardedKept] = tc.kept, tc.kept
		m, _ := newTestModel(t, s, 160, 48)
		if v := screen(m); !strings.Contains(v, tc.want) {
			t.Errorf("kept %d: no %q on screen:\n%s", tc.kept, tc.want, v)
		}
	}
}

// On a daily curve the shard advice adds what the peak needs.
func TestShardAdviceForThePeak(t *testing.T) {
	s := fakeSnapshot()
	s.ShardsNeeded, s.ShardsAtPeak = 1, 3
	m, _ := newTestModel(t, s, 160, 48)
	if v := screen(m); !strings.Contains(v, "1 shard, needs 1, 3 at peak") {
		t.Errorf("no peak advice on screen:\n%s", v)
	}
}

// At 1k/h there is something to read at once: the stream's load with its
// fraction (0.28 records a second, not 0) and when Glue runs next.
func TestATrickleShowsItself(t *testing.T) {
	s := fakeSnapshot()
	s.Scenario, s.RatePerHour = "1k", 1000
	s.Load = sim.Load{Records: 1000.0 / 3600, Bytes: 133}
	s.Processed, s.Totals.Counts[metric.GlueRuns] = nil, 0
	s.NextGlueRun = s.SimTime.Truncate(time.Hour).Add(time.Hour)
	m, _ := newTestModel(t, s, 160, 48)
	v := screen(m)
	for _, want := range []string{"load      0.28 rec/s · 133 B/s", "next scheduled run 15:00, in 22m35s"} {
		if !strings.Contains(v, want) {
			t.Errorf("at 1k/h the screen lacks %q:\n%s", want, v)
		}
	}
}
