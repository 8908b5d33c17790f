package write

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"

	"github.com/pscinit/psc-init/generator"
)

// JournalPath is where Apply records what it is doing, relative to the
// service root, so that an interrupted run (killed, power loss) can be
// finished or undone by Recover.
const JournalPath = ".psc-init/apply-journal.json"

// maxJournalSize bounds the journal Recover reads.
const maxJournalSize = 16 << 20

// journal lists the steps of one Apply in commit order. While Committing is
// false only temporary files exist; once it is true, steps are applied in
// order, and the last one applied decides whether Recover finishes or undoes.
type journal struct {
	// Command is the psc-init command that wrote the journal (commandAdd,
	// commandUpgrade; "" in journals of older versions, upgrade's).
	Command string `json:"command,omitempty"`
	// Held says the change awaits checks (ApplyPending): Recover undoes it
	// even when every step was carried out.
	Held       bool          `json:"held,omitempty"`
	Committing bool          `json:"committing"`
	Dirs       []string      `json:"dirs,omitempty"`
	Steps      []journalStep `json:"steps"`
}

// journalStep moves Staged to Path (keeping the previous file as Backup, a
// hard link), or, with Remove, moves Path aside to Backup.
type journalStep struct {
	Path   string `json:"path"`
	Staged string `json:"staged,omitempty"`
	Backup string `json:"backup,omitempty"`
	Remove bool   `json:"remove,omitempty"`
}

func writeJournal(root *os.Root, j journal) error {
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return fmt.Errorf("encode journal: %w", err)
	}
	tmp := tempName(JournalPath, "new")
	if err := writeFile(root, tmp, append(data, '\n'), generator.FileMode); err != nil {
		return err
	}
	if err := root.Rename(tmp, JournalPath); err != nil {
		return fmt.Errorf("cannot write %s (%w); check the permissions of the directory", JournalPath, err)
	}
	return syncDir(root, path.Dir(JournalPath))
}

// applied reports whether step s was carried out.
func applied(root *os.Root, s journalStep) (bool, error) {
	name := s.Staged
	if s.Remove {
		name = s.Backup
	}
	_, err := root.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return !s.Remove, nil
	case err != nil:
		return false, fmt.Errorf("inspect %s: %w", name, err)
	}
	return s.Remove, nil
}

// finish deletes the copies kept for undoing, the journal, and the
// directories left empty by removed files.
func finish(root *os.Root, j journal) error {
	var errs []error
	for _, s := range j.Steps {
		if s.Backup != "" {
			if err := removeIfExists(root, s.Backup); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if err := removeIfExists(root, JournalPath); err != nil {
		errs = append(errs, err)
	}
	for _, s := range j.Steps {
		if !s.Remove {
			continue
		}
		// Best effort: a directory that is not empty stays.
		for d := path.Dir(s.Path); d != "."; d = path.Dir(d) {
			if root.Remove(d) != nil {
				break
			}
		}
	}
	return errors.Join(errs...)
}

// restore undoes the steps of j that were applied, newest first, removes
// temporary files and the directories j created, then the journal.
func restore(root *os.Root, j journal) error {
	var errs []error
	for _, s := range slices.Backward(j.Steps) {
		// Before the commit phase nothing is applied, only staged.
		done := false
		if j.Committing {
			var err error
			if done, err = applied(root, s); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		switch {
		case s.Remove && done:
			if err := root.Rename(s.Backup, s.Path); err != nil {
				errs = append(errs, fmt.Errorf("restore %s: %w", s.Path, err))
			}
		case s.Remove:
		case done && s.Backup != "":
			if err := root.Rename(s.Backup, s.Path); err != nil {
				errs = append(errs, fmt.Errorf("restore %s: %w", s.Path, err))
			}
		case done:
			if err := removeIfExists(root, s.Path); err != nil {
				errs = append(errs, err)
			}
		default:
			if err := removeIfExists(root, s.Staged); err != nil {
				errs = append(errs, err)
			}
			if s.Backup != "" {
				if err := removeIfExists(root, s.Backup); err != nil {
					errs = append(errs, err)
				}
			}
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...) // keep the journal: a later Recover may succeed
	}
	if err := removeIfExists(root, JournalPath); err != nil {
		return err
	}
	for _, d := range slices.Backward(j.Dirs) {
		if err := root.Remove(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove directory %s: %w", d, err))
		}
	}
	return errors.Join(errs...)
}

// Recover finishes or undoes an Apply that was interrupted in dir without a
// chance to clean up (process killed, power loss), using its journal: when
// every step had been carried out the change is kept, otherwise the previous
// files are put back. It reports whether there was anything to recover and,
// if so, whether the change was kept.
func Recover(dir string) (recovered, kept bool, err error) {
	_, recovered, kept, err = recoverJournal(dir)
	return recovered, kept, err
}

// recoverJournal is Recover that also returns the journal it acted on (zero
// when there was none), so that RecoverReport can name the interrupted
// command without reading the journal a second time.
func recoverJournal(dir string) (j journal, recovered, kept bool, err error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return journal{}, false, false, fmt.Errorf("cannot open %s (%w); run psc-init in the service directory or pass it as an argument", dir, err)
	}
	defer root.Close()
	f, err := root.Open(JournalPath)
	if errors.Is(err, fs.ErrNotExist) {
		return journal{}, false, false, nil
	}
	if err != nil {
		return journal{}, false, false, fmt.Errorf("cannot open %s (%w); check its permissions", JournalPath, err)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxJournalSize))
	f.Close()
	if err != nil {
		return journal{}, false, false, fmt.Errorf("cannot read %s (%w); check its permissions", JournalPath, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return journal{}, false, false, fmt.Errorf("%s is damaged (%v); restore the service from version control and delete it", JournalPath, err)
	}
	for _, s := range j.Steps {
		for _, p := range []string{s.Path, s.Staged, s.Backup} {
			if p != "" && checkPath(p) != nil {
				return journal{}, false, false, fmt.Errorf("%s names %q, which is not a clean relative path; restore the service from version control and delete it", JournalPath, p)
			}
		}
	}
	if j.Committing && !j.Held && len(j.Steps) > 0 {
		last, err := applied(root, j.Steps[len(j.Steps)-1])
		if err != nil {
			return j, true, false, err
		}
		if last {
			if err := finish(root, j); err != nil {
				return j, true, true, fmt.Errorf("the interrupted change is complete but temporary files remain (%w); delete the .psc-init-old-* files and %s", err, JournalPath)
			}
			return j, true, true, nil
		}
	}
	if err := restore(root, j); err != nil {
		return j, true, false, fmt.Errorf("cannot undo the interrupted change (%w); restore the service from version control", err)
	}
	return j, true, false, nil
}
