//go:build linux

package cli

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mountTmpfs mounts a tmpfs with the given options on a new temporary
// directory until the test ends. It needs root with CAP_SYS_ADMIN (CI runs as
// root): elsewhere the test is skipped, except under CI=true where it fails.
func mountTmpfs(t *testing.T, flags uintptr, opts string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", flags, opts); err != nil {
		msg := "mount a tmpfs on " + dir + " (needs root with CAP_SYS_ADMIN): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// assertRefused checks one line on stderr holding want, exit code 1, and
// nothing on stdout.
func assertRefused(t *testing.T, code int, stdout, stderr, want string) {
	t.Helper()
	if code != ExitFailure {
		t.Errorf("exit code = %d, want %d", code, ExitFailure)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	if !strings.HasPrefix(stderr, "psc-init: ") || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want one line with %q", stderr, want)
	}
}

// TestNewOnReadOnlyMount runs psc-init new under a real read-only mount (chmod
// does not stop root): into a missing DIR, and with --force over a previous
// service. Both are refused in one sentence and nothing changes.
func TestNewOnReadOnlyMount(t *testing.T) {
	mnt := mountTmpfs(t, 0, "size=1m,mode=0755")
	mustWriteFile(t, filepath.Join(mnt, "old", "go.mod"), "module example.com/old\n")
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatalf("remount read-only: %v", err)
	}
	before := treeOf(t, mnt)
	code, stdout, stderr := runCLI(t, nil, "new", filepath.Join(mnt, "svc"), "--module", "example.com/x/svc", "--yes")
	assertRefused(t, code, stdout, stderr, "read-only file system")
	code, stdout, stderr = runCLI(t, nil, "new", filepath.Join(mnt, "old"), "--module", "example.com/x/svc", "--yes", "--force")
	assertRefused(t, code, stdout, stderr, "read-only file system")
	if after := treeOf(t, mnt); !maps.Equal(before, after) {
		t.Errorf("the read-only mount changed:\nbefore %v\nafter  %v", before, after)
	}
}

// TestNewOnFullDisk runs psc-init new on a real 128 KiB file system, too
// small for a service: one sentence, exit 1, no DIR, no temporary directory.
func TestNewOnFullDisk(t *testing.T) {
	mnt := mountTmpfs(t, 0, "size=128k,mode=0755")
	code, stdout, stderr := runCLI(t, nil, "new", filepath.Join(mnt, "svc"), "--module", "example.com/x/svc", "--yes")
	assertRefused(t, code, stdout, stderr, "no space left on device")
	if !strings.Contains(stderr, "check free space") {
		t.Errorf("stderr = %q, want the fix (check free space)", stderr)
	}
	if entries, _ := os.ReadDir(mnt); len(entries) != 0 {
		t.Errorf("the full file system holds %v, want nothing", entries)
	}
}
