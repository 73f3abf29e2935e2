package sim

import (
	"context"
	"time"
)

// pacer holds simulated time to a speed against the wall clock. When the
// machine falls behind it lets go of the debt instead of racing to catch
// up, so the achieved speed drops and says so.
type pacer struct {
	speed    float64 // simulated seconds per wall second; 0 unpaced
	base     time.Time
	simSteps int64

	windowStart time.Time
	windowSteps int64
	achieved    float64
}

func (p *pacer) reset(speed float64) {
	p.speed = speed
	p.base = time.Now()
	p.simSteps = 0
	p.windowStart, p.windowSteps = p.base, 0
}

// wait is called after each simulated second; it sleeps until that second
// is due, waking early when a command arrives.
func (p *pacer) wait(ctx context.Context, wake <-chan struct{}) {
	p.simSteps++
	p.windowSteps++
	now := time.Now()
	if el := now.Sub(p.windowStart); el >= time.Second {
		p.achieved = float64(p.windowSteps) / el.Seconds()
		p.windowStart, p.windowSteps = now, 0
	}
	if p.speed <= 0 {
		return
	}
	due := p.base.Add(time.Duration(float64(p.simSteps) / p.speed * float64(time.Second)))
	if lag := now.Sub(due); lag > time.Second {
		p.base = p.base.Add(lag) // fall behind gracefully
		return
	}
	if d := due.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		case <-wake: // a command is waiting; the next wait makes up the time
		}
	}
}
