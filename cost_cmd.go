package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"pipesim/sim"
	"pipesim/sim/config"
	"pipesim/sim/metric"
)

// designs are the what-ifs pipesim cost sets side by side: the config as
// given, and each of the design choices that change what is billed.
var designs = []struct{ name, set string }{
	{"as configured", ""},
	{"Firehose", "pipeline.mode=firehose"},
	{"on-demand Kinesis", "kinesis.mode=on_demand"},
	{"Lambda compaction", "glue.engine=lambda"},
}

// costSample is the most events an hour pipesim cost materialises: its
// figures are nominal, and a sample this size keeps them within a few
// percent while every design runs in a second or so (at 1B/h, creating a
// staging file per shard and minute is most of it).
const costSample = "2k"

func costCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("cost", "pipesim cost: the bill of one average simulated hour, in each design side by side (a sampled engine run per design; no files kept)", stdout, stderr)
	var c common
	commonFlags(fs, &c)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, opt, err := c.options()
	if err != nil {
		return err
	}
	origin := cfg.Origin()
	// an average hour: the scenario's rate, no daily curve, a sample
	cfg, err = setAll(cfg, "producer.peak_to_mean=1", "producer.weekend_level=1", "scale.max_events_per_hour="+costSample)
	if err != nil {
		return err
	}
	sc, err := cfg.LookupScenario(opt.Scenario)
	if err != nil {
		return err
	}
	rate, shards := sc.RatePerHour, sc.Shards
	if opt.RatePerHour > 0 {
		rate = opt.RatePerHour
	}
	if cfg.Kinesis.Shards > 0 {
		shards = cfg.Kinesis.Shards
	}
	opt.Duration, opt.PauseAt = 0, time.Hour // the hour itself: not the drain after it

	bills := make([]sim.Cost, len(designs))
	timeouts := make([]int64, len(designs))
	errs := make([]error, len(designs))
	var wg sync.WaitGroup
	for i, d := range designs {
		wg.Go(func() {
			bills[i], timeouts[i], errs[i] = costOf(ctx, cfg, opt, d.set, shards)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("%s: %w", designs[i].name, err)
		}
	}

	onShards := strconv.Itoa(shards) + " shards"
	if shards == 1 {
		onShards = "1 shard"
	}
	fmt.Fprintf(stdout, "one average hour at %s (%s events/s) on %s, %s list prices of %s (%s)\n\n",
		metric.Rate(rate), metric.Scaled(float64(rate)/3600), onShards, cfg.Prices.Region, cfg.Prices.AsOf, origin)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t") }
	head := []string{"USD"}
	for _, d := range designs {
		head = append(head, d.name)
	}
	row(head...)
	for _, s := range sim.Stages() {
		cells := []string{s.Key()}
		for _, b := range bills {
			cells = append(cells, metric.USD(b.USD[s]))
		}
		row(cells...)
	}
	hour, month := []string{"an hour"}, []string{"a month (730 h)"}
	for _, b := range bills {
		hour = append(hour, metric.USD(b.USD.Total()))
		month = append(month, metric.USD(b.USD.Total()*sim.HoursPerMonth))
	}
	row(hour...)
	row(month...)
	if err := tw.Flush(); err != nil {
		return err
	}
	big := bills[0].USD.Biggest()
	fmt.Fprintf(stdout, "\nas configured, %s is %s of the bill; s3_storage is the hour's files for the hour (a lake that keeps them grows every hour)\n",
		big.Key(), pctOf(bills[0].USD[big], bills[0].USD.Total()))
	for i, n := range timeouts {
		if n > 0 {
			fmt.Fprintf(stdout, "%s: the compaction Lambda timed out at 15 minutes and published nothing: at this rate it cannot keep up, whatever it costs\n", designs[i].name)
		}
	}
	return nil
}

// costOf runs one design for the hour, sampled, in a folder it removes,
// and returns its bill at the end of the hour (the engine pauses there).
// An on-demand stream starts at the shards the provisioned one has, as if
// it had already scaled to the rate.
func costOf(ctx context.Context, cfg *config.Config, opt sim.Options, set string, shards int) (cost sim.Cost, timeouts int64, err error) {
	sets := []string{}
	if set != "" {
		sets = append(sets, set)
	}
	if set == "kinesis.mode=on_demand" || cfg.Kinesis.Mode == "on_demand" {
		sets = append(sets, "kinesis.on_demand_shards="+strconv.Itoa(shards))
	}
	if cfg, err = setAll(cfg, sets...); err != nil {
		return cost, 0, err
	}
	dir, err := os.MkdirTemp("", "pipesim-cost-")
	if err != nil {
		return cost, 0, err
	}
	defer os.RemoveAll(dir)
	opt.Out = dir
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	eng, err := sim.New(ctx, cfg, opt)
	if err != nil {
		return cost, 0, err
	}
	defer eng.Close()
	ran := make(chan error, 1)
	go func() {
		_, err := eng.Run(ctx)
		ran <- err
	}()
	for {
		select {
		case err := <-ran:
			return cost, 0, fmt.Errorf("the run ended before its hour: %w", err)
		case <-time.After(20 * time.Millisecond): // watching, not deciding: the engine pauses itself at the hour
		}
		if s := eng.Snapshot(); s.Paused {
			cancel()
			<-ran
			return s.Cost, s.Totals.Counts[metric.CompactionTimeouts], nil
		}
	}
}

func setAll(cfg *config.Config, sets ...string) (*config.Config, error) {
	for _, s := range sets {
		var err error
		if cfg, err = cfg.Set(s); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

func pctOf(part, whole float64) string {
	if whole == 0 {
		return "0%"
	}
	return strconv.Itoa(int(part/whole*100+0.5)) + "%"
}
