package sim

import (
	"context"
	"strconv"
	"sync"

	"pipesim/sim/config"
)

// Session is the dashboard's run: an engine that CmdRestart replaces with
// a fresh one from the start, in the same output folder (the run before
// it flushed and ended, so its files are replaced), with the settings in
// force: the switches, scenario, rate, shards and speed, the same seed,
// no fault switched on from the keyboard. Snapshot and Send may be called
// from any goroutine and never block; commands are numbered across
// restarts, so Snapshot.Applied keeps counting.
type Session struct {
	ctx context.Context

	mu         sync.Mutex
	eng        *Engine
	stop       context.CancelFunc
	ran        chan runEnd
	base       int           // commands the engines before this one took, restarts included
	restarting bool          // an engine is being replaced: commands wait in held
	restarted  chan struct{} // closed when that is done
	held       []Command     // sent while restarting
	err        error         // a restart that failed: the session has stopped

	seen, shown *Snapshot // the engine's last snapshot and the session's copy of it
}

type runEnd struct {
	sum Summary
	err error
}

// StartSession starts an engine for cfg and opt on its own goroutine.
func StartSession(ctx context.Context, cfg *config.Config, opt Options) (*Session, error) {
	e, err := New(ctx, cfg, opt)
	if err != nil {
		return nil, err
	}
	s := &Session{ctx: ctx}
	s.run(e)
	return s, nil
}

// run starts e; s.mu is held or s is not shared yet.
func (s *Session) run(e *Engine) {
	ctx, stop := context.WithCancel(s.ctx)
	ran := make(chan runEnd, 1)
	s.eng, s.stop, s.ran = e, stop, ran
	go func() {
		sum, err := e.Run(ctx)
		ran <- runEnd{sum, err}
	}()
}

// Snapshot is the engine's latest, its Applied counted over the session;
// while an engine is being replaced, the last one's, saying so.
func (s *Session) Snapshot() *Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := s.eng.Snapshot()
	if snap == nil || (s.base == 0 && !s.restarting && s.err == nil) {
		return snap
	}
	if snap != s.seen || s.shown.Restarting != s.restarting || (s.err != nil && s.shown.Err == nil) {
		c := *snap
		c.Applied += s.base
		c.Restarting = s.restarting
		if s.err != nil {
			c.Err = s.err
		}
		s.seen, s.shown = snap, &c
	}
	return s.shown
}

// Send hands c to the engine; CmdRestart starts a fresh one.
func (s *Session) Send(c Command) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.restarting:
		s.held = append(s.held, c)
	case c.Kind == CmdRestart:
		s.restarting, s.restarted = true, make(chan struct{})
		go s.restart()
	default:
		s.eng.Send(c)
	}
}

func (s *Session) restart() {
	s.mu.Lock()
	old, stop, ran := s.eng, s.stop, s.ran
	s.mu.Unlock()
	stop()
	<-ran // flushed, its final report written, its folder marked ended
	cfg, opt, err := old.restartSettings()
	old.Close()
	var e *Engine
	if err == nil {
		e, err = New(s.ctx, cfg, opt)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.restarting = false
	defer close(s.restarted)
	if err != nil {
		s.err = err
		return
	}
	// the restart counts as applied, and so do the commands the old
	// engine had not taken when it stopped: they were for that run
	s.base += old.Snapshot().Applied + old.pending() + 1
	s.run(e)
	for _, c := range s.held {
		e.Send(c)
	}
	s.held = nil
}

// Stop ends the engine in force (it flushes and writes its final report)
// and returns its summary.
func (s *Session) Stop() (Summary, error) {
	s.mu.Lock()
	if s.restarting { // let the restart finish, so that one engine is left to stop
		restarted := s.restarted
		s.mu.Unlock()
		<-restarted
		s.mu.Lock()
	}
	stop, ran, e, err := s.stop, s.ran, s.eng, s.err
	s.mu.Unlock()
	if err != nil {
		return Summary{}, err // the restart failed after the engine before it had stopped
	}
	stop()
	end := <-ran
	e.Close()
	return end.sum, end.err
}

// restartSettings are the config and options of a run like this one from
// its start: what the switches, keys and flags have set, faults from the
// keyboard off.
func (e *Engine) restartSettings() (*config.Config, Options, error) {
	cfg, opt := e.cfg, e.opt
	opt.Scenario, opt.RatePerHour, opt.Speed, opt.PauseAt = e.scenario, e.rate, e.speed, 0
	sc, err := resolveScenario(cfg, opt)
	if err != nil {
		return nil, opt, err
	}
	if n := len(e.stream.open()); cfg.Kinesis.Mode != "on_demand" && n != sc.Shards {
		if cfg, err = cfg.Set("kinesis.shards=" + strconv.Itoa(n)); err != nil {
			return nil, opt, err
		}
	}
	return cfg, opt, nil
}

// pending is how many commands were sent and not taken.
func (e *Engine) pending() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.commands)
}
