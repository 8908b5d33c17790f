package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// subprocessEnv makes the test binary run psc-init instead of the tests (see
// TestMain), so that real signals reach a real process.
const subprocessEnv = "PSC_INIT_CLI_TEST_SUBPROCESS"

// writingMarker is printed on stderr by the slow-write subprocess once the
// first file is being written.
const writingMarker = "test: writing"

func TestMain(m *testing.M) {
	if os.Getenv(subprocessEnv) == "slow-write" {
		os.Exit(slowWriteMain(argsAfterDashes(os.Args)))
	}
	os.Exit(m.Run())
}

func argsAfterDashes(args []string) []string {
	if i := slices.Index(args, "--"); i >= 0 {
		return args[i+1:]
	}
	return nil
}

// slowWriteMain is Main (same signal handling, same writer) with one addition
// through the writer's OnFile option: at the first file it says so on stderr
// and waits for a signal, then each file takes 10 ms. The signal therefore
// always lands in the middle of the write.
func slowWriteMain(args []string) int {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	first := true
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, onFile: func(string) {
		if first {
			first = false
			fmt.Fprintln(os.Stderr, writingMarker)
			select {
			case <-signals:
			case <-time.After(time.Minute):
			}
		}
		time.Sleep(10 * time.Millisecond)
	}}
	return runWithSignals(args, e)
}

// startSlowWrite runs `psc-init args...` in a subprocess and returns once it
// is writing its first file.
func startSlowWrite(t *testing.T, args ...string) (*exec.Cmd, *bufio.Reader, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), subprocessEnv+"=slow-write")
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	stderr := bufio.NewReader(pipe)
	line, err := stderr.ReadString('\n')
	if strings.TrimSpace(line) != writingMarker {
		rest, _ := io.ReadAll(stderr)
		t.Fatalf("psc-init did not start writing: %q%s (%v)", line, rest, err)
	}
	return cmd, stderr, &stdout
}

// TestSignalDuringWriteLeavesNothing interrupts psc-init new with SIGINT and
// SIGTERM while it writes a new directory, and while it replaces the files
// of an existing one (--force): exit code 1, one sentence, DIR missing or
// exactly as before, no temporary file or directory left.
func TestSignalDuringWriteLeavesNothing(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for _, existing := range []bool{false, true} {
			name := fmt.Sprintf("%v/existing=%v", sig, existing)
			t.Run(name, func(t *testing.T) {
				parent := t.TempDir()
				dir := filepath.Join(parent, "svc")
				args := []string{"new", dir, "--module", "example.com/clinic/svc", "--yes"}
				var before map[string]string
				if existing {
					mustWriteFile(t, filepath.Join(dir, "go.mod"), "module example.com/old\n")
					mustWriteFile(t, filepath.Join(dir, "notes.txt"), "mine\n")
					mustWriteFile(t, filepath.Join(dir, "internal", "psc", "config.go"), "package psc // old\n")
					before = treeOf(t, dir)
					args = append(args, "--force")
				}
				cmd, stderr, stdout := startSlowWrite(t, args...)
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				rest, _ := io.ReadAll(stderr)
				err := cmd.Wait()
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() != ExitFailure {
					t.Fatalf("psc-init ended with %v, want exit code %d; stderr %q", err, ExitFailure, rest)
				}
				want := "psc-init: interrupted while writing " + dir + ", which is left as it was before; run the command again\n"
				if string(rest) != want {
					t.Errorf("stderr = %q, want %q", rest, want)
				}
				if stdout.Len() != 0 {
					t.Errorf("stdout = %q, want nothing after an interruption", stdout)
				}
				entries, _ := os.ReadDir(parent)
				switch {
				case existing:
					if after := treeOf(t, dir); !maps.Equal(before, after) {
						t.Errorf("DIR changed:\nbefore %v\nafter  %v", before, after)
					}
					if len(entries) != 1 {
						t.Errorf("parent holds %v, want only DIR", entries)
					}
				case len(entries) != 0:
					t.Errorf("parent holds %v, want nothing (no DIR, no temporary directory)", entries)
				}
			})
		}
	}
}

func mustWriteFile(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// treeOf maps every entry under dir to its content ("<dir>" for directories).
func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
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
