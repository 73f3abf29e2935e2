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
	Kind  FaultKind
	At    time.Duration // from the run's start
	For   time.Duration // window faults: how long; 0 for moments
	Share float64       // share faults: 0–1
}

// FaultKind is a kind of injected failure.
type FaultKind string

const (
	LedgerDown FaultKind = "ledger-down"
	LambdaDown FaultKind = "lambda-down"
	Malformed  FaultKind = "malformed"
	Poison     FaultKind = "poison"
	Late       FaultKind = "late"
	Crash      FaultKind = "crash"
	GlueCrash  FaultKind = "glue-crash"
)

// FaultShape is how a fault is given on the command line.
type FaultShape int

const (
	Window FaultShape = iota // KIND@START+DURATION
	Share                    // KIND=SHARE%
	Moment                   // KIND@START
)

// FaultSpec declares a fault kind once: --fault reads it, --help and the
// README's table show it, the dashboard switches the switchable ones.
type FaultSpec struct {
	Kind       FaultKind
	Shape      FaultShape
	Example    string // a --fault value that shows it
	Help       string
	Switchable bool    // the dashboard can switch it on and off, at once
	KeyShare   float64 // share kinds: the share the dashboard switches on
}

// FaultSpecs are the faults pipesim can inject.
var FaultSpecs = []FaultSpec{
	{LedgerDown, Window, "ledger-down@30m+10m", "the Redis ledger stops answering: Lambda batches fail and retry with backoff, records wait in the stream", true, 0},
	{LambdaDown, Window, "lambda-down@1h+25h", "the event-source mapping stops: records wait in the stream, and expire (lost) past the retention", true, 0},
	{Malformed, Share, "malformed=0.5%", "that share of records is malformed (bad base64, bad JSON, unknown event_name, missing or mistyped field, created_at in the future): dead-lettered", true, 0.005},
	{Poison, Share, "poison=0.01%", "that share of records passes validation but makes the Lambda function throw (a NUL in a text field its code trips on): the batch fails and is retried as lambda.* says; with the defaults its shard blocks until the record expires", true, 0.00001},
	{Late, Share, "late=1%", "that share of events arrives 1-6 hours after it was created (devices that were offline)", true, 0.01},
	{Crash, Moment, "crash@40m", "the process dies at START as if killed with kill -9: nothing is flushed", false, 0},
	{GlueCrash, Moment, "glue-crash@1h", "the first Glue run from START dies half way through publishing its files", false, 0},
}

// Spec is k's declaration.
func (k FaultKind) Spec() (FaultSpec, bool) {
	for _, s := range FaultSpecs {
		if s.Kind == k {
			return s, true
		}
	}
	return FaultSpec{}, false
}

// Usage is the spec's --fault form: "ledger-down@START+DURATION".
func (s FaultSpec) Usage() string {
	switch s.Shape {
	case Window:
		return string(s.Kind) + "@START+DURATION"
	case Share:
		return string(s.Kind) + "=SHARE%"
	}
	return string(s.Kind) + "@START"
}

// ErrCrashed is returned by Run when a crash fault fired: the caller
// should exit at once, without flushing anything, as a killed process would.
var ErrCrashed = errors.New("crashed (fault injected)")

// ParseFault reads one --fault value.
func ParseFault(s string) (Fault, error) {
	bad := func(format string, args ...any) (Fault, error) {
		return Fault{}, fmt.Errorf("fault %q: %s", s, fmt.Sprintf(format, args...))
	}
	name, share, isShare := strings.Cut(s, "=")
	if !isShare {
		name, _, _ = strings.Cut(s, "@")
	}
	spec, known := FaultKind(name).Spec()
	switch {
	case !known && (isShare || strings.Contains(s, "@")):
		return bad("unknown kind %q (%s)", name, faultNames())
	case !known:
		return bad("want KIND@START+DURATION, KIND@START or KIND=SHARE%% (%s)", faultNames())
	case isShare != (spec.Shape == Share), !isShare && !strings.Contains(s, "@"):
		return bad("want %s, such as %s", spec.Usage(), spec.Example)
	}
	f := Fault{Kind: spec.Kind}
	if isShare {
		p, err := strconv.ParseFloat(strings.TrimSuffix(share, "%"), 64)
		if err != nil || !strings.HasSuffix(share, "%") || !(p > 0 && p <= 100) { // NaN is neither
			return bad("want a share such as 0.5%%, between 0 and 100%%")
		}
		f.Share = p / 100
		return f, nil
	}
	_, when, _ := strings.Cut(s, "@")
	start, length, window := strings.Cut(when, "+")
	var err error
	if f.At, err = time.ParseDuration(start); err != nil || f.At < 0 || f.At > config.MaxSimulated {
		return bad("start %q: want a simulated time from the run's start, such as 30m, at most %s", start, config.ShortDuration(config.MaxSimulated))
	}
	switch {
	case spec.Shape == Window && !window:
		return bad("%s needs a duration: %s@%s+10m", name, name, start)
	case spec.Shape == Window:
		if f.For, err = time.ParseDuration(length); err != nil || f.For <= 0 || f.For > config.MaxSimulated {
			return bad("duration %q: want a simulated time > 0, such as 10m, at most %s", length, config.ShortDuration(config.MaxSimulated))
		}
	case window:
		return bad("%s happens at a moment: %s@%s", name, name, start)
	}
	return f, nil
}

func faultNames() string {
	names := make([]string, len(FaultSpecs))
	for i, k := range FaultSpecs {
		names[i] = string(k.Kind)
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
