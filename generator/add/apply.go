package add

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/pscinit/psc-init/generator"
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

// Apply writes the plan's changes into dir atomically (every file staged
// beside its target, then renamed into place, the manifest last), runs
// verify in dir, and restores every file byte for byte (removing the new
// ones) if a step or a command fails.
func (p *Plan) Apply(ctx context.Context, dir string, verify []Command) (err error) {
	tx, err := begin(dir)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			if rbErr := tx.rollback(); rbErr != nil {
				err = errors.Join(err, fmt.Errorf("rollback incomplete, restore the repository from git: %w", rbErr))
			}
		}
		tx.close()
	}()
	if err := tx.write(p.Changes); err != nil {
		return err
	}
	for _, c := range verify {
		if err := run(ctx, dir, c); err != nil {
			return err
		}
	}
	return nil
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

// journalEntry is what rollback needs to undo one file.
type journalEntry struct {
	path    string
	old     []byte
	mode    fs.FileMode
	existed bool
}

// tx is one atomic write into the repository, with the journal to undo it.
type tx struct {
	root    *os.Root
	journal []journalEntry
	staged  []string
	dirs    []string // directories created, parents first
}

func begin(dir string) (*tx, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot open %s (%w); run psc-init add in a directory you can write to", dir, err)
	}
	return &tx{root: root}, nil
}

func (t *tx) close() { t.root.Close() }

// write stages every change, then renames them into place in path order,
// the manifest last: a manifest on disk means the rest is in place.
func (t *tx) write(changes []Change) error {
	type staged struct {
		c   Change
		tmp string
	}
	var all []staged
	var manifest *staged
	for _, c := range changes {
		p := filepath.FromSlash(c.Path)
		if err := t.mkdirs(path.Dir(c.Path)); err != nil {
			return err
		}
		mode := fs.FileMode(0o644)
		if c.Exists {
			info, err := t.root.Stat(p)
			if err != nil {
				return fmt.Errorf("inspect %s: %w", c.Path, err)
			}
			mode = info.Mode().Perm()
		}
		tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".psc-init-tmp")
		if err := t.stage(tmp, c.New, mode); err != nil {
			return fmt.Errorf("write %s: %w", c.Path, err)
		}
		t.journal = append(t.journal, journalEntry{path: p, old: c.Old, mode: mode, existed: c.Exists})
		s := staged{c: c, tmp: tmp}
		if c.Path == generator.ManifestPath {
			manifest = &s
			continue
		}
		all = append(all, s)
	}
	if manifest != nil {
		all = append(all, *manifest)
	}
	for _, s := range all {
		if err := t.root.Rename(s.tmp, filepath.FromSlash(s.c.Path)); err != nil {
			return fmt.Errorf("move %s into place: %w", s.c.Path, err)
		}
	}
	t.staged = nil
	return nil
}

func (t *tx) stage(tmp string, data []byte, mode fs.FileMode) error {
	f, err := t.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	t.staged = append(t.staged, tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// mkdirs creates d and its missing parents, recording them for rollback.
func (t *tx) mkdirs(d string) error {
	if d == "." {
		return nil
	}
	if err := t.mkdirs(path.Dir(d)); err != nil {
		return err
	}
	info, err := t.root.Stat(filepath.FromSlash(d))
	if err == nil {
		if !info.IsDir() {
			return fmt.Errorf("%s is a file where psc-init needs a directory; pass --dir to put the PSC packages elsewhere", d)
		}
		return nil
	}
	if err := t.root.Mkdir(filepath.FromSlash(d), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", d, err)
	}
	t.dirs = append(t.dirs, filepath.FromSlash(d))
	return nil
}

// rollback restores every journaled file (old content, or removal), the
// staged temporary files and the created directories. It goes on after a
// failure and reports all of them.
func (t *tx) rollback() error {
	var errs []error
	for _, tmp := range t.staged {
		if err := t.root.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	for i := len(t.journal) - 1; i >= 0; i-- {
		e := t.journal[i]
		if !e.existed {
			if err := t.root.Remove(e.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
			continue
		}
		tmp := filepath.Join(filepath.Dir(e.path), "."+filepath.Base(e.path)+".psc-init-restore")
		if err := t.root.WriteFile(tmp, e.old, e.mode); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := t.root.Rename(tmp, e.path); err != nil {
			errs = append(errs, err)
		}
	}
	// Directories created by add may have got files from the verification
	// (none expected): RemoveAll, deepest first.
	for i := len(t.dirs) - 1; i >= 0; i-- {
		if err := t.root.RemoveAll(t.dirs[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
