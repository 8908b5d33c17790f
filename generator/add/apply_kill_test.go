//go:build unix

package add

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/pscinit/psc-init/generator/write"
)

// killedAddEnv names the repository the child process of
// TestAddKilledWhileChecking applies add to.
const killedAddEnv = "PSC_INIT_TEST_KILLED_ADD_DIR"

// TestAddKilledWhileChecking runs add in a child process whose check
// kills it with SIGKILL (as the OOM killer, a CI timeout or a power loss
// would: no clean-up runs). The repository is then half-way: every file in
// place, the journal still saying "undo". Recover must give back the exact
// previous tree, after which add applies normally.
func TestAddKilledWhileChecking(t *testing.T) {
	if dir := os.Getenv(killedAddEnv); dir != "" {
		killedAdd(dir)
		return
	}
	dir := copyTree(t, filepath.Join("testdata", "nethttp-main", "before"))
	before := readTree(t, dir)
	beforeDirs := dirsOf(t, dir)

	cmd := exec.Command(os.Args[0], "-test.run=^TestAddKilledWhileChecking$")
	cmd.Env = append(os.Environ(), killedAddEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		t.Fatalf("child add was not killed (%v):\n%s", err, out)
	}
	if ws, ok := exitErr.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child add ended with %v, want SIGKILL:\n%s", err, out)
	}

	killed := readTree(t, dir)
	if _, ok := killed[write.JournalPath]; !ok {
		t.Fatalf("no %s after the kill", write.JournalPath)
	}
	if bytes.Equal(killed["main.go"], before["main.go"]) {
		t.Fatalf("main.go not edited when the check ran")
	}

	msg, err := write.RecoverReport(dir)
	if err != nil {
		t.Fatal(err)
	}
	if msg != "An interrupted psc-init add was undone; the previous files are back." {
		t.Errorf("RecoverReport = %q", msg)
	}
	after := readTree(t, dir)
	for p := range mapKeys(before, after) {
		if !bytes.Equal(before[p], after[p]) || (before[p] == nil) != (after[p] == nil) {
			t.Errorf("%s not restored", p)
		}
	}
	if got := dirsOf(t, dir); !slices.Equal(got, beforeDirs) {
		t.Errorf("directories after recovery: %q, want %q", got, beforeDirs)
	}

	// The next run starts from the previous tree and completes.
	plan, err := NewPlan(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Apply(context.Background(), dir, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(write.JournalPath))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("journal left after a complete add: %v", err)
	}
}

// killedAdd is the child of TestAddKilledWhileChecking: its only check
// kills it. It returns only if it survives, which fails the parent.
func killedAdd(dir string) {
	plan, err := NewPlan(context.Background(), Options{Dir: dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, "plan:", err)
		os.Exit(3)
	}
	err = plan.Apply(context.Background(), dir, []Command{{Name: "sh", Args: []string{"-c", "kill -KILL $PPID"}}})
	fmt.Fprintln(os.Stderr, "survived the kill:", err)
	os.Exit(3)
}

// dirsOf lists the directories of the tree at dir, sorted.
func dirsOf(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
