package store

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func openTestLake(t testing.TB) *Lake {
	t.Helper()
	l, err := OpenLake(filepath.Join(t.TempDir(), "output"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestOpenLakeCreatesFolders(t *testing.T) {
	l := openTestLake(t)
	var got []string
	err := filepath.WalkDir(l.Root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(l.Root, path)
		if d.IsDir() {
			got = append(got, rel+"/")
		} else {
			got = append(got, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"./", "cloudwatch_reports/", "datalake/", "datalake/.versions/", "datalake/.versions/processed-00000/",
		"datalake/.versions/processed-00000/_commit.json", "datalake/_state/", "datalake/dlq/", "datalake/lambda_on_failure/",
		"datalake/processed", "datalake/quarantine/", "datalake/staging/"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tree %q, want %q", got, want)
	}
	// Opening again is fine.
	if _, err := OpenLake(l.Root); err != nil {
		t.Fatal(err)
	}
}

// makeReadOnly fills dir with populate, then makes it unwritable the way
// this process can be stopped: chmod for a normal user, a read-only tmpfs
// for root (whom chmod does not stop). It returns what writes then fail
// with.
func makeReadOnly(t *testing.T, dir string, populate func()) string {
	t.Helper()
	if os.Geteuid() != 0 {
		populate()
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		return "permission denied"
	}
	if b, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("root, and cannot mount a tmpfs (%v: %s): unwritable case skipped", err, b)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	populate()
	if b, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v: %s", err, b)
	}
	return "read-only file system"
}

func TestOpenLakeUnwritable(t *testing.T) {
	dir := t.TempDir()
	why := makeReadOnly(t, dir, func() {})
	root := filepath.Join(dir, "output")
	_, err := OpenLake(root)
	if err == nil || !strings.Contains(err.Error(), "open lake "+root+": ") || !strings.Contains(err.Error(), why) {
		t.Fatalf("err = %v, want %q naming %s", err, why, root)
	}
}

func TestOpenLakeUnwritableExisting(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "output")
	why := makeReadOnly(t, dir, func() {
		if _, err := OpenLake(root); err != nil {
			t.Fatal(err)
		}
	})
	if os.Geteuid() != 0 {
		// chmod on the root's parent does not stop writes inside: close the folder itself
		staging := filepath.Join(root, "datalake", "staging")
		if err := os.Chmod(staging, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(staging, 0o755) })
	}
	_, err := OpenLake(root)
	staging := filepath.Join(root, "datalake", "staging")
	if err == nil || !strings.Contains(err.Error(), "folder "+staging+" is not writable") || !strings.Contains(err.Error(), why) {
		t.Fatalf("err = %v, want %q naming %s", err, why, staging)
	}
}

func TestOpenLakeUnderAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(file, "output")
	_, err := OpenLake(root)
	if err == nil || !strings.HasPrefix(err.Error(), "open lake "+root+": ") ||
		!strings.Contains(err.Error(), "not a directory") {
		t.Fatalf("err = %v, want one naming %s", err, root)
	}
}
