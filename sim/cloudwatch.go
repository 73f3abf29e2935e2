package sim

import (
	"fmt"
	"time"
)

// cloudWatch keeps metrics per simulated minute, evaluates alarms at each
// minute's end, and keeps a short log of what happened.
type cloudWatch struct {
	cfg     CloudWatchConfig
	cur     MinuteMetrics
	minutes []MinuteMetrics
	alarms  []AlarmState
	streaks []int
	log     []LogLine
}

func newCloudWatch(cfg CloudWatchConfig, weight int64, start time.Time) *cloudWatch {
	cw := &cloudWatch{cfg: cfg, cur: MinuteMetrics{Minute: start.Truncate(time.Minute), SampleOneIn: weight}}
	for _, a := range cfg.Alarms {
		cw.alarms = append(cw.alarms, AlarmState{Name: a.Name, Metric: a.Metric, Threshold: a.Threshold})
	}
	cw.streaks = make([]int, len(cfg.Alarms))
	return cw
}

// closeMinute files the current minute and starts the one at next.
func (cw *cloudWatch) closeMinute(next time.Time) {
	m := cw.cur
	if len(cw.minutes) == MinutesKept {
		copy(cw.minutes, cw.minutes[1:])
		cw.minutes = cw.minutes[:MinutesKept-1]
	}
	cw.minutes = append(cw.minutes, m)
	for i, a := range cw.cfg.Alarms {
		v := alarmMetrics[a.Metric](m)
		st := &cw.alarms[i]
		st.Value = v
		if compare(v, a.Comparison, a.Threshold) {
			cw.streaks[i]++
		} else {
			cw.streaks[i] = 0
		}
		firing := cw.streaks[i] >= a.Minutes
		if firing != st.Firing {
			st.Firing = firing
			st.Since = next
			if firing {
				cw.logf(next, true, "ALARM %s: %s %s %g (%s)", a.Name, a.Metric, a.Comparison, a.Threshold, formatMetric(a.Metric, v))
			} else {
				cw.logf(next, false, "OK %s: %s back to %s", a.Name, a.Metric, formatMetric(a.Metric, v))
			}
		}
	}
	cw.cur = MinuteMetrics{Minute: next, SampleOneIn: m.SampleOneIn}
}

// alarmMetrics are the metrics an alarm may watch (config.yml checks
// against these names), read from a minute at the nominal volume.
var alarmMetrics = map[string]func(MinuteMetrics) float64{
	"put":                 nominal(func(m MinuteMetrics) int64 { return m.Put }),
	"put_bytes":           nominal(func(m MinuteMetrics) int64 { return m.PutBytes }),
	"throttled":           nominal(func(m MinuteMetrics) int64 { return m.Throttled }),
	"lambda_records":      nominal(func(m MinuteMetrics) int64 { return m.LambdaRecords }),
	"duplicates_injected": nominal(func(m MinuteMetrics) int64 { return m.DuplicatesInjected }),
	"duplicates_ledger":   nominal(func(m MinuteMetrics) int64 { return m.DuplicatesLedger }),
	"duplicates_glue":     nominal(func(m MinuteMetrics) int64 { return m.DuplicatesGlue }),
	"dead_lettered":       nominal(func(m MinuteMetrics) int64 { return m.DeadLettered }),
	"invocations":         func(m MinuteMetrics) float64 { return float64(m.Invocations) }, // already nominal
	"iterator_age_seconds": func(m MinuteMetrics) float64 {
		return m.IteratorAgeMax.Seconds()
	},
	"duplicate_rate": func(m MinuteMetrics) float64 {
		if m.LambdaRecords == 0 {
			return 0
		}
		return float64(m.DuplicatesLedger) / float64(m.LambdaRecords)
	},
}

// nominal reads a materialised count and scales it by the minute's ratio.
func nominal(count func(MinuteMetrics) int64) func(MinuteMetrics) float64 {
	return func(m MinuteMetrics) float64 { return float64(count(m) * max(1, m.SampleOneIn)) }
}

func formatMetric(name string, v float64) string {
	switch name {
	case "duplicate_rate":
		return fmt.Sprintf("%.2f%%", v*100)
	case "iterator_age_seconds":
		return fmt.Sprintf("%.0fs", v)
	}
	return fmt.Sprintf("%.0f", v)
}

func compare(v float64, op string, t float64) bool {
	switch op {
	case ">":
		return v > t
	case ">=":
		return v >= t
	case "<":
		return v < t
	case "<=":
		return v <= t
	}
	return false
}

func (cw *cloudWatch) logf(at time.Time, warn bool, format string, args ...any) {
	if len(cw.log) == LogKept {
		copy(cw.log, cw.log[1:])
		cw.log = cw.log[:LogKept-1]
	}
	cw.log = append(cw.log, LogLine{At: at, Text: fmt.Sprintf(format, args...), Warn: warn})
}

func (cw *cloudWatch) firing() int {
	n := 0
	for _, a := range cw.alarms {
		if a.Firing {
			n++
		}
	}
	return n
}
