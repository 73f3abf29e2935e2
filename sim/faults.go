package sim

import (
	"errors"
	"fmt"
	"pipesim/sim/config"
	"strconv"
	"strings"
	"time"
)

// Fault is one injected failure: a window of simulated time measured from
// the run's start (ledger-down@30m+10m), a share of events (malformed=0.5%),
// or a moment (crash@40m).
type Fault struct {
	Kind  string
	At    time.Duration // from the run's start
	For   time.Duration // window faults: how long; 0 for moments
	Share float64       // share faults: 0–1
}

// FaultKind describes one kind of fault for --help and the dashboard.
type FaultKind struct {
	Name, Shape, Help string
}

// FaultKinds are the faults pipesim can inject.
var FaultKinds = []FaultKind{
	{"ledger-down", "ledger-down@START+DURATION", "the Redis ledger stops answering: Lambda batches fail and retry with backoff, records wait in the stream"},
	{"lambda-down", "lambda-down@START+DURATION", "the event-source mapping stops: records wait in the stream, and expire (lost) past the retention"},
	{"malformed", "malformed=SHARE%", "that share of records is malformed (bad base64, bad JSON, unknown event_name, missing or mistyped field, created_at in the future): dead-lettered"},
	{"late", "late=SHARE%", "that share of events arrives 1-6 hours after it was created (devices that were offline)"},
	{"crash", "crash@START", "the process dies at START as if killed with kill -9: nothing is flushed"},
	{"glue-crash", "glue-crash@START", "the first Glue run from START dies half way through publishing its files"},
}

// ErrCrashed is returned by Run when a crash fault fired: the caller
// should exit at once, without flushing anything, as a killed process would.
var ErrCrashed = errors.New("crashed (fault injected)")

// ParseFault reads one --fault value.
func ParseFault(s string) (Fault, error) {
	bad := func(format string, args ...any) (Fault, error) {
		return Fault{}, fmt.Errorf("fault %q: %s", s, fmt.Sprintf(format, args...))
	}
	if name, share, ok := strings.Cut(s, "="); ok {
		if name != "malformed" && name != "late" {
			return bad("only malformed and late take a share (%s)", faultNames())
		}
		p, err := strconv.ParseFloat(strings.TrimSuffix(share, "%"), 64)
		if err != nil || !strings.HasSuffix(share, "%") || p <= 0 || p > 100 {
			return bad("want a share such as 0.5%%, between 0 and 100%%")
		}
		return Fault{Kind: name, Share: p / 100}, nil
	}
	name, when, ok := strings.Cut(s, "@")
	if !ok {
		return bad("want KIND@START+DURATION, KIND@START or KIND=SHARE%% (%s)", faultNames())
	}
	start, length, window := strings.Cut(when, "+")
	f := Fault{Kind: name}
	var err error
	if f.At, err = time.ParseDuration(start); err != nil || f.At < 0 {
		return bad("start %q: want a simulated time from the run's start, such as 30m", start)
	}
	switch name {
	case "ledger-down", "lambda-down":
		if !window {
			return bad("%s needs a duration: %s@%s+10m", name, name, start)
		}
		if f.For, err = time.ParseDuration(length); err != nil || f.For <= 0 {
			return bad("duration %q: want a simulated time > 0, such as 10m", length)
		}
	case "crash", "glue-crash":
		if window {
			return bad("%s happens at a moment: %s@%s", name, name, start)
		}
	default:
		return bad("unknown kind %q (%s)", name, faultNames())
	}
	return f, nil
}

func faultNames() string {
	names := make([]string, len(FaultKinds))
	for i, k := range FaultKinds {
		names[i] = k.Name
	}
	return "kinds: " + strings.Join(names, ", ")
}

func (f Fault) String() string {
	switch {
	case f.Share > 0:
		return fmt.Sprintf("%s=%g%%", f.Kind, f.Share*100)
	case f.For > 0:
		return fmt.Sprintf("%s@%s+%s", f.Kind, config.ShortDuration(f.At), config.ShortDuration(f.For))
	}
	return fmt.Sprintf("%s@%s", f.Kind, config.ShortDuration(f.At))
}

// active reports whether a window fault covers the time since start.
func (f Fault) active(sinceStart time.Duration) bool {
	return sinceStart >= f.At && sinceStart < f.At+f.For
}
