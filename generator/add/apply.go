package add

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/generator/write"
)

// Command is one verification run in the repository after the changes.
type Command struct {
	Name string
	Args []string
}

// String is the command line as the user would type it.
func (c Command) String() string { return strings.Join(append([]string{c.Name}, c.Args...), " ") }

// DefaultVerify is what must pass after add: build, vet and the tests of
// the whole module, the PSC packages' included.
func DefaultVerify() []Command {
	return []Command{
		{Name: "go", Args: []string{"build", "./..."}},
		{Name: "go", Args: []string{"vet", "./..."}},
		{Name: "go", Args: []string{"test", "./..."}},
	}
}

// verifyTimeout bounds each verification command.
const verifyTimeout = 15 * time.Minute

// maxReportedLines is how many lines of a failed command the error quotes.
const maxReportedLines = 8

// CheckClean refuses a repository whose git work tree has uncommitted or
// untracked changes: add's changes must be reviewable on their own. A
// directory outside git is clean.
func CheckClean(ctx context.Context, dir string) error {
	git, err := exec.LookPath("git")
	if err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, ".git")); statErr == nil {
			return errors.New("the repository uses git but git is not installed, so psc-init cannot check that the tree is clean; install git or pass --allow-dirty")
		}
		return nil
	}
	cmd := exec.CommandContext(ctx, git, "-C", dir, "status", "--porcelain")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if strings.Contains(stderr.String(), "not a git repository") {
			return nil
		}
		return fmt.Errorf("git status failed in %s (%v: %s); fix the repository or pass --allow-dirty", dir, err, firstLines(stderr.String(), 1))
	}
	if out.Len() > 0 {
		return fmt.Errorf("the git tree has uncommitted changes (%s); commit or stash them so that psc-init add's changes stand alone, or pass --allow-dirty",
			strings.Join(strings.Fields(firstLines(out.String(), 3)), " "))
	}
	return nil
}

// VerifyError says which verification failed; every change was rolled back.
type VerifyError struct {
	Command Command
	Output  string
	Err     error
}

// Error says which command failed, why, and that nothing was kept.
func (e *VerifyError) Error() string {
	return fmt.Sprintf("%s failed after adding the PSC login (%v: %s); every change was rolled back, fix the cause and run psc-init add again",
		e.Command, e.Err, strings.Join(strings.Fields(e.Why()), " "))
}

// Why returns the first lines of the output that locate a problem (those
// naming a Go file or a failed test), else its first lines.
func (e *VerifyError) Why() string {
	var located []string
	for _, l := range strings.Split(e.Output, "\n") {
		if strings.Contains(l, ".go:") || strings.HasPrefix(strings.TrimSpace(l), "--- FAIL") {
			located = append(located, strings.TrimSpace(l))
		}
	}
	if len(located) == 0 {
		return firstLines(e.Output, maxReportedLines)
	}
	return firstLines(strings.Join(located, "\n"), maxReportedLines)
}

// Apply writes the plan's changes into dir all or nothing through
// write.ApplyPending (every file staged beside its target, then moved into
// place, the manifest last, under the journal write.JournalPath), runs
// verify in dir with the changes in place, and keeps them only if every
// command passes; otherwise the previous files are put back byte for byte
// and the new ones removed. The journal says "undo" until the checks pass,
// so if the process dies (killed, power loss) at any point before that, the
// next psc-init add or upgrade (write.Recover) restores the previous tree.
func (p *Plan) Apply(ctx context.Context, dir string, verify []Command) error {
	files, err := p.files(dir)
	if err != nil {
		return err
	}
	pending, err := write.ApplyPending(ctx, dir, files, nil)
	var interrupted *write.InterruptedError
	switch {
	case errors.As(err, &interrupted):
		return err
	case err != nil:
		return fmt.Errorf("cannot write the changes: %w", err)
	}
	for _, c := range verify {
		if err := run(ctx, dir, c); err != nil {
			if uerr := pending.Undo(); uerr != nil {
				return errors.Join(err, fmt.Errorf("rollback incomplete, restore the repository from git: %w", uerr))
			}
			return err
		}
	}
	return pending.Keep()
}

// files turns the changes into files to write, an existing file keeping
// its permission bits.
func (p *Plan) files(dir string) (generator.Files, error) {
	files := make(generator.Files, 0, len(p.Changes))
	for _, c := range p.Changes {
		f := generator.File{Path: c.Path, Data: c.New, Mode: generator.FileMode}
		if c.Exists {
			info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(c.Path)))
			if err != nil {
				return nil, fmt.Errorf("cannot inspect %s (%w); run psc-init add again", c.Path, err)
			}
			f.Mode = info.Mode().Perm()
		}
		files = append(files, f)
	}
	return files, nil
}

func run(parent context.Context, dir string, c Command) error {
	ctx, cancel := context.WithTimeout(parent, verifyTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Name, c.Args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		if parent.Err() != nil {
			return fmt.Errorf("interrupted during %s; every change was rolled back, run psc-init add again", c)
		}
		return &VerifyError{Command: c, Output: out.String(), Err: err}
	}
	return nil
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n")
}
