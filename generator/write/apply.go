package write

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/pscinit/psc-init/generator"
)

// ApplyResult says what Apply did, with slash-separated paths.
type ApplyResult struct {
	Result
	// Removed lists the files deleted.
	Removed []string
}

// Apply changes the existing service directory dir all or nothing: every
// file of files is staged beside its target first, then the files are moved
// into place, then the paths in remove are deleted, and the base and the
// manifest (generator.BasePath, generator.ManifestPath) are moved in last.
//
// Any failure, or ctx ending, before the manifest is in place puts every
// replaced and removed file back and deletes created ones, so dir is exactly
// as before; the error says so. A journal (JournalPath) covers what no error
// handling can: if the process dies half-way, Recover (which `psc-init
// upgrade` runs first) finishes or undoes the change. Symbolic links are
// never followed out of dir.
func Apply(ctx context.Context, dir string, files generator.Files, remove []string) (ApplyResult, error) {
	return apply(dir, files, remove, contextHooks(ctx, dir, Options{}))
}

func apply(dir string, files generator.Files, remove []string, h hooks) (ApplyResult, error) {
	res, _, err := applyJournaled(dir, files, remove, h, journal{Command: commandUpgrade})
	return res, err
}

// applyJournaled is apply with the journal's head (Command, Held) given:
// with Held, the change is left pending (see ApplyPending) and the journal
// of the steps is returned instead of being finished.
func applyJournaled(dir string, files generator.Files, remove []string, h hooks, head journal) (res ApplyResult, held journal, err error) {
	dir = filepath.Clean(dir)
	ordered, err := commitOrder(files)
	if err != nil {
		return ApplyResult{}, journal{}, err
	}
	for _, p := range remove {
		if err := checkPath(p); err != nil {
			return ApplyResult{}, journal{}, err
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return ApplyResult{}, journal{}, fmt.Errorf("cannot open %s (%w); run psc-init upgrade in the service directory", dir, err)
	}
	defer root.Close()
	res.Dir = dir
	if _, err := root.Lstat(JournalPath); err == nil {
		return ApplyResult{}, journal{}, fmt.Errorf("%s holds the journal of an interrupted run; run psc-init upgrade or psc-init add again to recover it", JournalPath)
	}

	j, data, err := planSteps(root, ordered, remove, &res)
	if err != nil {
		return ApplyResult{}, journal{}, err
	}
	j.Command, j.Held = head.Command, head.Held
	if len(j.Steps) == 0 {
		return res, j, nil
	}
	journaled := false
	defer func() {
		if err == nil {
			return
		}
		if journaled {
			if rbErr := restore(root, j); rbErr != nil {
				err = fmt.Errorf("%w; restoring the previous files also failed (%v), run psc-init upgrade again to recover", err, rbErr)
				return
			}
		}
		err = fmt.Errorf("%w (nothing was changed)", err)
	}()

	// The journal's directory must exist before the journal; directories are
	// created before the journal names them, so a crash in between leaves
	// at most empty directories.
	for _, d := range neededDirs(j) {
		made, err := mkdirAll(root, d)
		j.Dirs = append(j.Dirs, made...)
		if err != nil {
			journaled = true // remove what was made
			return ApplyResult{}, journal{}, err
		}
	}
	if err := writeJournal(root, j); err != nil {
		journaled = true
		return ApplyResult{}, journal{}, err
	}
	journaled = true

	for i, s := range j.Steps {
		if s.Remove {
			continue
		}
		if err := h.stage(s.Path); err != nil {
			return ApplyResult{}, journal{}, err
		}
		if s.Backup == "" {
			if err := writeFile(root, s.Staged, data[i].Data, fileMode(data[i])); err != nil {
				return ApplyResult{}, journal{}, err
			}
		} else {
			if err := writeReplacement(root, s.Staged, data[i]); err != nil {
				return ApplyResult{}, journal{}, err
			}
			if err := root.Link(s.Path, s.Backup); err != nil {
				return ApplyResult{}, journal{}, fmt.Errorf("cannot keep a copy of %s before replacing it (%w); check the permissions of %s", s.Path, err, dir)
			}
		}
	}
	j.Committing = true
	if err := writeJournal(root, j); err != nil {
		return ApplyResult{}, journal{}, err
	}
	for _, s := range j.Steps {
		if err := h.commit(s.Path); err != nil {
			return ApplyResult{}, journal{}, err
		}
		if s.Remove {
			// Moved aside, not deleted: undo moves it back, finish deletes it.
			if err := root.Rename(s.Path, s.Backup); err != nil {
				return ApplyResult{}, journal{}, fmt.Errorf("cannot remove %s (%w); check the permissions of %s", s.Path, err, dir)
			}
			continue
		}
		if err := root.Rename(s.Staged, s.Path); err != nil {
			return ApplyResult{}, journal{}, fmt.Errorf("cannot move %s into place (%w); check the permissions of %s", s.Path, err, dir)
		}
	}
	for _, d := range stepDirs(j) {
		if err := syncDir(root, d); err != nil {
			return ApplyResult{}, journal{}, err
		}
	}
	if j.Held {
		return res, j, nil
	}
	// Done: from here on a failure only leaves temporary files behind.
	if err := finish(root, j); err != nil {
		return res, j, fmt.Errorf("the service was updated but temporary files remain (%w); delete the .psc-init-old-* files and %s", err, JournalPath)
	}
	return res, j, nil
}

// planSteps decides every step in commit order (body files, removals, the
// base, the manifest) and returns them with the file of each write step.
func planSteps(root *os.Root, ordered generator.Files, remove []string, res *ApplyResult) (journal, []generator.File, error) {
	var j journal
	var data []generator.File
	var body, records generator.Files
	for _, f := range ordered {
		if f.Path == generator.BasePath || f.Path == generator.ManifestPath {
			records = append(records, f)
		} else {
			body = append(body, f)
		}
	}
	add := func(list generator.Files) error {
		for _, f := range list {
			same, old, err := compare(root, f)
			if err != nil {
				return err
			}
			if same {
				res.Unchanged = append(res.Unchanged, f.Path)
				continue
			}
			s := journalStep{Path: f.Path, Staged: tempName(f.Path, "new")}
			if old != nil {
				s.Backup = tempName(f.Path, "old")
				f = keepMode(f, old)
				res.Replaced = append(res.Replaced, f.Path)
			} else {
				res.Created = append(res.Created, f.Path)
			}
			j.Steps = append(j.Steps, s)
			data = append(data, f)
		}
		return nil
	}
	if err := add(body); err != nil {
		return journal{}, nil, err
	}
	for _, p := range remove {
		if _, err := root.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return journal{}, nil, fmt.Errorf("cannot inspect %s (%w); check the permissions of the directory", p, err)
		}
		j.Steps = append(j.Steps, journalStep{Path: p, Backup: tempName(p, "old"), Remove: true})
		data = append(data, generator.File{Path: p})
		res.Removed = append(res.Removed, p)
	}
	if err := add(records); err != nil {
		return journal{}, nil, err
	}
	return j, data, nil
}

// neededDirs lists the parent directories of the journal and of the files
// to write, once each.
func neededDirs(j journal) []string {
	paths := []string{JournalPath}
	for _, s := range j.Steps {
		if !s.Remove {
			paths = append(paths, s.Path)
		}
	}
	return parentDirs(paths)
}

// stepDirs lists the directories whose entries the steps changed.
func stepDirs(j journal) []string {
	var paths []string
	for _, s := range j.Steps {
		paths = append(paths, s.Path)
	}
	return parentDirs(append(paths, JournalPath))
}

// parentDirs lists the parent directories of paths, once each, in order.
func parentDirs(paths []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		if d := path.Dir(p); !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}
