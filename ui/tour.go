package ui

import (
	"slices"
	"strings"

	"pipesim/sim"

	"charm.land/lipgloss/v2"
)

// The walk-through (pipesim tour): a story in stops on the live engine.
// Each stop sets the whole pipeline to its state (scenario, shards,
// faults, design choices) with absolute commands, so that it lands the
// same way coming from the stop before or after; then says what to look
// at, with the keys a presenter driving by hand presses for the same. The
// README's "A 15-minute workshop" lists the same stops (a test holds them
// together).

// TourStop is one stop of the walk-through.
type TourStop struct {
	Title   string
	Keys    string // what a presenter presses by hand for the same
	Caption string

	scenario string
	shards   int               // 0: the scenario's own
	faults   []sim.FaultKind   // on; every other fault a key switches is off
	switches map[string]string // config key → value; every other switch at the run's own
	then     []sim.Command     // after the state is set
	card     string            // the figure that matters, in the presenter's view
}

// Tour is the walk-through's stops, in order.
var Tour = []TourStop{
	{Title: "One shard, a million events an hour", Keys: "2",
		Caption: "An app sends 1M events an hour, 278 a second, into a Kinesis stream of one shard, which takes 1,000 records or 1 MiB a second. " +
			"A Lambda reads batches, checks each event_uuid against a Redis ledger, and writes what is new as NDJSON, a folder a minute (Staging). " +
			"w shows the last events and what became of each.",
		scenario: "1M", card: cardLoad},
	{Title: "Duplicates, and where each is caught", Keys: "2 d",
		Caption: "SDKs re-send about 1% of events when an acknowledgement is lost; d replays a burst, as a phone re-uploading its queue. " +
			"The ledger catches a copy within its TTL, Glue's lookback what the ledger missed. The Duplicates pane keeps the books: " +
			"injected = caught + leaked + lost + on the way.",
		scenario: "1M", then: []sim.Command{{Kind: sim.CmdInjectBurst}}, card: cardLeaked},
	{Title: "The ledger goes down", Keys: "L",
		Caption: "Redis stops answering. Each Lambda batch fails and is retried with backoff (the ledger fails closed): records wait in the stream " +
			"and the iterator age climbs, but nothing is lost and nothing is written twice. Past the stream's retention, waiting records would expire.",
		scenario: "1M", faults: []sim.FaultKind{sim.LedgerDown}, card: cardAge},
	{Title: "Failing open, and Glue's batch-only dedupe", Keys: "o b, then c now and then",
		Caption: "o makes the ledger fail open: batches go to staging unchecked and the backlog drains, but the copies among them are Glue's to catch. " +
			"b makes Glue dedupe within one run only, as the original did: a copy whose original went in an earlier run leaks into the lake. " +
			"Press c a few times and watch leaked to lake.",
		scenario: "1M", faults: []sim.FaultKind{sim.LedgerDown},
		switches: map[string]string{"ledger.on_failure": "pass", "glue.dedupe": "batch"}, card: cardLeaked},
	{Title: "A billion an hour on one shard", Keys: "3, then S until 1 shard",
		Caption: "1B/h is 278k events a second; one shard takes 1,000. Kinesis refuses the rest, the producer retries and drops what outlives its buffer: " +
			"Throughput's lost line. pipesim materialises 1 event in some hundreds and scales every figure to the real volume (~).",
		scenario: "1B", shards: 1, card: cardThrottled},
	{Title: "The shards it needs", Keys: "3",
		Caption: "The 1B scenario's 750 shards carry the weekday evening peak at 80% busy. Throttling stops, the producer loses nothing, " +
			"and the Lambda runs one invocation per shard (Throughput: needs, has).",
		scenario: "1B", card: cardThrottled},
	{Title: "Small files at 1M/h", Keys: "2 c",
		Caption: "Glue compacts the staging minutes into Parquet, by day and language as the original did. Each hourly run writes a file per language " +
			"of a few MB: small files, slow to scan. A whole day per language is a couple of hundred MB, inside the 100 MB–1 GB band where query engines " +
			"read well (Parquet pane: 1 day at 1M/h), so the day's merge lands in it.",
		scenario: "1M", then: []sim.Command{{Kind: sim.CmdCompact}}, card: cardFiles},
	{Title: "Hour and event type at 1B/h", Keys: "3 p c",
		Caption: "At 1B/h a day per language is some 180 GB, far past the band. p switches the lake to hour and event type, the original's advice " +
			"for 1B/h, and the next Glue run rewrites the lake that way. An hour of the busiest types is still tens of GB: merges split them into files of at most 1 GB.",
		scenario: "1B", switches: map[string]string{"glue.partitioning": "hour_event_type"},
		then: []sim.Command{{Kind: sim.CmdCompact}}, card: cardFiles},
	{Title: "What it costs", Keys: "2, then f and e to compare",
		Caption: "The Cost pane prices the nominal counts at list prices: a month at the current rate, by stage. At 1M/h the ledger's writes are most of it. " +
			"f swaps the Lambda for Firehose, e compaction for a Lambda: the bill answers at once. pipesim cost prints every design side by side.",
		scenario: "1M", card: cardCost},
}

// commands set the pipeline to the stop's state, then do its actions.
func (t TourStop) commands() []sim.Command {
	cmds := []sim.Command{{Kind: sim.CmdScenario, Arg: t.scenario}}
	if t.shards > 0 {
		cmds = append(cmds, sim.Command{Kind: sim.CmdSetShards, N: t.shards})
	}
	for _, f := range toggleFaults {
		cmds = append(cmds, sim.Command{Kind: sim.CmdSetFault, Fault: f.kind, On: slices.Contains(t.faults, f.kind)})
	}
	for _, s := range switchKeys {
		cmds = append(cmds, sim.Command{Kind: sim.CmdSetSwitch, Arg: s.config, Value: t.switches[s.config]})
	}
	return append(cmds, t.then...)
}

// tour is where the walk-through is: off, or at a stop.
type tour struct {
	on   bool
	stop int
}

// captionLines is the stop's box, w wide: its number and title, the
// caption, the keys it stands for and how to move on.
func (t *tour) captionLines(st *Styles, w int) []string {
	if !t.on || t.stop < 0 || w < 4 {
		return nil
	}
	s := Tour[t.stop]
	text := lipgloss.NewStyle().Width(w - 2).Render(s.Caption)
	lines := strings.Split(text, "\n")
	moves := "enter next · p back · esc ends the tour"
	if t.stop == len(Tour)-1 {
		moves = "the last stop · p back · esc ends the tour"
	}
	lines = append(lines, st.Label.Render("by hand: ")+st.Strong.Render(s.Keys)+st.Label.Render(" · "+moves))
	title := "tour " + itoa(t.stop+1) + "/" + itoa(len(Tour)) + " · " + s.Title
	return strings.Split(st.frame(title, "", "", lines, w, len(lines)+2, true), "\n")
}
