//go:build linux

package write_test

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/generator/write"
)

// mountTmpfs mounts a tmpfs of size bytes on a new temporary directory and
// unmounts it when the test ends. Mounting needs root with CAP_SYS_ADMIN (CI
// runs as root): elsewhere the test is skipped, except under CI=true where
// it fails, so that CI never silently loses these real-failure checks.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0755"); err != nil {
		msg := "mount a tmpfs on " + dir + " (needs root with CAP_SYS_ADMIN): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	// Registered after t.TempDir's own cleanup, so it runs before the
	// directory is removed.
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// remountReadOnly makes the tmpfs on dir read-only: chmod does not stop root,
// a read-only mount does.
func remountReadOnly(t *testing.T, dir string) {
	t.Helper()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatalf("remount %s read-only: %v", dir, err)
	}
}

// bigService is a service-shaped tree of 400 KiB in 100 files, more than
// the small file systems below hold. (It does not come from the templates so
// that these checks do not depend on them.)
func bigService() generator.Files {
	files := generator.Files{{Path: generator.ManifestPath, Data: []byte("{}\n"), Mode: 0o644}}
	for i := range 100 {
		data := []byte("package psc\n\n// " + strings.Repeat("x", 4096) + "\n")
		files = append(files, generator.File{Path: fmt.Sprintf("internal/pkg%d/file%d.go", i%7, i), Data: data, Mode: 0o644})
	}
	return files
}

func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel] = "<dir>"
			return nil
		}
		data, err := os.ReadFile(p)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func assertOneSentence(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("write succeeded, want a failure")
	}
	msg := strings.Join(strings.Fields(err.Error()), " ")
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q lacks %q", msg, w)
		}
	}
}

// TestDiskFullNewDir fills a real 96 KiB file system: the new directory never
// appears and no temporary directory is left.
func TestDiskFullNewDir(t *testing.T) {
	mnt := mountTmpfs(t, "96k")
	_, err := write.NewDir(filepath.Join(mnt, "svc"), bigService(), false)
	assertOneSentence(t, err, "no space left on device", "check free space")
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("error %v does not wrap ENOSPC", err)
	}
	if entries, _ := os.ReadDir(mnt); len(entries) != 0 {
		t.Errorf("the full file system holds %v after the failure, want nothing", entries)
	}
}

// TestDiskFullInPlace fills a real file system while replacing an existing
// service with --force: every previous file is intact, nothing is added.
func TestDiskFullInPlace(t *testing.T) {
	mnt := mountTmpfs(t, "160k")
	dir := filepath.Join(mnt, "svc")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"go.mod": "module example.com/old\n", "notes.txt": "mine\n", "README.md": "# mine\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before := treeOf(t, dir)
	_, err := write.NewDir(dir, bigService(), true)
	assertOneSentence(t, err, "no space left on device")
	if after := treeOf(t, dir); !maps.Equal(before, after) {
		t.Errorf("the directory changed after a disk-full failure:\nbefore %v\nafter  %v", before, after)
	}
}

// TestReadOnlyTarget writes under a read-only mount, into a missing directory
// and over an existing service: both are refused and nothing changes.
func TestReadOnlyTarget(t *testing.T) {
	mnt := mountTmpfs(t, "1m")
	dir := filepath.Join(mnt, "svc")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	remountReadOnly(t, mnt)
	before := treeOf(t, mnt)

	_, err := write.NewDir(filepath.Join(mnt, "new"), bigService(), false)
	assertOneSentence(t, err, "read-only file system", "choose a directory you can write to")
	_, err = write.NewDir(dir, bigService(), true)
	assertOneSentence(t, err, "read-only file system")
	if !errors.Is(err, syscall.EROFS) {
		t.Errorf("error %v does not wrap EROFS", err)
	}
	if after := treeOf(t, mnt); !maps.Equal(before, after) {
		t.Errorf("the read-only mount changed:\nbefore %v\nafter  %v", before, after)
	}
}
