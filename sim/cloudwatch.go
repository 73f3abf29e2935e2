package sim

import (
	"fmt"
	"pipesim/sim/config"
	"pipesim/sim/metric"
	"time"
)

// cloudWatch keeps metrics per simulated minute, evaluates alarms at each
// minute's end, and keeps a short log of what happened. The minute's counts
// are the engine's (counts.minute); cloudWatch files them as it closes.
type cloudWatch struct {
	cfg     config.CloudWatch
	start   time.Time     // of the current minute
	age     time.Duration // the current minute's highest iterator age
	minutes []metric.Minute
	alarms  []AlarmState
	streaks []int
	log     []LogLine
}

func newCloudWatch(cfg config.CloudWatch, start time.Time) *cloudWatch {
	cw := &cloudWatch{cfg: cfg, start: start.Truncate(time.Minute)}
	for _, a := range cfg.Alarms {
		cw.alarms = append(cw.alarms, AlarmState{Name: a.Name, Metric: a.Metric, Threshold: a.Threshold})
	}
	cw.streaks = make([]int, len(cfg.Alarms))
	return cw
}

func (cw *cloudWatch) iteratorAge(age time.Duration) { cw.age = max(cw.age, age) }

// current is the minute in progress, with its counts so far.
func (cw *cloudWatch) current(t metric.Tally, weight int64) metric.Minute {
	return metric.Minute{Start: cw.start, SampleOneIn: weight, Tally: t, IteratorAgeMax: cw.age}
}

// closeMinute files the current minute, with its counts t, and starts the
// one at next.
func (cw *cloudWatch) closeMinute(t metric.Tally, weight int64, next time.Time) {
	m := cw.current(t, weight)
	if len(cw.minutes) == MinutesKept {
		copy(cw.minutes, cw.minutes[1:])
		cw.minutes = cw.minutes[:MinutesKept-1]
	}
	cw.minutes = append(cw.minutes, m)
	for i, a := range cw.cfg.Alarms {
		v := m.AlarmValue(a.Metric)
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
				cw.logf(next, true, "ALARM %s: %s %s %g (%s)", a.Name, a.Metric, a.Comparison, a.Threshold, metric.FormatAlarmValue(a.Metric, v))
			} else {
				cw.logf(next, false, "OK %s: %s back to %s", a.Name, a.Metric, metric.FormatAlarmValue(a.Metric, v))
			}
		}
	}
	cw.start, cw.age = next, 0
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
