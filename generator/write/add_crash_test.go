package write_test

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/generator/add"
	"github.com/pscinit/psc-init/generator/write"
)

// TestAddCrashAtEveryStep applies the real change of `psc-init add` to a
// repository and kills it (a panic skips every clean-up, as SIGKILL would)
// before each staged write and before each move into place, then runs
// Recover: the tree must be exactly the one before. Killed only after Keep
// has recorded the change as final, Recover must give the exact after tree.
func TestAddCrashAtEveryStep(t *testing.T) {
	src := filepath.Join("..", "add", "testdata", "nethttp-main", "before")
	plan, err := add.NewPlan(context.Background(), add.Options{Dir: copyDir(t, src)})
	if err != nil {
		t.Fatal(err)
	}
	var files generator.Files
	for _, c := range plan.Changes {
		files = append(files, generator.File{Path: c.Path, Data: c.New, Mode: 0o644})
	}
	before := tree(t, copyDir(t, src))

	// A run that is not killed gives the order of the steps and the after tree.
	dir := copyDir(t, src)
	var steps []string
	record := func(p string) error { steps = append(steps, p); return nil }
	p, err := write.ApplyPendingHooked(dir, files, nil, nil, record)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Keep(); err != nil {
		t.Fatal(err)
	}
	after := tree(t, dir)
	if len(steps) != len(plan.Changes) || steps[len(steps)-1] != generator.ManifestPath {
		t.Fatalf("steps = %q, want one per change, the manifest last", steps)
	}

	type crash struct{}
	for _, phase := range []string{"stage", "commit"} {
		for _, at := range crashSteps(plan, steps) {
			dir := copyDir(t, src)
			die := func(p string) error {
				if p == at {
					panic(crash{})
				}
				return nil
			}
			func() {
				defer func() {
					if r := recover(); r != (crash{}) {
						t.Fatalf("%s %s: did not die (recovered %v)", phase, at, r)
					}
				}()
				if phase == "stage" {
					_, _ = write.ApplyPendingHooked(dir, files, nil, die, nil)
				} else {
					_, _ = write.ApplyPendingHooked(dir, files, nil, nil, die)
				}
			}()
			recovered, kept, err := write.Recover(dir)
			if err != nil || !recovered || kept {
				t.Fatalf("%s %s: Recover = %v, %v, %v; want undone", phase, at, recovered, kept, err)
			}
			if got := tree(t, dir); !maps.Equal(got, before) {
				t.Errorf("%s %s: tree after recovery differs from the tree before (%d entries, want %d)", phase, at, len(got), len(before))
			}
		}
	}

	// Killed during the checks: every file in place, still undone.
	dir = copyDir(t, src)
	if _, err := write.ApplyPendingHooked(dir, files, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if recovered, kept, err := write.Recover(dir); err != nil || !recovered || kept {
		t.Fatalf("killed while checking: Recover = %v, %v, %v; want undone", recovered, kept, err)
	}
	if got := tree(t, dir); !maps.Equal(got, before) {
		t.Errorf("killed while checking: tree after recovery differs from the tree before")
	}
	if got := tree(t, dir); maps.Equal(got, after) {
		t.Fatal("the before and after trees are the same; the test checks nothing")
	}
}

// crashSteps returns every step, or with -short (each kill re-applies
// about a hundred synced files) one step of each kind: the first and the
// last new file, every replaced file and the manifest. The kinds of step
// are all covered by the tests of a small change in this package.
func crashSteps(plan *add.Plan, steps []string) []string {
	if !testing.Short() {
		return steps
	}
	exists := map[string]bool{}
	for _, c := range plan.Changes {
		exists[c.Path] = c.Exists
	}
	var out, created []string
	for _, p := range steps {
		if exists[p] || p == generator.ManifestPath {
			out = append(out, p)
		} else {
			created = append(created, p)
		}
	}
	if len(created) > 0 {
		out = append(out, created[0], created[len(created)-1])
	}
	return out
}

// copyDir copies src into a new temporary directory and returns it.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
	return dst
}

// tree maps every entry of dir to its content ("<dir>" for directories)
// and permission bits.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[filepath.ToSlash(rel)] = "<dir> " + info.Mode().String()
			return nil
		}
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = info.Mode().String() + " " + string(data)
		return err
	})
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	return out
}
