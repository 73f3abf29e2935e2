package sim

import (
	"pipesim/sim/config"
)

// SwitchSpec is one of the original's design choices as a run shows it:
// the config choice, and what each of its values does, in words for the
// log and the dashboard. The dashboard flips a switch with
// CmdCycleSwitch; the change takes effect at the next simulated second.
type SwitchSpec struct {
	Choice config.Choice
	Badge  map[string]string // the header's name for each value other than the default
	Does   map[string]string // what the pipeline does with each value
}

// Switches are the design choices a run can flip, in the dashboard's order.
var Switches = []SwitchSpec{
	{config.PipelineMode,
		map[string]string{"firehose": "Firehose, no Lambda"},
		map[string]string{
			"lambda":   "a Lambda reads the stream: it validates, checks the ledger and stages what is new",
			"firehose": "a Firehose delivery stream reads the stream and stages the records as sent, buffered by firehose.buffer_size and buffer_interval: Glue validates and dedupes all of it",
		}},
	{config.GlueDedupe,
		map[string]string{"batch": "dedupe: batch only"},
		map[string]string{
			"lookback": "Glue drops copies of the uuids it wrote within glue.dedupe_lookback: late copies are caught",
			"batch":    "Glue drops copies within one run only, as the original did: late copies leak into the lake",
		}},
	{config.LedgerOnFailure,
		map[string]string{"pass": "ledger fails open"},
		map[string]string{
			"retry": "a batch the ledger cannot check fails and waits in the stream (fail closed)",
			"pass":  "a batch the ledger cannot check is staged unchecked (fail open): its duplicates are Glue's to catch",
		}},
	{config.GlueEngine,
		map[string]string{"lambda": "compaction: Lambda"},
		map[string]string{
			"glue":   "compaction runs as a Glue (Spark) job, with no time limit",
			"lambda": "compaction runs as a scheduled Lambda: the same files, if a run finishes within 15 minutes",
		}},
	{config.GluePartitioning,
		map[string]string{"hour_event_type": "lake by hour+type"},
		map[string]string{
			"day_language":    "Glue partitions the lake by event day and language_id, as the original: from its next run, which rewrites the lake into that layout",
			"hour_event_type": "Glue partitions the lake by event hour and event_type, the original's advice for 1B/h: from its next run, which rewrites the lake into that layout",
		}},
	{config.LedgerTTL,
		map[string]string{"15m": "ledger TTL 15m", "6h": "ledger TTL 6h", "24h": "ledger TTL 24h"},
		map[string]string{
			"15m": "the ledger remembers a uuid 15 minutes: more late copies pass the Lambda, for Glue to catch, and it holds fewer keys",
			"1h":  "the ledger remembers a uuid an hour (Powertools' idempotency default)",
			"6h":  "the ledger remembers a uuid 6 hours: it catches most late copies itself, and holds six times the keys",
			"24h": "the ledger remembers a uuid a day: it catches late copies itself, and holds 24 hours of keys, each looked up in every bucket",
		}},
	{config.LambdaBisect,
		map[string]string{"true": "λ bisects"},
		map[string]string{
			"false": "a batch that throws is retried whole (the mapping's default)",
			"true":  "a batch that throws is split in two and each half retried, down to the one bad record, from its next retry (UpdateEventSourceMapping)",
		}},
	{config.LambdaRetries,
		map[string]string{"2": "λ retries ≤2"},
		map[string]string{
			"-1": "a batch that throws is retried until its records expire (the mapping's default)",
			"2":  "a batch that throws is discarded after 2 retries, to lambda.on_failure, and its shard moves on, from its next retry (UpdateEventSourceMapping)",
		}},
}

// SwitchFor is the switch of a config key.
func SwitchFor(key string) (SwitchSpec, bool) {
	for _, s := range Switches {
		if s.Choice.Key == key {
			return s, true
		}
	}
	return SwitchSpec{}, false
}

// SwitchState is a switch as the dashboard shows it.
type SwitchState struct {
	Key   string
	Value string
	Badge string // "" for the default
}

// switchStates lists every switch with its value in force.
func (e *Engine) switchStates() []SwitchState {
	out := make([]SwitchState, len(Switches))
	for i, s := range Switches {
		v := s.Choice.Value(e.cfg)
		out[i] = SwitchState{Key: s.Choice.Key, Value: v, Badge: s.Badge[v]}
	}
	return out
}

// setSwitch sets switch s to value, logs what that does, and hands it to
// the stages.
func (e *Engine) setSwitch(s SwitchSpec, value string) error {
	if value == s.Choice.Value(e.cfg) {
		return nil
	}
	key := s.Choice.Key
	cfg, err := e.cfg.Set(key + "=" + value)
	if err != nil {
		return err
	}
	cfg.Sources = e.cfg.Sources // the config still came from where it did
	if err := e.applySwitches(cfg); err != nil {
		return err
	}
	e.cfg = cfg
	e.cw.logf(e.simTime(), false, "design choice %s = %s: %s", key, value, s.Does[value])
	return nil
}

// applySwitches hands the choices in cfg to the stages that read them.
// (Glue, on its own goroutine, is handed its settings with each request.)
func (e *Engine) applySwitches(cfg *config.Config) error {
	if err := e.ledger.SetTTL(cfg.Ledger.TTL); err != nil {
		return err
	}
	e.lambda.passUnchecked = cfg.Ledger.OnFailure == "pass"
	e.lambda.updateMapping(cfg.Lambda)
	firehose := cfg.Pipeline.Mode == "firehose"
	if e.viaFirehose && !firehose {
		// the delivery stream is stopped: it delivers what it holds
		if err := e.firehose.flush(e.now); err != nil {
			return err
		}
	}
	e.viaFirehose = firehose
	return nil
}
