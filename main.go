// pipesim runs a whole event-streaming pipeline on a simulated clock:
// a terminal dashboard to watch and steer it, and headless commands for
// scripts and CI.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"

	"pipesim/sim"
	"pipesim/sim/config"
	"pipesim/sim/metric"
	"pipesim/ui"
)

const usage = `pipesim: an event-streaming pipeline on a simulated clock

  pipesim [flags]            the live dashboard
  pipesim tour [flags]       the dashboard walking through a workshop's story, stop by stop
  pipesim run [flags]        a headless run: files in --out, a summary on stdout
  pipesim sample [flags]     sample events and a Kinesis→Lambda payload
  pipesim compact [flags]    the Glue job alone over what is staged in --out
  pipesim bench [flags]      the full-fidelity throughput benchmark
  pipesim cost [flags]       the bill of an hour, in each design side by side

Run 'pipesim COMMAND --help' for a command's flags.
`

// memoryLimit is the heap pipesim aims to stay under unless GOMEMLIMIT
// says otherwise: the live data of a 1M/h run (ledger window, Glue's
// lookback and open row groups) is ~0.5 GB, ~0.75 GB at the daily
// curve's 2M/h evening peak, and without a limit the collector lets the
// heap grow to twice that. At 768 MiB the peak's live data sat at the
// limit and the collector ran without pause (a 24 h bench: 79k events/s,
// 919 MB resident); at 896 MiB, 105k events/s and 958 MB, under 1 GiB.
const memoryLimit = 896 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks a bad command line; its message has been printed.
var errUsage = errors.New("usage")

// usageError is a bad command line whose message is still to print: a
// flag's value that parsed but is out of range, or names nothing known.
type usageError struct{ error }

func badFlag(err error) error { return usageError{err} }

func run(args []string, stdout, stderr io.Writer) int {
	cmd, rest := "", args
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, rest = args[0], args[1:]
	}
	// closing the terminal (SIGHUP) ends a run as SIGTERM does: flushed,
	// and the folder left finished for the next start
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	var err error
	switch cmd {
	case "":
		err = dashboardCmd(ctx, rest, stdout, stderr, false)
	case "tour":
		err = dashboardCmd(ctx, rest, stdout, stderr, true)
	case "run":
		err = runCmd(ctx, rest, stdout, stderr)
	case "sample":
		err = sampleCmd(rest, stdout, stderr)
	case "compact":
		err = compactCmd(rest, stdout, stderr)
	case "bench":
		err = benchCmd(ctx, rest, stdout, stderr)
	case "cost":
		err = costCmd(ctx, rest, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "pipesim: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "pipesim: %v\n", err)
		return 2
	case errors.Is(err, sim.ErrCrashed):
		fmt.Fprintln(stderr, "pipesim: crashed (fault injected); 'pipesim compact --out DIR' finishes the job")
		return 137 // the status of a process killed with SIGKILL
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "pipesim: interrupted; what was staged is flushed and a final report written")
		return 130
	}
	fmt.Fprintf(stderr, "pipesim: %v\n", err)
	return 1
}

// The flag package's messages, as a person would put them.
var (
	badValue  = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for flag -(\S+): (.*)$`)
	notAFlag  = regexp.MustCompile(`^flag provided but not defined: -(\S+)$`)
	wantValue = regexp.MustCompile(`^flag needs an argument: -(\S+)$`)
)

func flagProblem(cmd string, err error) string {
	msg := err.Error()
	if m := badValue.FindStringSubmatch(msg); m != nil {
		return "--" + m[2] + ": " + m[3]
	}
	if m := notAFlag.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("--%s is not a flag of pipesim %s ('pipesim %s --help' lists them)", m[1], cmd, cmd)
	}
	if m := wantValue.FindStringSubmatch(msg); m != nil {
		return "--" + m[1] + " needs a value"
	}
	return msg
}

// newFlagSet makes a command's flags: --help goes to stdout (it was
// asked for: 'pipesim run --help | less'), mistakes to stderr.
func newFlagSet(name, synopsis string, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "%s\n\nFlags:\n", synopsis)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(stderr)
	}
	return fs
}

// durationFlag is a simulated time such as 90m or 1h30m.
type durationFlag struct{ d *time.Duration }

func (f durationFlag) String() string {
	if f.d == nil {
		return "0s"
	}
	return f.d.String()
}

func (f durationFlag) Set(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("want a duration such as 90m, 2h or 1h30m, got %q", v)
	}
	*f.d = d
	return nil
}

func durationVar(fs *flag.FlagSet, name string, value time.Duration, help string) *time.Duration {
	d := &value
	fs.Var(durationFlag{d}, name, help)
	return d
}

// parse parses the flags and refuses stray arguments. A bad flag is one
// line naming the flag, the value and what it wants, not the usage text.
func parse(fs *flag.FlagSet, args []string) error {
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.Usage = usage
	fs.SetOutput(out)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return err
		}
		fmt.Fprintf(out, "pipesim: %s\n", flagProblem(fs.Name(), err))
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "pipesim %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", "pipesim run: the whole pipeline headless; progress on stderr, the summary on stdout", stdout, stderr)
	var c common
	commonFlags(fs, &c)
	duration := durationVar(fs, "duration", time.Hour, "simulated time to produce events for; the run then drains")
	speed := &speedFlag{}
	fs.Var(speed, "speed", "simulated seconds per wall second, or max (default max)")
	asJSON := fs.Bool("json", false, "print the summary as one JSON object")
	sample := fs.Int64("sample", 0, "materialise 1 event in N (default: chosen from scale.max_events_per_hour)")
	var faults faultsFlag
	faultFlag(fs, &faults)
	force := forceFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := config.CheckSimulated("--duration", *duration); err != nil {
		return badFlag(err)
	}
	if *sample < 0 || *sample > sim.MaxSampleOneIn {
		return badFlag(fmt.Errorf("--sample: want N from 1 to %d, got %d", int64(sim.MaxSampleOneIn), *sample))
	}
	cfg, opt, err := c.options()
	if err != nil {
		return err
	}
	opt.Duration, opt.Speed, opt.SampleOneIn, opt.Faults, opt.Force = *duration, speed.v, *sample, faults, *force
	sum, err := headless(ctx, cfg, opt, stderr)
	if errors.Is(err, sim.ErrCrashed) {
		// as kill -9 would leave it: no summary, and nothing flushed (the
		// engine skipped its flush; headless only stopped the Glue
		// goroutine and the embedded Redis)
		return err
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if werr := enc.Encode(sum); werr != nil {
			return werr
		}
	} else {
		writeSummary(stdout, sum)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err == nil {
		err = sum.UnaskedLoss()
	}
	return err
}

// headless runs an engine to the end, with progress on stderr: a bar on
// a terminal, a plain line every few seconds otherwise.
func headless(ctx context.Context, cfg *config.Config, opt sim.Options, stderr io.Writer) (sim.Summary, error) {
	eng, err := sim.New(ctx, cfg, opt)
	if err != nil {
		return sim.Summary{}, err
	}
	defer eng.Close()
	tty := false
	if f, ok := stderr.(*os.File); ok {
		tty = term.IsTerminal(f.Fd())
	}
	every := 5 * time.Second
	if tty {
		every = 200 * time.Millisecond
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				writeProgress(stderr, eng.Snapshot(), opt.Duration, tty)
			}
		}
	}()
	sum, err := eng.Run(ctx)
	close(done)
	writeProgress(stderr, eng.Snapshot(), opt.Duration, tty)
	if tty {
		fmt.Fprintln(stderr)
	}
	return sum, err
}

// dashboardCmd runs the dashboard until q; tour walks it through ui.Tour.
func dashboardCmd(ctx context.Context, args []string, stdout, stderr io.Writer, tour bool) error {
	fs := newFlagSet("pipesim", usage+"\nThe dashboard runs until you press q.", stdout, stderr)
	if tour {
		fs = newFlagSet("tour", "pipesim tour: the dashboard, walked through "+strconv.Itoa(len(ui.Tour))+" stops of a workshop's story (enter: next, p: back, esc: on your own)", stdout, stderr)
	}
	var c common
	commonFlags(fs, &c)
	speed := &speedFlag{v: 60}
	fs.Var(speed, "speed", "simulated seconds per wall second, or max (keys < and > change it)")
	pauseAt := durationVar(fs, "pause-at", 0, "pause when the simulation reaches this simulated time, e.g. 45m: a talk's starting point (space resumes)")
	var faults faultsFlag
	faultFlag(fs, &faults)
	force := forceFlag(fs)
	theme := fs.String("theme", os.Getenv("PIPESIM_THEME"), "colours: "+strings.Join(ui.Themes, ", ")+"; auto follows the terminal's background, high-contrast suits a projector; the v key cycles them (default: $PIPESIM_THEME, else auto)")
	present := fs.Bool("present", false, "start in the presenter's view: six figures, big, and the last key's effect (the z key switches)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *theme != "" && !slices.Contains(ui.Themes, *theme) {
		return badFlag(fmt.Errorf("--theme (or PIPESIM_THEME): %q is not a theme; use %s", *theme, strings.Join(ui.Themes, ", ")))
	}
	if *pauseAt != 0 {
		if err := config.CheckSimulated("--pause-at", *pauseAt); err != nil {
			return badFlag(err)
		}
	}
	cfg, opt, err := c.options()
	if err != nil {
		return err
	}
	opt.Speed, opt.Faults, opt.Force, opt.PauseAt = speed.v, faults, *force, *pauseAt
	if !term.IsTerminal(os.Stdin.Fd()) || !term.IsTerminal(os.Stdout.Fd()) {
		return errors.New("the dashboard needs a terminal; for scripts and CI use 'pipesim run' (see 'pipesim run --help')")
	}
	session, err := sim.StartSession(ctx, cfg, opt)
	if err != nil {
		return err
	}
	uiErr := ui.Run(ctx, session, ui.Options{NoColor: os.Getenv("NO_COLOR") != "", Theme: *theme, Present: *present, Tour: tour})
	sum, err := session.Stop() // the engine flushes staging and writes its final report
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if sum.Report != "" {
		fmt.Fprintf(stderr, "pipesim: the lake is in %s, the final report %s\n", filepath.Join(opt.Out, "datalake"), sum.Report)
	}
	return uiErr
}

func sampleCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sample", "pipesim sample: write sample events and the Kinesis→Lambda payload that carries them", stdout, stderr)
	var c common
	commonFlags(fs, &c)
	n := fs.Int("n", 500, "number of events")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *n < 1 {
		return badFlag(fmt.Errorf("-n: want at least 1 event, got %d", *n))
	}
	cfg, opt, err := c.options()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	evPath, plPath := filepath.Join(c.out, "sample_events.json"), filepath.Join(c.out, "kinesis_payload.json")
	ev, err := os.Create(evPath)
	if err != nil {
		return err
	}
	defer ev.Close()
	pl, err := os.Create(plPath)
	if err != nil {
		return err
	}
	defer pl.Close()
	batch, shard, err := sim.WriteSample(cfg, opt, *n, ev, pl)
	if err != nil {
		return err
	}
	if err := ev.Close(); err != nil {
		return err
	}
	if err := pl.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d events: %s\nKinesis→Lambda payload, one invocation of %s from %s: %s\n", *n, evPath, metric.Plural(batch, "record"), shard, plPath)
	return nil
}

func compactCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compact", "pipesim compact: run the Glue job over what is staged in --out (past the watermark)", stdout, stderr)
	var c common
	commonFlags(fs, &c)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, _, err := c.options()
	if err != nil {
		return err
	}
	res, err := sim.Compact(cfg, c.out)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, res)
	return nil
}

func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", "pipesim bench: a full-fidelity (unsampled) run through every stage with the embedded ledger; prints events per wall-second", stdout, stderr)
	var c common
	commonFlags(fs, &c)
	duration := durationVar(fs, "duration", time.Hour, "simulated time")
	profile := fs.String("profile", "", "write the run's CPU and heap profiles to this folder (cpu.pprof, heap.pprof; read them with go tool pprof)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := config.CheckSimulated("--duration", *duration); err != nil {
		return badFlag(err)
	}
	if *profile != "" {
		stop, err := startProfiles(*profile)
		if err != nil {
			return err
		}
		defer func() {
			if err := stop(); err != nil {
				fmt.Fprintf(stderr, "pipesim: %v\n", err)
				return
			}
			fmt.Fprintf(stdout, "profiles: %s, %s\n", filepath.Join(*profile, "cpu.pprof"), filepath.Join(*profile, "heap.pprof"))
		}()
	}
	if c.scenario == "" && c.rate == "" {
		c.scenario = "1M"
	}
	cfg, opt, err := c.options()
	if err != nil {
		return err
	}
	if c.out == "output" {
		dir, err := os.MkdirTemp("", "pipesim-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		opt.Out = dir
	}
	opt.Duration, opt.SampleOneIn = *duration, 1
	sum, err := headless(ctx, cfg, opt, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d records through every stage (%d events, %d duplicates) in %.1f s wall: %.0f events per wall-second\n",
		sum.Counts[metric.Sent], sum.Counts[metric.Produced], sum.Counts[metric.DuplicatesInjected], sum.WallSeconds, sum.EventsPerWallSecond)
	if rss, ok := peakRSS(); ok {
		fmt.Fprintf(stdout, "peak memory: %s resident\n", metric.BytesSI(rss))
	}
	fmt.Fprintf(stdout, "machine: %s, %d cores, GOMAXPROCS %d, %s\n", cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())
	return nil
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for line := range strings.Lines(string(b)) {
		if model, ok := strings.CutPrefix(line, "model name\t: "); ok {
			return strings.TrimSpace(model)
		}
	}
	return runtime.GOARCH
}
