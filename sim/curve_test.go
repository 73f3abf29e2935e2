package sim

import (
	"testing"
	"time"

	"pipesim/sim/config"
	"pipesim/sim/metric"
)

// The curve peaks at its hour at peak_to_mean times the day's mean,
// weekends sit at weekend_level of weekdays, and the week averages the
// scenario's rate exactly.
func TestDailyCurve(t *testing.T) {
	c := newDailyCurve(config.Producer{PeakToMean: 2, PeakHour: 20, WeekendLevel: 1.2})
	monday := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	var week, top int64
	topAt := monday
	for m := range 7 * 24 * 60 {
		at := monday.Add(time.Duration(m) * time.Minute)
		f := c.at(at)
		week += f
		if f > top {
			top, topAt = f, at
		}
	}
	if mean := week / (7 * 24 * 60); mean < curveUnit-2 || mean > curveUnit+2 {
		t.Errorf("the week's mean factor is %d millionths, want a million", mean)
	}
	if topAt.Hour() != 20 || topAt.Minute() != 0 || (topAt.Weekday() != time.Saturday && topAt.Weekday() != time.Sunday) {
		t.Errorf("the busiest minute is %s, want 20:00 on a weekend day", topAt.Format(time.RFC1123))
	}
	var day, peak int64
	for _, f := range c.minute {
		day += f
		peak = max(peak, f)
	}
	if day != 24*60*curveUnit || peak < 199*curveUnit/100 || peak > 201*curveUnit/100 {
		t.Errorf("a day sums to %d, peaks at %d millionths; want a mean of a million and a peak of 2", day, peak)
	}
	if ratio := float64(c.weekend) / float64(c.weekday); ratio < 1.199 || ratio > 1.201 {
		t.Errorf("weekend/weekday %.4f, want 1.2", ratio)
	}
	flat := newDailyCurve(config.Producer{PeakToMean: 1, PeakHour: 20, WeekendLevel: 1})
	if flat.at(monday.Add(3*time.Hour)) != curveUnit || flat.peak() != curveUnit {
		t.Error("peak_to_mean 1 and weekend_level 1 are not flat")
	}
}

// A day of the producer at 24k/h on the curve: the events it makes per
// hour follow it (the evening hour several times the night's), and the
// day holds exactly the scenario's rate times 24.
func TestADayFollowsTheCurve(t *testing.T) {
	cfg := testConfig(t)
	cfg.Producer.PeakToMean, cfg.Producer.PeakHour = 2, 20 // weekend_level stays 1: every day of the week alike
	var c counts
	c.weight = 1
	p := newProducer(cfg.Producer, cfg.Journeys, cfg.Catalog, 61, 24_000, &c)
	start := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC).UnixMicro()
	var perHour [24]int64
	for s := range int64(24 * 3600) {
		before := c.total.Counts[metric.Produced]
		p.tick(start + s*1e6)
		perHour[s/3600] += c.total.Counts[metric.Produced] - before
		p.outbox, p.buffered = p.outbox[:0], tally{} // as if the stream took them all
	}
	var day int64
	lo, hi, hiAt := perHour[0], perHour[0], 0
	for h, n := range perHour {
		day += n
		lo = min(lo, n)
		if n > hi {
			hi, hiAt = n, h
		}
	}
	if day != 24*24_000 || c.total.Counts[metric.ProducerDropped] != 0 {
		t.Errorf("made %d in a day at 24k/h (%d dropped), want %d", day, c.total.Counts[metric.ProducerDropped], 24*24_000)
	}
	if hiAt < 19 || hiAt > 20 || hi < 17*lo/10 {
		t.Errorf("events per hour %v: busiest %d at %d:00, quietest %d; want the busiest about 20:00 and ≥ 1.7× the quietest", perHour, hi, hiAt, lo)
	}
}
