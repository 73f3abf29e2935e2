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
		v := cw.metric(m, a.Metric)
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

// metric reads a named metric of a minute, counts scaled to nominal volume.
func (cw *cloudWatch) metric(m MinuteMetrics, name string) float64 {
	w := float64(m.SampleOneIn)
	switch name {
	case "put":
		return float64(m.Put) * w
	case "put_bytes":
		return float64(m.PutBytes) * w
	case "throttled":
		return float64(m.Throttled) * w
	case "lambda_records":
		return float64(m.LambdaRecords) * w
	case "invocations":
		return float64(m.Invocations) // already nominal
	case "duplicates_injected":
		return float64(m.DuplicatesInjected) * w
	case "duplicates_ledger":
		return float64(m.DuplicatesLedger) * w
	case "duplicates_glue":
		return float64(m.DuplicatesGlue) * w
	case "dead_lettered":
		return float64(m.DeadLettered) * w
	case "iterator_age_seconds":
		return m.IteratorAgeMax.Seconds()
	case "duplicate_rate":
		if m.LambdaRecords == 0 {
			return 0
		}
		return float64(m.DuplicatesLedger) / float64(m.LambdaRecords)
	}
	return 0
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
