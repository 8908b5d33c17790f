package write

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"

	"github.com/pscinit/psc-init/generator"
)

// step is one file to move into an existing directory.
type step struct {
	file    generator.File
	staged  string // temporary file holding the new content
	backup  string // hard link to the previous content ("" when the target did not exist)
	applied bool
}

// writeInPlace writes files into the existing directory dir in two phases:
// stage every file beside its target (and hard-link every file it replaces),
// then rename each staged file over its target, manifest last. Any failure
// before the end undoes the renames, so dir keeps its previous content.
func writeInPlace(dir string, files generator.Files, h hooks) (res Result, err error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Result{}, fmt.Errorf("cannot open %s (%w); choose a directory you can write to", dir, err)
	}
	defer root.Close()
	res.Dir = dir

	var steps []*step
	var createdDirs []string
	defer func() {
		if err != nil {
			err = errors.Join(err, rollback(root, steps, createdDirs))
		} else {
			err = cleanup(root, steps)
		}
	}()

	for _, f := range files {
		same, old, err := compare(root, f)
		if err != nil {
			return Result{}, err
		}
		if same {
			res.Unchanged = append(res.Unchanged, f.Path)
			continue
		}
		if err := h.stage(f.Path); err != nil {
			return Result{}, err
		}
		made, err := mkdirAll(root, path.Dir(f.Path))
		createdDirs = append(createdDirs, made...)
		if err != nil {
			return Result{}, err
		}
		s := &step{file: f, staged: tempName(f.Path, "new")}
		steps = append(steps, s)
		if old == nil {
			if err := writeFile(root, s.staged, f.Data, fileMode(f)); err != nil {
				return Result{}, err
			}
			res.Created = append(res.Created, f.Path)
			continue
		}
		if err := writeReplacement(root, s.staged, keepMode(f, old)); err != nil {
			return Result{}, err
		}
		s.backup = tempName(f.Path, "old")
		if err := root.Link(f.Path, s.backup); err != nil {
			return Result{}, fmt.Errorf("cannot keep a copy of %s before replacing it (%w); check the permissions of %s", f.Path, err, dir)
		}
		res.Replaced = append(res.Replaced, f.Path)
	}

	for _, s := range steps {
		if err := h.commit(s.file.Path); err != nil {
			return Result{}, err
		}
		if err := root.Rename(s.staged, s.file.Path); err != nil {
			return Result{}, fmt.Errorf("cannot move %s into place (%w); check the permissions of %s", s.file.Path, err, dir)
		}
		s.applied = true
	}
	for _, d := range touchedDirs(steps) {
		if err := syncDir(root, d); err != nil {
			return Result{}, err
		}
	}
	return res, nil
}

// keepMode returns f with the permission of old, the regular file it
// replaces: a user's chmod (a script made executable, a file made private)
// survives a regeneration. A link replaced by the file gives nothing.
func keepMode(f generator.File, old fs.FileInfo) generator.File {
	if old.Mode().IsRegular() {
		f.Mode = old.Mode().Perm()
	}
	return f
}

// writeReplacement writes the staged copy of f, which replaces a file: with
// f's mode exactly (keepMode's), not narrowed by the umask as a new file's.
func writeReplacement(root *os.Root, staged string, f generator.File) error {
	if err := writeFile(root, staged, f.Data, fileMode(f)); err != nil {
		return err
	}
	if err := root.Chmod(staged, fileMode(f)); err != nil {
		return fmt.Errorf("cannot keep the permissions of %s (%w); check the file system", f.Path, err)
	}
	return nil
}

// compare reports whether the target of f already holds f's content, and
// returns the target's information, nil when it does not exist. Only regular
// files are compared; a symbolic link is replaced by the generated file,
// never followed.
func compare(root *os.Root, f generator.File) (same bool, old fs.FileInfo, err error) {
	info, err := root.Lstat(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil, nil
	}
	if err != nil {
		return false, nil, fmt.Errorf("cannot inspect %s (%w); check the permissions of the directory", f.Path, err)
	}
	switch {
	case info.IsDir():
		return false, info, fmt.Errorf("%s is a directory where psc-init generates a file; move it away and run again", f.Path)
	case !info.Mode().IsRegular():
		return false, info, nil
	case info.Size() != int64(len(f.Data)):
		return false, info, nil
	}
	current, err := root.Open(f.Path)
	if err != nil {
		return false, info, fmt.Errorf("cannot read %s (%w); check its permissions", f.Path, err)
	}
	defer current.Close()
	// The size matches, so reading one byte more than the new content is a
	// bound that still detects growth since Lstat.
	data, err := io.ReadAll(io.LimitReader(current, int64(len(f.Data))+1))
	if err != nil {
		return false, info, fmt.Errorf("cannot read %s (%w); check its permissions", f.Path, err)
	}
	return bytes.Equal(data, f.Data), info, nil
}

// mkdirAll creates dir and its missing parents inside root, returning the
// directories it created (parents first). Existing components must be
// directories; root refuses links that lead outside it.
func mkdirAll(root *os.Root, dir string) ([]string, error) {
	var missing []string
	for d := dir; d != "."; d = path.Dir(d) {
		info, err := root.Lstat(d)
		if errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, d)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot inspect %s (%w); check the permissions of the directory", d, err)
		}
		if !info.IsDir() && info.Mode()&fs.ModeSymlink == 0 {
			return nil, fmt.Errorf("%s is a file where psc-init needs a directory; move it away and run again", d)
		}
		break
	}
	slices.Reverse(missing)
	var made []string
	for _, d := range missing {
		if err := root.Mkdir(d, DirMode); err != nil {
			return made, fmt.Errorf("cannot create directory %s (%w); check free space and permissions", d, err)
		}
		made = append(made, d)
	}
	return made, nil
}

// rollback undoes applied renames (restoring replaced files from their hard
// links, removing created ones), then removes staged files and created
// directories.
func rollback(root *os.Root, steps []*step, createdDirs []string) error {
	var errs []error
	for _, s := range slices.Backward(steps) {
		switch {
		case s.applied && s.backup != "":
			if err := root.Rename(s.backup, s.file.Path); err != nil {
				errs = append(errs, fmt.Errorf("restore %s: %w", s.file.Path, err))
			}
			continue
		case s.applied:
			if err := root.Remove(s.file.Path); err != nil {
				errs = append(errs, fmt.Errorf("remove %s: %w", s.file.Path, err))
			}
		default:
			if err := removeIfExists(root, s.staged); err != nil {
				errs = append(errs, err)
			}
		}
		if s.backup != "" {
			if err := removeIfExists(root, s.backup); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for _, d := range slices.Backward(createdDirs) {
		if err := root.Remove(d); err != nil {
			errs = append(errs, fmt.Errorf("remove directory %s: %w", d, err))
		}
	}
	return errors.Join(errs...)
}

// cleanup removes the hard links kept for rollback after a success.
func cleanup(root *os.Root, steps []*step) error {
	var errs []error
	for _, s := range steps {
		if s.backup != "" {
			if err := removeIfExists(root, s.backup); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("the service was written but temporary copies remain (%w); delete the .psc-init-old-* files", errors.Join(errs...))
	}
	return nil
}

func removeIfExists(root *os.Root, name string) error {
	if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove temporary file %s: %w", name, err)
	}
	return nil
}

// touchedDirs lists the parent directories of the applied steps, once each.
func touchedDirs(steps []*step) []string {
	paths := make([]string, len(steps))
	for i, s := range steps {
		paths[i] = s.file.Path
	}
	return parentDirs(paths)
}
