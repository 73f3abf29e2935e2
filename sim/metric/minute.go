package metric

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Minute is one simulated minute of CloudWatch metrics.
type Minute struct {
	Start          time.Time
	SampleOneIn    int64 // the sampling ratio in force at the minute's end
	Tally                // what happened in the minute
	IteratorAgeMax time.Duration
}

// Alarm metrics are what a CloudWatch alarm in config.yml may watch, read
// from a minute at the nominal volume.
var alarmMetrics = map[string]func(*Minute) float64{
	"put":                  nominal(Sent),
	"put_bytes":            nominal(SentBytes),
	"throttled":            nominal(Throttled),
	"lambda_records":       nominal(LambdaRecords),
	"invocations":          nominal(LambdaInvocations),
	"duplicates_injected":  nominal(DuplicatesInjected),
	"duplicates_ledger":    nominal(DuplicatesDroppedLambda),
	"duplicates_glue":      nominal(DuplicatesDroppedGlue),
	"dead_lettered":        nominal(DeadLettered),
	"iterator_age_seconds": func(m *Minute) float64 { return m.IteratorAgeMax.Seconds() },
	"duplicate_rate": func(m *Minute) float64 {
		if m.Nominal[LambdaRecords] == 0 {
			return 0
		}
		return float64(m.Nominal[DuplicatesDroppedLambda]) / float64(m.Nominal[LambdaRecords])
	},
}

func nominal(c Counter) func(*Minute) float64 {
	return func(m *Minute) float64 { return float64(m.Nominal[c]) }
}

// AlarmMetrics lists the names an alarm may watch, sorted.
func AlarmMetrics() []string { return slices.Sorted(maps.Keys(alarmMetrics)) }

// IsAlarmMetric reports whether name is one of AlarmMetrics.
func IsAlarmMetric(name string) bool { return alarmMetrics[name] != nil }

// AlarmValue reads the named alarm metric of the minute; it is 0 for an
// unknown name (config.yml's loader rejects those).
func (m *Minute) AlarmValue(name string) float64 {
	if f := alarmMetrics[name]; f != nil {
		return f(m)
	}
	return 0
}

// FormatAlarmValue writes a metric's value as a person reads it.
func FormatAlarmValue(name string, v float64) string {
	switch name {
	case "duplicate_rate":
		return fmt.Sprintf("%.2f%%", v*100)
	case "iterator_age_seconds":
		return fmt.Sprintf("%.0fs", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// Sampled reports whether the minute's events were sampled.
func (m *Minute) Sampled() bool { return m.SampleOneIn > 1 || m.Tally.Sampled() }
