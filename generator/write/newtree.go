package write

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/pscinit/psc-init/generator"
)

// writeNewTree writes files into a temporary sibling of dir, then renames it
// to dir: dir appears complete or not at all.
func writeNewTree(dir string, files generator.Files, h hooks) (res Result, err error) {
	parent := filepath.Dir(dir)
	madeParents, err := mkdirParents(parent)
	defer func() {
		if err != nil {
			// Parents created for dir go too: a failed run leaves no trace.
			err = errors.Join(err, removeDirs(madeParents))
		}
	}()
	if err != nil {
		return Result{}, fmt.Errorf("cannot create %s (%w); choose a directory you can write to", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".psc-init-*")
	if err != nil {
		return Result{}, fmt.Errorf("cannot create a temporary directory in %s (%w); choose a directory you can write to", parent, err)
	}
	defer func() {
		if err != nil {
			// The temporary tree is ours alone: removing it restores the
			// previous state (dir still missing).
			if rmErr := os.RemoveAll(tmp); rmErr != nil {
				err = errors.Join(err, fmt.Errorf("remove temporary directory %s: %w", tmp, rmErr))
			}
		}
	}()
	root, err := os.OpenRoot(tmp)
	if err != nil {
		return Result{}, fmt.Errorf("cannot open temporary directory %s (%w); check the permissions of %s", tmp, err, parent)
	}
	defer root.Close()

	dirs := map[string]bool{".": true}
	for _, f := range files {
		if err := h.stage(f.Path); err != nil {
			return Result{}, err
		}
		if err := root.MkdirAll(path.Dir(f.Path), DirMode); err != nil {
			return Result{}, fmt.Errorf("cannot create directory for %s in %s (%w); check free space and permissions", f.Path, tmp, err)
		}
		if err := writeFile(root, f.Path, f.Data, fileMode(f)); err != nil {
			return Result{}, err
		}
		for d := path.Dir(f.Path); !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
		res.Created = append(res.Created, f.Path)
	}
	for d := range dirs {
		if err := syncDir(root, d); err != nil {
			return Result{}, err
		}
	}
	// MkdirTemp creates 0700; the service directory gets the usual mode.
	if err := os.Chmod(tmp, DirMode); err != nil {
		return Result{}, fmt.Errorf("cannot set the permissions of %s (%w); check the file system", tmp, err)
	}
	if err := h.commit("."); err != nil {
		return Result{}, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return Result{}, fmt.Errorf("cannot move the new service into %s (%w); make sure nothing else creates %s meanwhile", dir, err, dir)
	}
	if err := syncPath(parent); err != nil {
		return Result{}, err
	}
	res.Dir = dir
	return res, nil
}

// mkdirParents creates dir and its missing parents, and returns the ones it
// created, deepest first.
func mkdirParents(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, DirMode); err != nil {
		return removableOnly(missing), err
	}
	return missing, nil
}

// removableOnly keeps the directories of missing that exist now (MkdirAll
// may have failed half-way).
func removableOnly(missing []string) []string {
	var out []string
	for _, d := range missing {
		if _, err := os.Lstat(d); err == nil {
			out = append(out, d)
		}
	}
	return out
}

// removeDirs removes dirs, deepest first; they must be empty.
func removeDirs(dirs []string) error {
	var errs []error
	for _, d := range dirs {
		if err := os.Remove(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove directory %s: %w", d, err))
		}
	}
	return errors.Join(errs...)
}
