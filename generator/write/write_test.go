package write

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pscinit/psc-init/generator"
)

func testFiles() generator.Files {
	return generator.Files{
		{Path: ".gitignore", Data: []byte("/server\n"), Mode: 0o644},
		{Path: generator.ManifestPath, Data: []byte("{}\n"), Mode: 0o644},
		{Path: "README.md", Data: []byte("# svc\n"), Mode: 0o644, Owner: generator.OwnerUser},
		{Path: "cmd/server/main.go", Data: []byte("package main\n"), Mode: 0o644},
		{Path: "go.mod", Data: []byte("module example.com/svc\n"), Mode: 0o644},
		{Path: "internal/psc/psc.go", Data: []byte("package psc\n"), Mode: 0o644},
	}
}

// snapshot maps every entry under dir to its content ("<dir>" for directories,
// "-> target" for links).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			out[rel] = "-> " + target
			return err
		case d.IsDir():
			out[rel] = "<dir>"
		default:
			data, err := os.ReadFile(p)
			out[rel] = string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("snapshot %s: %v", dir, err)
	}
	return out
}

func assertTree(t *testing.T, dir string, files generator.Files, extra map[string]string) {
	t.Helper()
	got := snapshot(t, dir)
	for _, f := range files {
		p := filepath.FromSlash(f.Path)
		if got[p] != string(f.Data) {
			t.Errorf("%s = %q, want %q", f.Path, got[p], f.Data)
		}
		info, err := os.Stat(filepath.Join(dir, p))
		if err == nil && info.Mode().Perm() != 0o644 {
			t.Errorf("%s mode = %v, want 0644", f.Path, info.Mode().Perm())
		}
	}
	for p, want := range extra {
		if got[p] != want {
			t.Errorf("%s = %q, want %q", p, got[p], want)
		}
	}
	for p := range got {
		if strings.Contains(p, ".psc-init-") {
			t.Errorf("temporary file %s left behind", p)
		}
	}
}

func TestNewDirMissing(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "a", "svc")
	res, err := NewDir(dir, testFiles(), false)
	if err != nil {
		t.Fatalf("NewDir: %v", err)
	}
	assertTree(t, dir, testFiles(), nil)
	if len(res.Created) != len(testFiles()) || len(res.Replaced)+len(res.Unchanged) != 0 {
		t.Errorf("Result = %+v", res)
	}
	if res.Created[len(res.Created)-1] != generator.ManifestPath {
		t.Errorf("manifest not written last: %q", res.Created)
	}
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm() != DirMode {
		t.Errorf("dir mode = %v, %v; want %v", info.Mode().Perm(), err, DirMode)
	}
	entries, _ := os.ReadDir(filepath.Join(parent, "a"))
	if len(entries) != 1 {
		t.Errorf("parent holds %d entries, want only the service (no temporary directory)", len(entries))
	}
}

func TestNewDirEmpty(t *testing.T) {
	dir := t.TempDir()
	res, err := NewDir(dir, testFiles(), false)
	if err != nil {
		t.Fatalf("NewDir: %v", err)
	}
	assertTree(t, dir, testFiles(), nil)
	if len(res.Created) != len(testFiles()) {
		t.Errorf("Created = %q", res.Created)
	}
}

func TestNewDirRefusesNonEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	_, err := NewDir(dir, testFiles(), false)
	var ne *NotEmptyError
	if !errors.As(err, &ne) {
		t.Fatalf("NewDir error = %v, want *NotEmptyError", err)
	}
	want := "directory " + dir + " is not empty; choose an empty directory or pass --force to replace generated files"
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if after := snapshot(t, dir); !maps.Equal(before, after) {
		t.Errorf("directory changed: %v", after)
	}
}

func TestNewDirForceKeepsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "notes.txt"), "mine")
	mustWrite(t, filepath.Join(dir, "go.mod"), "module old\n")
	mustWrite(t, filepath.Join(dir, ".gitignore"), "/server\n")
	mustWrite(t, filepath.Join(dir, "internal", "psc", "custom.go"), "package psc // mine\n")

	res, err := NewDir(dir, testFiles(), true)
	if err != nil {
		t.Fatalf("NewDir: %v", err)
	}
	assertTree(t, dir, testFiles(), map[string]string{
		"notes.txt": "mine",
		filepath.Join("internal", "psc", "custom.go"): "package psc // mine\n",
	})
	if !slices.Equal(res.Replaced, []string{"go.mod"}) || !slices.Equal(res.Unchanged, []string{".gitignore"}) {
		t.Errorf("Result = %+v, want go.mod replaced and .gitignore unchanged", res)
	}
	if res.Created[len(res.Created)-1] != generator.ManifestPath {
		t.Errorf("manifest not last: %q", res.Created)
	}
}

// TestNewDirFailureKeepsPreviousState fails after some files are already in
// place and checks the directory is exactly as before.
func TestNewDirFailureKeepsPreviousState(t *testing.T) {
	for _, failAt := range []string{"README.md", "go.mod", generator.ManifestPath} {
		t.Run(failAt, func(t *testing.T) {
			dir := t.TempDir()
			mustWrite(t, filepath.Join(dir, "notes.txt"), "mine")
			mustWrite(t, filepath.Join(dir, "go.mod"), "module old\n")
			before := snapshot(t, dir)
			var order []string
			h := hooks{beforeCommit: func(p string) error {
				order = append(order, p)
				if p == failAt {
					return errors.New("disk on fire")
				}
				return nil
			}}
			_, err := newDir(dir, testFiles(), true, h)
			if err == nil || !strings.Contains(err.Error(), "disk on fire") {
				t.Fatalf("newDir error = %v, want the injected failure", err)
			}
			if after := snapshot(t, dir); !maps.Equal(before, after) {
				t.Errorf("directory changed after a failed write:\nbefore %v\nafter  %v", before, after)
			}
			if slices.Contains(order[:len(order)-1], generator.ManifestPath) {
				t.Errorf("manifest committed before other files: %q", order)
			}
		})
	}
}

func TestNewDirFailureLeavesNoTree(t *testing.T) {
	for _, hook := range []hooks{
		{beforeStage: func(p string) error {
			if p == "go.mod" {
				return errors.New("disk on fire")
			}
			return nil
		}},
		{beforeCommit: func(string) error { return errors.New("disk on fire") }},
	} {
		parent := t.TempDir()
		dir := filepath.Join(parent, "svc")
		if _, err := newDir(dir, testFiles(), false, hook); err == nil {
			t.Fatal("newDir succeeded, want the injected failure")
		}
		if entries, _ := os.ReadDir(parent); len(entries) != 0 {
			t.Errorf("parent holds %v after a failed write, want nothing", entries)
		}
	}
}

func TestNewDirRealFailureRollsBack(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "go.mod"), "module old\n")
	// A non-empty directory where a file must go: found before anything moves.
	mustWrite(t, filepath.Join(dir, "internal", "psc", "psc.go", "keep"), "x")
	before := snapshot(t, dir)
	_, err := NewDir(dir, testFiles(), true)
	if err == nil || !strings.Contains(err.Error(), "internal/psc/psc.go is a directory") {
		t.Fatalf("NewDir error = %v, want the directory conflict named", err)
	}
	if after := snapshot(t, dir); !maps.Equal(before, after) {
		t.Errorf("directory changed:\nbefore %v\nafter  %v", before, after)
	}
}

func TestNewDirRefusesBadTargets(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "file")
	mustWrite(t, file, "x")
	if _, err := NewDir(file, testFiles(), true); err == nil || !strings.Contains(err.Error(), "is a file, not a directory") {
		t.Errorf("NewDir(file) error = %v", err)
	}
	for _, p := range []string{"../escape.go", "/abs.go", "a/../../b", "", "./x", `a\b`} {
		files := generator.Files{{Path: p, Data: []byte("x")}}
		dir := filepath.Join(parent, "svc")
		if _, err := NewDir(dir, files, false); err == nil || !strings.Contains(err.Error(), "is not a clean relative path") {
			t.Errorf("NewDir with path %q error = %v", p, err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("NewDir with path %q created %s", p, dir)
		}
	}
	clash := generator.Files{{Path: "a", Data: []byte("x")}, {Path: "a/b", Data: []byte("y")}}
	if _, err := NewDir(filepath.Join(parent, "clash"), clash, false); err == nil || !strings.Contains(err.Error(), "both a file and a directory") {
		t.Errorf("NewDir(clash) error = %v", err)
	}
}

func TestNewDirDoesNotFollowLinksOut(t *testing.T) {
	outside := t.TempDir()
	dir := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "internal")); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(dir, "notes.txt"), "mine")
	before := snapshot(t, dir)
	if _, err := NewDir(dir, testFiles(), true); err == nil {
		t.Fatal("NewDir wrote through a link leading out of the directory")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("files written outside the directory: %v", entries)
	}
	if after := snapshot(t, dir); !maps.Equal(before, after) {
		t.Errorf("directory changed:\nbefore %v\nafter  %v", before, after)
	}
}

func TestNewDirReplacesLinkedFileWithoutFollowing(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "target")
	mustWrite(t, outside, "outside")
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "notes.txt"), "mine")
	if err := os.Symlink(outside, filepath.Join(dir, "go.mod")); err != nil {
		t.Fatal(err)
	}
	if _, err := NewDir(dir, testFiles(), true); err != nil {
		t.Fatalf("NewDir: %v", err)
	}
	assertTree(t, dir, testFiles(), nil)
	if data, _ := os.ReadFile(outside); string(data) != "outside" {
		t.Errorf("link target changed to %q", data)
	}
}

func mustWrite(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestNewDirForceKeepsPermissions checks that new --force keeps the mode of
// the files it replaces.
func TestNewDirForceKeepsPermissions(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "go.mod"), "module old\n")
	if err := os.Chmod(filepath.Join(dir, "go.mod"), 0o750); err != nil {
		t.Fatal(err)
	}
	if _, err := NewDir(dir, testFiles(), true); err != nil {
		t.Fatalf("NewDir: %v", err)
	}
	info, err := os.Stat(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o750 {
		t.Errorf("go.mod: mode %v, want 0750", got)
	}
}
