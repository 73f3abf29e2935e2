package sim

import (
	"math"
	"time"
)

// onDemand sizes the stream when kinesis.mode is on_demand: capacity for
// twice the highest write rate it has accepted, reached kinesis.on_demand_scale
// after that peak. Accepted, not offered: what it throttles it never sees
// as throughput, so a sudden burst doubles its capacity a step at a time.
type onDemand struct {
	peak    float64 // the highest accepted write rate of a minute, in shards' worth
	target  int     // shards it is scaling to; 0 when not scaling
	at      int64   // µs: when the target is reached
	history []ScaleStep
}

// ScaleStep is a change of an on-demand stream's capacity.
type ScaleStep struct {
	At     time.Time
	Shards int
}

// OnDemandInfo is an on-demand stream's scaling, for the dashboard.
type OnDemandInfo struct {
	On       bool
	ScalesTo int       // shards it is scaling to; 0 when not scaling
	At       time.Time // when it gets there
	Steps    []ScaleStep
}

// scaleOnDemand takes in the minute's accepted writes and schedules more
// capacity when they set a new peak past half of what the stream has.
func (e *Engine) scaleOnDemand() {
	if e.cfg.Kinesis.Mode != "on_demand" {
		return
	}
	d := &e.onDemand
	if d.target > 0 && e.now >= d.at {
		e.stream.reshard(d.target)
		d.history = append(d.history, ScaleStep{e.simTime(), d.target})
		e.cw.logf(e.simTime(), false, "on-demand stream scaled to %d shards", d.target)
		d.target = 0
	}
	var recs, bytes int64
	for _, sh := range e.stream.open() {
		l, _ := sh.load(1)
		recs += l.records
		bytes += l.bytes
	}
	k := e.cfg.Kinesis
	d.peak = max(d.peak, float64(recs)/float64(k.WriteRecordsPerSecond), float64(bytes)/float64(k.WriteBytesPerSecond))
	want := min(int(math.Ceil(2*d.peak)), k.MaxShards)
	if d.target == 0 && want > len(e.stream.open()) {
		d.target, d.at = want, e.now+k.OnDemandScale.Microseconds()
		e.cw.logf(e.simTime(), false, "on-demand stream: a new write peak of %.1f shards' worth; scaling to %d shards by %s",
			d.peak, want, time.UnixMicro(d.at).UTC().Format("15:04"))
	}
}

func (e *Engine) onDemandInfo() OnDemandInfo {
	d := e.onDemand
	info := OnDemandInfo{On: e.cfg.Kinesis.Mode == "on_demand", ScalesTo: d.target, Steps: d.history}
	if d.target > 0 {
		info.At = time.UnixMicro(d.at).UTC()
	}
	return info
}
