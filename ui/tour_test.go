package ui

import (
	"os"
	"slices"
	"strings"
	"testing"

	"pipesim/sim"

	tea "charm.land/bubbletea/v2"
)

// newTourModel is newTestModel walking the tour.
func newTourModel(t *testing.T, snap *sim.Snapshot, w, h int) (*Model, *fakeSource) {
	t.Helper()
	src := &fakeSource{snap: snap}
	m := New(src, Options{Tour: true})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(tickMsg(t0))
	return m, src
}

// Every stop sets every fault a key switches and every design choice, so
// it lands the same from the stop before or after; enter and p move, esc
// hands the keys back.
func TestTourMovesStopByStop(t *testing.T) {
	m, src := newTourModel(t, fakeSnapshot(), 80, 24)
	if !slices.Equal(src.sent, Tour[0].commands()) {
		t.Fatalf("the tour began with %v, want stop 1's %v", src.sent, Tour[0].commands())
	}
	v := screen(m)
	checkSize(t, v, 80, 24)
	golden(t, "tour_80x24.golden", v)
	for i, stop := range Tour {
		cmds := stop.commands()
		faults, switches := 0, 0
		for _, c := range cmds {
			switch c.Kind {
			case sim.CmdSetFault:
				faults++
			case sim.CmdSetSwitch:
				switches++
			}
		}
		if cmds[0].Kind != sim.CmdScenario || faults != len(toggleFaults) || switches != len(switchKeys) {
			t.Errorf("stop %d sets scenario %v, %d faults of %d, %d switches of %d", i+1, cmds[0], faults, len(toggleFaults), switches, len(switchKeys))
		}
	}

	src.sent = nil
	press(m, "enter")
	if !slices.Equal(src.sent, Tour[1].commands()) || !strings.Contains(screen(m), "tour 2/"+itoa(len(Tour))+" · "+Tour[1].Title) {
		t.Errorf("enter: sent %v, screen:\n%s", src.sent, screen(m))
	}
	src.sent = nil
	press(m, "p")
	if !slices.Equal(src.sent, Tour[0].commands()) || !strings.Contains(screen(m), "tour 1/") {
		t.Errorf("p: sent %v, screen:\n%s", src.sent, screen(m))
	}
	src.sent = nil
	press(m, "p") // at the first stop: nothing
	if len(src.sent) != 0 {
		t.Errorf("p at the first stop sent %v", src.sent)
	}
	press(m, "esc")
	if strings.Contains(screen(m), "tour 1/") {
		t.Errorf("esc: the caption is still there:\n%s", screen(m))
	}
	press(m, "p")
	if len(src.sent) != 1 || src.sent[0] != (sim.Command{Kind: sim.CmdCycleSwitch, Arg: "glue.partitioning"}) {
		t.Errorf("after the tour p should be the layout switch again, sent %v", src.sent)
	}
	checkSize(t, screen(m), 80, 24)
}

// The README's workshop lists the tour's stops, with the keys for each.
func TestReadmeWorkshopIsTheTour(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## A 15-minute workshop")
	if !ok {
		t.Fatal(`the README has no "## A 15-minute workshop"`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	for i, s := range Tour {
		want := itoa(i+1) + ". **" + s.Title + "** (`" + s.Keys + "`)"
		if !strings.Contains(section, want) {
			t.Errorf("the workshop lacks stop %d as %q", i+1, want)
		}
	}
}
