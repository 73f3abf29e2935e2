package sim

// Command asks a running engine to change something. Commands are relative
// where a key press is (RateUp, not SetRate) so that two quick presses
// never act on a stale snapshot; the Set kinds are absolute, for a script
// (the tour) that must land in the same state however it got there.
type Command struct {
	Kind  CommandKind
	Arg   string    // scenario name for CmdScenario, config key for CmdCycleSwitch and CmdSetSwitch
	Value string    // for CmdSetSwitch: the value; "" the run's own
	Fault FaultKind // for CmdToggleFault and CmdSetFault
	On    bool      // for CmdSetFault
	N     int       // for CmdSetShards
}

type CommandKind int

const (
	CmdRateUp             CommandKind = iota + 1 // next step of 1-2-5 (1k … 1B per hour)
	CmdRateDown                                  // previous step
	CmdScenario                                  // switch rate and shards to the scenario in Arg
	CmdSpeedUp                                   // ×1 → ×10 → ×60 → ×600 → ×3600 → max
	CmdSpeedDown                                 // the other way
	CmdTogglePause                               // pause or resume simulated time
	CmdInjectBurst                               // replay a burst of recently sent records
	CmdCycleDuplicateRate                        // next background retry probability from config
	CmdCompact                                   // run the Glue job now
	CmdShardsUp                                  // double the shard count (as UpdateShardCount does)
	CmdShardsDown                                // halve it
	CmdWriteReport                               // write a CloudWatch report now
	CmdToggleFault                               // switch Fault on or off (a Switchable kind; shares at their KeyShare)
	CmdCycleSwitch                               // move the design choice whose config key is Arg to its next value
	CmdSetFault                                  // switch Fault on (On) or off
	CmdSetSwitch                                 // set the design choice whose config key is Arg to Value
	CmdSetShards                                 // reshard to N (within 1 and kinesis.max_shards)
	CmdRestart                                   // a fresh run from the start with the settings in force (a Session's)
)

// pacesOnly says the command changes how fast the clock runs, and nothing
// the pipeline does.
func (c Command) pacesOnly() bool {
	return c.Kind == CmdSpeedUp || c.Kind == CmdSpeedDown || c.Kind == CmdTogglePause
}
