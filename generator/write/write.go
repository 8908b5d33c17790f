// Package write puts generated files on disk without ever leaving a
// half-written project behind.
package write

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/pscinit/psc-init/generator"
)

// DirMode is the permission of every directory the writer creates.
const DirMode fs.FileMode = 0o755

// Result says what NewDir did, with slash-separated paths relative to Dir.
type Result struct {
	// Dir is the directory written.
	Dir string
	// Created lists files that did not exist before.
	Created []string
	// Replaced lists existing files whose content changed (only with force).
	Replaced []string
	// Unchanged lists existing files that already had the generated content.
	Unchanged []string
}

// NotEmptyError is returned when the target directory has content and force
// is false.
type NotEmptyError struct {
	Dir string
}

// Error explains how to proceed.
func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("directory %s is not empty; choose an empty directory or pass --force to replace generated files", e.Dir)
}

// hooks lets tests inject failures between the steps of a write.
type hooks struct {
	// beforeStage runs before a file is written to its temporary location.
	beforeStage func(path string) error
	// beforeCommit runs before a file (in place) or the whole tree (new
	// directory, path ".") is moved into place.
	beforeCommit func(path string) error
}

func (h hooks) stage(p string) error {
	if h.beforeStage == nil {
		return nil
	}
	return h.beforeStage(p)
}

func (h hooks) commit(p string) error {
	if h.beforeCommit == nil {
		return nil
	}
	return h.beforeCommit(p)
}

// NewDir writes files into dir.
//
//   - dir missing: the tree is written into a temporary directory created next
//     to dir (same parent, same file system), synced, then renamed to dir.
//     Missing parents of dir are created, and removed again on failure.
//   - dir empty, or non-empty with force: each file is written to a temporary
//     file beside its target, then all of them are renamed into place;
//     files psc-init did not generate are never touched. A failure while
//     moving files in puts every replaced file back.
//   - dir non-empty without force: *NotEmptyError.
//
// The manifest (generator.ManifestPath) is always moved into place last. On
// any error the temporary files are removed and dir is left as it was.
// Symbolic links are never followed out of dir, and paths that are absolute
// or contain ".." are refused.
func NewDir(dir string, files generator.Files, force bool) (Result, error) {
	return newDir(dir, files, force, hooks{})
}

func newDir(dir string, files generator.Files, force bool, h hooks) (Result, error) {
	if dir == "" {
		return Result{}, errors.New("no output directory given; pass the directory of the new service")
	}
	dir = filepath.Clean(dir)
	ordered, err := commitOrder(files)
	if err != nil {
		return Result{}, err
	}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return writeNewTree(dir, ordered, h)
	case errors.Is(err, syscall.ENOTDIR):
		return Result{}, fmt.Errorf("a parent of %s is a file, not a directory; choose another path for the new service", dir)
	case err != nil:
		return Result{}, fmt.Errorf("cannot inspect %s (%w); choose a directory you can read", dir, err)
	case !info.IsDir():
		return Result{}, fmt.Errorf("%s is a file, not a directory; choose another path for the new service", dir)
	}
	empty, err := isEmpty(dir)
	if err != nil {
		return Result{}, err
	}
	if !empty && !force {
		return Result{}, &NotEmptyError{Dir: dir}
	}
	return writeInPlace(dir, ordered, h)
}

// commitOrder checks every path and returns the files with the manifest last.
func commitOrder(files generator.Files) (generator.Files, error) {
	seen := make(map[string]bool, len(files))
	var manifest *generator.File
	out := make(generator.Files, 0, len(files))
	for i, f := range files {
		if err := checkPath(f.Path); err != nil {
			return nil, err
		}
		if seen[f.Path] {
			return nil, fmt.Errorf("generated file %s appears twice; this is a psc-init bug, please report it", f.Path)
		}
		seen[f.Path] = true
		if f.Path == generator.ManifestPath {
			manifest = &files[i]
			continue
		}
		out = append(out, f)
	}
	for p := range seen {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if seen[d] {
				return nil, fmt.Errorf("generated path %s is both a file and a directory; this is a psc-init bug, please report it", d)
			}
		}
	}
	if manifest != nil {
		out = append(out, *manifest)
	}
	return out, nil
}

// checkPath refuses output paths that could land outside the directory.
func checkPath(p string) error {
	if p == "" || strings.HasPrefix(p, "/") || filepath.IsAbs(p) || strings.Contains(p, `\`) || !fs.ValidPath(p) {
		return fmt.Errorf("generated path %q is not a clean relative path; this is a psc-init bug, please report it", p)
	}
	return nil
}

func isEmpty(dir string) (bool, error) {
	d, err := os.Open(dir)
	if err != nil {
		return false, fmt.Errorf("cannot read directory %s (%w); choose a directory you can read", dir, err)
	}
	defer d.Close()
	_, err = d.ReadDir(1)
	if errors.Is(err, io.EOF) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("cannot read directory %s (%w); choose a directory you can read", dir, err)
	}
	return false, nil
}

// fileMode returns f's permission, defaulting to generator.FileMode.
func fileMode(f generator.File) fs.FileMode {
	if f.Mode == 0 {
		return generator.FileMode
	}
	return f.Mode.Perm()
}
