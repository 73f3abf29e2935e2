package ui

import (
	"strings"

	"pipesim/sim"

	"charm.land/bubbles/v2/key"
)

// KeyMap is every key the dashboard knows. Keys that drive the pipeline
// send a sim.Command; the others move focus, scroll or fold.
type KeyMap struct {
	RateUp, RateDown                   key.Binding
	Scenario1k, Scenario1M, Scenario1B key.Binding
	SpeedUp, SpeedDown                 key.Binding
	Pause                              key.Binding
	Burst, DupRate                     key.Binding
	Compact, Report                    key.Binding
	ShardsUp, ShardsDown               key.Binding

	// faults, each a toggle, in toggleFaults' order
	Faults []key.Binding
	// design choices, each cycling its values, in switchKeys' order
	Restart  key.Binding
	Switches []key.Binding

	NextPane, PrevPane key.Binding
	Up, Down           key.Binding
	PageUp, PageDown   key.Binding
	Top, Bottom        key.Binding
	Fold               key.Binding
	Events             key.Binding
	Present            key.Binding
	Theme              key.Binding
	Help, Quit         key.Binding

	// the walk-through's, only while it is on (they shadow enter and p)
	TourNext, TourBack, TourEnd key.Binding
}

// DefaultKeyMap is the dashboard's key map. The space bar is "space" in
// Bubble Tea v2, not " ".
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return KeyMap{
		RateUp:     b([]string{"+", "="}, "+", "rate up"),
		RateDown:   b([]string{"-", "_"}, "-", "rate down"),
		Scenario1k: b([]string{"1"}, "1", "scenario 1k/h"),
		Scenario1M: b([]string{"2"}, "2", "scenario 1M/h"),
		Scenario1B: b([]string{"3"}, "3", "scenario 1B/h"),
		SpeedUp:    b([]string{">", "."}, ">", "faster"),
		SpeedDown:  b([]string{"<", ","}, "<", "slower"),
		Pause:      b([]string{"space"}, "space", "pause/resume"),
		Burst:      b([]string{"d"}, "d", "inject dup burst"),
		DupRate:    b([]string{"D"}, "D", "cycle dup rate"),
		Compact:    b([]string{"c"}, "c", "compact now (Glue)"),
		Report:     b([]string{"r"}, "r", "write report"),
		ShardsUp:   b([]string{"s"}, "s", "shards ×2"),
		ShardsDown: b([]string{"S"}, "S", "shards ÷2"),
		Restart:    b([]string{"ctrl+r"}, "ctrl+r", "restart the run"),

		Faults:   faultBindings(),
		Switches: switchBindings(),

		NextPane: b([]string{"tab"}, "tab", "next pane"),
		PrevPane: b([]string{"shift+tab"}, "shift+tab", "prev pane"),
		Up:       b([]string{"up", "k"}, "↑/k", "up"),
		Down:     b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:   b([]string{"pgup"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown"}, "pgdn", "page down"),
		Top:      b([]string{"home", "g"}, "g", "top"),
		Bottom:   b([]string{"end", "G"}, "G", "bottom"),
		Fold:     b([]string{"enter"}, "enter", "fold/unfold"),
		Events:   b([]string{"w"}, "w", "last events"),
		Present:  b([]string{"z"}, "z", "presenter's view"),
		Theme:    b([]string{"v"}, "v", "next theme"),
		Help:     b([]string{"?"}, "?", "more keys"),
		Quit:     b([]string{"q", "ctrl+c"}, "q", "quit"),

		TourNext: b([]string{"enter", "n"}, "enter", "next stop"),
		TourBack: b([]string{"p"}, "p", "stop before"),
		TourEnd:  b([]string{"esc"}, "esc", "end the tour"),
	}
}

// commandFor maps a key press to the command it sends, if any.
func (k KeyMap) commandFor(msg interface{ String() string }) (sim.Command, bool) {
	for _, kc := range []struct {
		b key.Binding
		c sim.Command
	}{
		{k.RateUp, sim.Command{Kind: sim.CmdRateUp}},
		{k.RateDown, sim.Command{Kind: sim.CmdRateDown}},
		{k.Scenario1k, sim.Command{Kind: sim.CmdScenario, Arg: "1k"}},
		{k.Scenario1M, sim.Command{Kind: sim.CmdScenario, Arg: "1M"}},
		{k.Scenario1B, sim.Command{Kind: sim.CmdScenario, Arg: "1B"}},
		{k.SpeedUp, sim.Command{Kind: sim.CmdSpeedUp}},
		{k.SpeedDown, sim.Command{Kind: sim.CmdSpeedDown}},
		{k.Pause, sim.Command{Kind: sim.CmdTogglePause}},
		{k.Burst, sim.Command{Kind: sim.CmdInjectBurst}},
		{k.DupRate, sim.Command{Kind: sim.CmdCycleDuplicateRate}},
		{k.Compact, sim.Command{Kind: sim.CmdCompact}},
		{k.Report, sim.Command{Kind: sim.CmdWriteReport}},
		{k.ShardsUp, sim.Command{Kind: sim.CmdShardsUp}},
		{k.ShardsDown, sim.Command{Kind: sim.CmdShardsDown}},
		{k.Restart, sim.Command{Kind: sim.CmdRestart}},
	} {
		if key.Matches(msg, kc.b) {
			return kc.c, true
		}
	}
	for i, b := range k.Faults {
		if key.Matches(msg, b) {
			return sim.Command{Kind: sim.CmdToggleFault, Fault: toggleFaults[i].kind}, true
		}
	}
	for i, b := range k.Switches {
		if key.Matches(msg, b) {
			return sim.Command{Kind: sim.CmdCycleSwitch, Arg: switchKeys[i].config}, true
		}
	}
	return sim.Command{}, false
}

// helpOnly is a binding drawn in the short help for a group of keys; it is
// never matched (the real bindings are), but needs keys to count as enabled.
func helpOnly(k, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc))
}

// ShortHelp is the one-line help at the bottom, most useful first.
func (k KeyMap) ShortHelp() []key.Binding {
	// the last two are drawn flush right, whatever the width
	return []key.Binding{
		helpOnly("space", "pause"),
		helpOnly("+/-", "rate"),
		helpOnly("1/2/3", "scenario"),
		helpOnly("</>", "speed"),
		helpOnly("d/D", "dups"),
		helpOnly("c", "compact"),
		helpOnly("s/S", "shards"),
		helpOnly(faultKeys(), "faults"),
		helpOnly("tab", "focus"),
		helpOnly("r", "report"),
		helpOnly("?", "more"),
		k.Quit,
	}
}

// FullHelp is every binding, grouped: pipeline, time, actions, faults,
// switches, panes, app.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{helpOnly("+ -", "rate up/down"), k.Scenario1k, k.Scenario1M, k.Scenario1B},
		{helpOnly("> <", "faster/slower"), k.Pause, helpOnly("s S", "shards ×2/÷2")},
		{k.Burst, k.DupRate, k.Compact, k.Report, k.Events, k.Present},
		k.Faults,
		k.Switches,
		{helpOnly("tab ⇧tab", "next pane / prev"), helpOnly("↑↓ g G", "scroll"), k.Fold},
		{k.Restart, k.Theme, k.Help, k.Quit},
	}
}

// faultBindings are the fault keys of toggleFaults, in its order.
func faultBindings() []key.Binding {
	out := make([]key.Binding, len(toggleFaults))
	for i, f := range toggleFaults {
		out[i] = key.NewBinding(key.WithKeys(f.key), key.WithHelp(f.key, "fault: "+f.withShare(f.name)))
	}
	return out
}

// faultKeys is "L/X/M/T".
func faultKeys() string {
	keys := make([]string, len(toggleFaults))
	for i, f := range toggleFaults {
		keys[i] = f.key
	}
	return strings.Join(keys, "/")
}
