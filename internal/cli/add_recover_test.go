//go:build unix

package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/pscinit/psc-init/generator/add"
	"github.com/pscinit/psc-init/generator/write"
)

// killedAddEnv names the repository the child process of killAddWhileChecking
// applies add to.
const killedAddEnv = "PSC_INIT_TEST_CLI_KILLED_ADD_DIR"

// killAddWhileChecking copies a repository of generator/add's testdata and
// runs add on it in a child process that is killed with SIGKILL while the
// checks run: every file is in place and the journal says to undo them.
func killAddWhileChecking(t *testing.T, name string) (dir string, before map[string]string) {
	t.Helper()
	dir = copyRepo(t, name)
	before = snapshot(t, dir)
	cmd := exec.Command(os.Args[0], "-test.run=^TestAddRecoversKilledRun$")
	cmd.Env = append(os.Environ(), killedAddEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		t.Fatalf("child add was not killed (%v):\n%s", err, out)
	}
	if ws, ok := exitErr.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child add ended with %v, want SIGKILL:\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(write.JournalPath))); err != nil {
		t.Fatalf("no journal after the kill: %v", err)
	}
	return dir, before
}

// TestAddRecoversKilledRun: after add was killed during its checks,
// add --dry-run refuses to read the half-changed repository, and the next
// add undoes the change first and says so in one sentence (here it then
// refuses a bad --dir, which keeps the test fast); so does upgrade.
func TestAddRecoversKilledRun(t *testing.T) {
	if dir := os.Getenv(killedAddEnv); dir != "" {
		plan, err := add.NewPlan(context.Background(), add.Options{Dir: dir})
		if err == nil {
			err = plan.Apply(context.Background(), dir, []add.Command{{Name: "sh", Args: []string{"-c", "kill -KILL $PPID"}}})
		}
		fmt.Fprintln(os.Stderr, "child add survived:", err)
		os.Exit(3)
	}
	const undone = "An interrupted psc-init add was undone; the previous files are back.\n"

	dir, before := killAddWhileChecking(t, "nethttp-main")
	code, _, stderr := runCLI(t, nil, "add", dir, "--dry-run")
	if code != ExitFailure || !strings.Contains(stderr, "an interrupted psc-init run left .psc-init/apply-journal.json in "+dir+"; run psc-init add without --dry-run to finish or undo it first") {
		t.Fatalf("add --dry-run over a journal = %d, %q", code, stderr)
	}
	code, stdout, stderr := runCLI(t, nil, "add", dir, "--dir", "../out")
	if code != ExitFailure || stdout != undone || !strings.Contains(stderr, `--dir "../out" is not a clean relative directory`) {
		t.Fatalf("add after a kill = %d, %q, %q", code, stdout, stderr)
	}
	assertSameTree(t, before, snapshot(t, dir))

	dir, before = killAddWhileChecking(t, "gin-func")
	code, stdout, stderr = runCLI(t, nil, "upgrade", dir)
	if code != ExitFailure || !strings.HasPrefix(stdout, undone) {
		t.Fatalf("upgrade after a killed add = %d, %q, %q", code, stdout, stderr)
	}
	assertSameTree(t, before, snapshot(t, dir))
}

// assertSameTree reports every file that differs between two snapshots.
func assertSameTree(t *testing.T, before, after map[string]string) {
	t.Helper()
	for p, data := range before {
		if got, ok := after[p]; !ok || got != data {
			t.Errorf("%s not restored", p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s left behind", p)
		}
	}
}
