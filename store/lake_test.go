package store

import (
	"os"
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
	want := []string{"./", "cloudwatch_reports/", "datalake/", "datalake/_state/", "datalake/dlq/",
		"datalake/processed/", "datalake/staging/"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tree %q, want %q", got, want)
	}
	// Opening again is fine.
	if _, err := OpenLake(l.Root); err != nil {
		t.Fatal(err)
	}
}

func TestOpenLakeUnwritable(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	if f, err := os.Create(filepath.Join(dir, "probe")); err == nil {
		f.Close()
		t.Skip("chmod 0500 does not stop this user from writing (root?)")
	}
	root := filepath.Join(dir, "output")
	_, err := OpenLake(root)
	if err == nil || !strings.Contains(err.Error(), "open lake "+root+": ") ||
		!strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("err = %v, want a permission error naming %s", err, root)
	}
}

func TestOpenLakeUnwritableExisting(t *testing.T) {
	l := openTestLake(t)
	staging := filepath.Join(l.Root, "datalake", "staging")
	if err := os.Chmod(staging, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(staging, 0o755)
	if f, err := os.Create(filepath.Join(staging, "probe")); err == nil {
		f.Close()
		t.Skip("chmod 0500 does not stop this user from writing (root?)")
	}
	_, err := OpenLake(l.Root)
	if err == nil || !strings.Contains(err.Error(), "folder "+staging+" is not writable") {
		t.Fatalf("err = %v, want one naming %s", err, staging)
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
