package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary builds pipesim once for the tests that need a real process.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pipesim-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "pipesim")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = err
			t.Logf("%s", out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// countLinesUnder counts newline-terminated lines in every file below dir.
func countLinesUnder(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		n += int64(bytes.Count(b, []byte{'\n'}))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A signal that ends the process, ctrl+c's SIGINT aside: kill's SIGTERM,
// and SIGHUP from a terminal closed under it.
func TestSignalFlushesAndExitsPromptly(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command(binary(t), "run", "--duration", "24h", "--out", out, "--json")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			waitFor(t, "a staging file", done, func() bool {
				found := false
				filepath.WalkDir(filepath.Join(out, "datalake", "staging"), func(_ string, d os.DirEntry, err error) error {
					found = found || err == nil && strings.HasSuffix(d.Name(), ".ndjson")
					return nil
				})
				return found
			})
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 20 s after %s", sig)
			}
			if code := cmd.ProcessState.ExitCode(); code != 130 {
				t.Errorf("exit %d after %s, want 130; stderr: %s", code, sig, stderr.String())
			}
			var sum struct{ Staged, Sent int64 }
			if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
				t.Fatalf("no summary after %s: %v\n%s", sig, err, stdout.String())
			}
			if sum.Staged == 0 {
				t.Fatal("nothing staged before the signal")
			}
			if lines := countLinesUnder(t, filepath.Join(out, "datalake", "staging")); lines != sum.Staged {
				t.Errorf("%d NDJSON lines on disk, summary says %d staged: not flushed", lines, sum.Staged)
			}
			if reports, _ := filepath.Glob(filepath.Join(out, "cloudwatch_reports", "*-final.md")); len(reports) != 1 {
				t.Errorf("final report: %v", reports)
			}
			// the folder was left finished: the next run takes it without --force
			next := exec.Command(binary(t), "run", "--scenario", "1k", "--duration", "1m", "--out", out)
			if b, err := next.CombinedOutput(); err != nil {
				t.Errorf("the next run refused the folder: %v\n%s", err, b)
			}
		})
	}
}

// waitFor returns once ok says so; it fails the test if the process
// ends first.
func waitFor(t *testing.T, what string, exited <-chan error, ok func() bool) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !ok() {
		select {
		case err := <-exited:
			t.Fatalf("exited before %s appeared: %v", what, err)
		case <-tick.C:
		}
	}
}

func TestCrashFaultExitsLikeKill9AndCompactRecovers(t *testing.T) {
	out := t.TempDir()
	cmd := exec.Command(binary(t), "run", "--rate", "100k", "--duration", "3h", "--out", out, "--fault", "crash@90m")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 137 {
		t.Fatalf("exit %d (%v), want 137; stderr: %s", code, err, stderr.String())
	}
	if reports, _ := filepath.Glob(filepath.Join(out, "cloudwatch_reports", "*-final.md")); len(reports) != 0 {
		t.Errorf("a crashed run wrote a final report: %v", reports)
	}
	// Another run in the folder would throw the staging away: refused.
	again := exec.Command(binary(t), "run", "--rate", "100k", "--duration", "1m", "--out", out)
	b, err := again.CombinedOutput()
	if code := again.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(b), "did not finish") || strings.Count(string(b), "\n") != 1 {
		t.Errorf("a run over the crashed one: exit %d (%v), want 1 and one line saying why: %s", code, err, b)
	}
	compact := exec.Command(binary(t), "compact", "--out", out)
	b, err = compact.CombinedOutput()
	if err != nil {
		t.Fatalf("compact: %v\n%s", err, b)
	}
	if !strings.Contains(string(b), "Glue run 2:") {
		t.Errorf("compact should be the second run, after the one at 1h: %s", b)
	}
	// Compacted, the crashed run's files may be replaced.
	if b, err := exec.Command(binary(t), "run", "--rate", "100k", "--duration", "1m", "--out", out).CombinedOutput(); err != nil {
		t.Errorf("a run after compact: %v\n%s", err, b)
	}
}

// TestFullDiskStopsCleanly fills a real (tiny tmpfs) disk. It needs root to
// mount one; CI runs as root.
func TestFullDiskStopsCleanly(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root: full-disk case skipped")
	}
	dir := t.TempDir()
	if b, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s): full-disk case skipped", err, b)
	}
	defer exec.Command("umount", dir).Run()
	var stdout, stderr bytes.Buffer
	code := run([]string{"run", "--duration", "1h", "--out", dir}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit %d on a full disk, want 1", code)
	}
	msg := stderr.String()
	if !strings.Contains(msg, "no space left on device") || !strings.Contains(msg, dir) {
		t.Errorf("stderr %q should name the path and say the disk is full", msg)
	}
	if strings.Contains(msg, "panic") {
		t.Errorf("panicked: %s", msg)
	}
}
