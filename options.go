package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"pipesim/sim"
	"pipesim/sim/config"
)

// builtinConfig is config.yml as it was built: the defaults of every
// setting and the catalogue, so that pipesim runs from any folder.
//
//go:embed config.yml
var builtinConfig []byte

// common are the flags every command shares.
type common struct {
	config, scenario, rate, start, out, redis string
	seed                                      uint64
	hasSeed                                   bool
	sets                                      []string // --set and --shards, in the order given
}

func commonFlags(fs *flag.FlagSet, c *common) {
	fs.StringVar(&c.config, "config", "", "a config file over the built-in settings and catalogue; it needs only the keys it changes (default: ./config.yml if there is one)")
	fs.Func("set", "set one config key, as KEY=VALUE (--set glue.dedupe=batch); repeatable, applied in order after --config", func(s string) error {
		c.sets = append(c.sets, s)
		return nil
	})
	fs.Func("shards", "Kinesis shards to start with: --set kinesis.shards=N (default: the scenario's)", func(s string) error {
		c.sets = append(c.sets, "kinesis.shards="+s)
		return nil
	})
	fs.StringVar(&c.scenario, "scenario", "", "volume from config.yml: 1k, 1M or 1B events per hour (default: config.yml's scenario)")
	fs.StringVar(&c.rate, "rate", "", "events per hour, overriding the scenario's: 500k, 1M, 2.5M/h")
	fs.Func("seed", "seed of every random choice; the same seed gives the same files (default: config.yml's seed)", func(s string) error {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("want a whole number ≥ 0, got %q", s)
		}
		c.seed, c.hasSeed = v, true
		return nil
	})
	fs.StringVar(&c.start, "start", "", "simulated start, RFC 3339, e.g. 2026-11-25T00:00:00Z (default: config.yml's start)")
	fs.StringVar(&c.out, "out", "output", "output folder: datalake/ and cloudwatch_reports/ go here")
	fs.StringVar(&c.redis, "redis", "", "redis:// URL of an external Redis for the dedupe ledger (default: embedded miniredis)")
}

// localConfig is the config file used when --config is not given and
// there is one in the current folder.
const localConfig = "config.yml"

// loadConfig layers the config: built in, then the --config file (or
// ./config.yml), then each --set.
func (c *common) loadConfig() (*config.Config, error) {
	cfg, err := config.Parse(config.Builtin, builtinConfig)
	if err != nil {
		return nil, fmt.Errorf("the built-in config is broken: %w", err)
	}
	path := c.config
	if path == "" {
		if _, err := os.Stat(localConfig); err == nil {
			path = localConfig
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("read config: %w", err)
		}
	}
	if path != "" {
		if cfg, err = cfg.Load(path); err != nil {
			return nil, err
		}
	}
	for _, s := range c.sets {
		if cfg, err = cfg.Set(s); err != nil {
			return nil, badFlag(err)
		}
	}
	return cfg, nil
}

// options loads the config and turns the shared flags into engine options.
func (c *common) options() (*config.Config, sim.Options, error) {
	cfg, err := c.loadConfig()
	if err != nil {
		return nil, sim.Options{}, err
	}
	sc, err := cfg.LookupScenario(c.scenario)
	if err != nil {
		return nil, sim.Options{}, badFlag(fmt.Errorf("--scenario: %w", err))
	}
	opt := sim.Options{Scenario: sc.Name, Seed: cfg.Seed, Start: cfg.Start, Out: c.out, RedisURL: c.redis}
	if c.hasSeed {
		opt.Seed = c.seed
	}
	if c.rate != "" {
		if opt.RatePerHour, err = config.ParseRate(c.rate); err != nil {
			return nil, opt, badFlag(fmt.Errorf("--rate: %w", err))
		}
	}
	if c.start != "" {
		if opt.Start, err = time.Parse(time.RFC3339, c.start); err != nil {
			return nil, opt, badFlag(fmt.Errorf("--start: want RFC 3339 such as 2026-11-25T00:00:00Z, got %q", c.start))
		}
	}
	return cfg, opt, nil
}

// forceFlag is --force of the commands that replace an earlier run in --out.
func forceFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("force", false, "replace an earlier run in --out even if it crashed before compacting its staging (files pipesim did not write are never removed)")
}

// faultsFlag collects repeated --fault values.
type faultsFlag []sim.Fault

func (f *faultsFlag) String() string { return "" }

func (f *faultsFlag) Set(v string) error {
	fault, err := sim.ParseFault(v)
	if err != nil {
		return err
	}
	*f = append(*f, fault)
	return nil
}

func faultFlag(fs *flag.FlagSet, f *faultsFlag) {
	var b strings.Builder
	b.WriteString("inject a fault; repeatable. START and DURATION are simulated time from the run's start:")
	for _, k := range sim.FaultSpecs {
		fmt.Fprintf(&b, "\n%s: %s", k.Usage(), k.Help)
	}
	fs.Var(f, "fault", b.String())
}

// speedFlag is "max" or a factor of simulated seconds per wall second.
type speedFlag struct{ v float64 }

func (s *speedFlag) String() string {
	if s.v == 0 {
		return "max"
	}
	return strconv.FormatFloat(s.v, 'g', -1, 64)
}

func (s *speedFlag) Set(v string) error {
	if v == "max" {
		s.v = 0
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= sim.MinSpeedFactor && f <= sim.MaxSpeedFactor) { // NaN is neither
		return fmt.Errorf("want \"max\" or a factor from %g to %g such as 60, got %q", sim.MinSpeedFactor, float64(sim.MaxSpeedFactor), v)
	}
	s.v = f
	return nil
}
