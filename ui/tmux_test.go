package ui

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestBinaryUnderTmux drives the real pipesim binary in an 80×24 tmux
// terminal the way a person would, with the repo's sibling tool
// shared/tools/tui-drive.sh: one key at a time, reading the screen after
// each, then q and a clean exit with the final report written. The model
// tests cannot catch what only a terminal shows (key names as the terminal
// sends them, the alt screen, the exit path through the engine's flush).
//
// It lives in ui because it checks the dashboard; it builds the binary from
// the module root. It waits on what the screen shows, with generous
// timeouts, never on sleeps.
func TestBinaryUnderTmux(t *testing.T) {
	root, bin, tmp, drive := tmuxHarness(t)
	out := filepath.Join(tmp, "out")

	// the exit status goes to a file: tmux forgets a pane's status when its
	// server goes away first, which happened now and then under load
	status, stderr := filepath.Join(tmp, "status"), filepath.Join(tmp, "stderr")
	drive("start", "80", "24", "bash", "-c", fmt.Sprintf("%q --out %q --config %q --speed 600 2> %q; echo $? > %q",
		bin, out, filepath.Join(root, "config.yml"), stderr, status))
	// the header is the only line that starts with the title
	const header = "^ pipesim │ "
	steps := []struct {
		key  string   // tmux key name; "" for none
		want []string // extended regexps the screen must come to match
	}{
		{"", []string{header + "[0-9].*1M/h"}},
		{"c", []string{"Glue run"}},
		{"+", []string{header + ".*2M/h"}},
		{"Space", []string{header + ".*PAUSED"}},
		{"Space", []string{header + ".*▶"}},
		{"3", []string{header + ".*1B/h", "sampled 1:"}},
		// at 1B/h a day's file per language is far past the band
		{"c", []string{"langs .* big"}},
		{"S", []string{"needs [0-9]+ shards.* · has 375"}},
		{"P", []string{header + ".*poison"}},
		{"P", []string{header + ".*1B/h"}}, // off again: the toast comes and goes
		// the design choices: a toast, then a badge in the header
		{"b", []string{"glue.dedupe = batch"}},
		{"o", []string{header + ".*⇄"}},
		{"f", []string{"pipeline.mode = firehose", "┃firehose "}},
		// the lake's layout: said at once, done by the next run
		{"p", []string{"glue.partitioning = hour_event_type"}},
		{"c", []string{"1 hour at 1B/h → per event type"}},
		{"e", []string{"glue.engine = lambda"}},
		{"t", []string{"ledger.ttl = 6h"}},
		{"Tab", []string{"┏━ Duplicates"}},
		{"?", []string{"close help", "next pane", "scenario 1B/h"}},
		{"?", []string{`\? more`}},
		{"w", []string{"last events, newest first"}},
		{"w", []string{"year=2026"}},
		// the presenter's view: a key's figure framed, its effect on the status line
		{"z", []string{"─ events in ─", "┏━ duplicates leaked", "^t → ledger.ttl = 6h"}}, // t's figure and effect
		{"s", []string{"┏━ throttled", "^s → shards"}},
		{"z", []string{"┏━ Duplicates"}},
		// a fresh run with the settings in force: the switches' badges stay
		{"C-r", []string{"restarted: a fresh run from", header + ".*⇄ 6 choices"}},
	}
	for _, s := range steps {
		if s.key != "" {
			drive("keys", s.key)
		}
		for _, re := range s.want {
			drive("wait", re, "30")
		}
		lines := strings.Split(strings.TrimRight(drive("screen"), "\n"), "\n")
		if len(lines) != 24 || !strings.HasPrefix(lines[0], " pipesim │ ") {
			t.Fatalf("after %q: want 24 lines under a header that starts with the title, got %d:\n%s",
				s.key, len(lines), strings.Join(lines, "\n"))
		}
	}

	drive("keys", "q")
	drive("gone", "60")
	if b, err := os.ReadFile(status); err != nil || strings.TrimSpace(string(b)) != "0" {
		t.Fatalf("pipesim did not exit cleanly: status %q (%v)", b, err)
	}
	finals, _ := filepath.Glob(filepath.Join(out, "cloudwatch_reports", "*-final.md"))
	if len(finals) != 1 {
		t.Fatalf("want one final CloudWatch report after q, found %v", finals)
	}
	// and, back at the shell, where it all went
	said, _ := os.ReadFile(stderr)
	if want := "pipesim: the lake is in " + filepath.Join(out, "datalake") + ", the final report " + finals[0] + "\n"; string(said) != want {
		t.Errorf("after q pipesim said %q, want %q", said, want)
	}
}

// tmuxHarness builds the binary and returns the module root, the binary,
// a temporary folder and drive, which runs shared/tools/tui-drive.sh on a
// session of the test's own (stopped when the test ends). It skips the
// test where the tool or tmux is missing.
func tmuxHarness(t *testing.T) (root, bin, tmp string, drive func(args ...string) string) {
	t.Helper()
	root = moduleRoot(t)
	script := filepath.Join(root, "..", "shared", "tools", "tui-drive.sh")
	if _, err := os.Stat(script); err != nil {
		t.Skipf("skipped: %s is missing (shared/ is cloned beside the repo in CI): %v", script, err)
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("skipped: tmux is not installed (CI installs it: apt-get install tmux)")
	}
	tmp = t.TempDir()
	bin = filepath.Join(tmp, "pipesim")
	build := exec.Command("go", "build", "-o", bin, "pipesim")
	build.Dir = root
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	name := fmt.Sprintf("pipesim-test-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"))
	run := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", append([]string{script, args[0], name}, args[1:]...)...)
		cmd.Env = append(os.Environ(), "TMPDIR="+tmp) // the last screen is kept there
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	drive = func(args ...string) string {
		t.Helper()
		s, err := run(args...)
		if err != nil {
			t.Fatalf("tui-drive.sh %s: %v\n%s", strings.Join(args, " "), err, s)
		}
		return s
	}
	t.Cleanup(func() { _, _ = run("stop") })
	return root, bin, tmp, drive
}

// moduleRoot is the folder of go.mod above the test's working directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above " + dir)
		}
		dir = parent
	}
}

// The clock on screen never stands still without saying why: through a
// Glue run that rewrites a 1B/h spell's lake into another layout at 1M/h,
// the header's time moves at least every 2 s of wall time, or the header
// says the clock waits for Glue (or is paused).
func TestClockNeverStandsStillSilently(t *testing.T) {
	root, bin, tmp, drive := tmuxHarness(t)
	drive("start", "160", "48", bin, "--out", filepath.Join(tmp, "out"), "--config", filepath.Join(root, "config.yml"),
		"--scenario", "1B", "--speed", "max", "--set", "glue.schedule=10m")
	const header = "^ pipesim │ "
	drive("wait", header+"2026-11-25 00:2", "180") // two Glue runs of 1B/h in the lake
	drive("keys", "2")
	drive("wait", header+".*1M/h", "30")
	drive("keys", "p")
	drive("wait", "glue.partitioning = hour_event_type", "30")
	drive("keys", "c")

	clock := regexp.MustCompile(`^ pipesim │ (?:\S+ )?(\d\d:\d\d:\d\d)`)
	var last string
	lastMoved := time.Now()
	rewritten := false
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for end := time.Now().Add(40 * time.Second); time.Now().Before(end) && !rewritten; <-tick.C {
		screen := drive("screen")
		head, _, _ := strings.Cut(screen, "\n")
		m := clock.FindStringSubmatch(head)
		if m == nil {
			t.Fatalf("no clock in the header: %q", head)
		}
		switch {
		case m[1] != last, strings.Contains(head, "⏳"), strings.Contains(head, "PAUSED"):
			last, lastMoved = m[1], time.Now()
		case time.Since(lastMoved) > 2*time.Second:
			t.Fatalf("the clock stood at %s for %s without a word:\n%s", last, time.Since(lastMoved).Round(100*time.Millisecond), screen)
		}
		rewritten = strings.Contains(screen, "rewrote the lake's")
	}
	if !rewritten {
		t.Fatalf("the layout rewrite was not published within 40 s:\n%s", drive("screen"))
	}
}
