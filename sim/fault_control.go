package sim

import (
	"context"
	"fmt"
	"time"

	"pipesim/sim/config"
	"pipesim/sim/metric"
	"pipesim/store"
)

// FaultState is one fault kind as the dashboard shows it.
type FaultState struct {
	Kind   FaultKind
	Active bool
	Detail string // e.g. "0.5%" or "until 00:40"
}

// severedLedger stands between the Lambda and the Redis ledger: while
// severed, calls fail at once as a dropped connection would, without a
// round trip. Stopping the server for real would time the outage by the
// client's wall-clock dial timeouts and reconnect probes (a second a try,
// minutes of simulated time at full speed, different every run); cutting
// the connection in the client keeps it to the simulated instants asked for.
type severedLedger struct {
	store.Ledger
	backend string
	severed bool
}

func (s *severedLedger) CheckAndAdd(ctx context.Context, now time.Time, ids [][16]byte, seen []bool) error {
	if s.severed {
		return fmt.Errorf("ledger %s: connection lost (ledger-down fault)", s.backend)
	}
	return s.Ledger.CheckAndAdd(ctx, now, ids, seen)
}

func (s *severedLedger) Len(ctx context.Context) (int64, error) {
	if s.severed {
		return 0, fmt.Errorf("ledger %s: connection lost (ledger-down fault)", s.backend)
	}
	return s.Ledger.Len(ctx)
}

// applyFaults brings the pipeline in line with the faults in force at
// the current simulated time (and those switched on by hand).
func (e *Engine) applyFaults() error {
	since := time.Duration(e.now-e.start.UnixMicro()) * time.Microsecond
	var ledgerDown, lambdaDown bool
	var malformed, poison, late float64
	for _, f := range e.opt.Faults {
		switch f.Kind {
		case LedgerDown:
			ledgerDown = ledgerDown || f.active(since)
		case LambdaDown:
			lambdaDown = lambdaDown || f.active(since)
		case Malformed:
			malformed += f.Share
		case Poison:
			poison += f.Share
		case Late:
			late += f.Share
		case Crash:
			if since >= f.At {
				return ErrCrashed
			}
		}
	}
	ledgerDown = ledgerDown || e.manual[LedgerDown]
	lambdaDown = lambdaDown || e.manual[LambdaDown]
	// a poison record's batch that threw blocks its shard
	e.stalled = e.stalled || ledgerDown || lambdaDown || e.counts.total.Counts[metric.FunctionErrors] > 0
	if e.manual[Malformed] {
		malformed += keyShare(Malformed)
	}
	if e.manual[Poison] {
		poison += keyShare(Poison)
	}
	if e.manual[Late] {
		late += keyShare(Late)
	}
	e.producer.malformed, e.producer.poison, e.producer.late = min(malformed, 1), min(poison, 1), min(late, 1)
	if lambdaDown != e.lambda.disabled {
		e.lambda.disabled = lambdaDown
		if lambdaDown {
			e.cw.logf(e.simTime(), true, "fault: Lambda's event-source mapping stopped; records wait in the stream (retention %s)", config.ShortDuration(e.cfg.Kinesis.Retention))
		} else {
			e.cw.logf(e.simTime(), false, "Lambda's event-source mapping running again")
			for _, sh := range e.stream.shards {
				if since := e.lambda.failingSince(sh.id); !since.IsZero() {
					e.cw.logf(e.simTime(), true, "%s stays blocked behind a poison record (since %s): the mapping retries its batch as lambda.* says", sh.name(), since.Format("15:04:05"))
				}
			}
		}
	}
	if ledgerDown != e.ledgerDown {
		e.ledgerDown = ledgerDown
		e.switchLedger(ledgerDown)
	}
	return nil
}

// switchLedger stops or restarts the ledger for the ledger-down fault.
func (e *Engine) switchLedger(down bool) {
	now := e.simTime()
	e.ledger.severed = down
	if down {
		e.cw.logf(now, true, "fault: the Redis ledger stopped answering")
	} else {
		e.cw.logf(now, false, "the Redis ledger is back; Lambda retries drain the backlog")
	}
}

// faultStates lists every kind with whether it is in force now.
func (e *Engine) faultStates() []FaultState {
	since := time.Duration(e.now-e.start.UnixMicro()) * time.Microsecond
	out := make([]FaultState, 0, len(FaultSpecs))
	for _, k := range FaultSpecs {
		st := FaultState{Kind: k.Kind}
		switch k.Kind {
		case LedgerDown:
			st.Active = e.ledgerDown
		case LambdaDown:
			st.Active = e.lambda.disabled
		case Malformed:
			st.Active, st.Detail = e.producer.malformed > 0, fmt.Sprintf("%.1f%%", e.producer.malformed*100)
		case Poison:
			st.Active, st.Detail = e.producer.poison > 0, fmt.Sprintf("%.2g%%", e.producer.poison*100)
		case Late:
			st.Active, st.Detail = e.producer.late > 0, fmt.Sprintf("%.1f%%", e.producer.late*100)
		}
		for _, f := range e.opt.Faults {
			if f.Kind == k.Kind && f.For > 0 && f.active(since) {
				st.Detail = "until " + e.start.Add(f.At+f.For).Format("15:04")
			}
		}
		out = append(out, st)
	}
	return out
}

// keyShare is the share the dashboard's key for kind switches on.
func keyShare(kind FaultKind) float64 {
	spec, _ := kind.Spec()
	return spec.KeyShare
}
