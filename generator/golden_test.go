package generator_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/referential"
)

// update rewrites the golden trees from the current templates: go test ./generator -update
var update = flag.Bool("update", false, "rewrite golden/*/tree from the current templates")

// goldenRoot holds one directory per case: answers.yaml and tree/, the complete expected service.
const goldenRoot = "../golden"

type goldenCase struct {
	name string
	dir  string
}

func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	entries, err := os.ReadDir(goldenRoot)
	if err != nil {
		t.Fatalf("read golden cases: %v", err)
	}
	var cases []goldenCase
	for _, e := range entries {
		if e.IsDir() {
			cases = append(cases, goldenCase{name: e.Name(), dir: filepath.Join(goldenRoot, e.Name())})
		}
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases under golden/")
	}
	return cases
}

func generateCase(t *testing.T, c goldenCase) generator.Files {
	t.Helper()
	answers, err := generator.LoadAnswersFile(filepath.Join(c.dir, "answers.yaml"))
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	spec, err := generator.NewSpec(answers)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	files, err := generator.Generate(spec)
	if err != nil {
		t.Fatalf("%s: generate: %v", c.name, err)
	}
	return files
}

// readTree returns every regular file below root, keyed by slash path.
func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	tree := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		tree[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatalf("read %s: %v", root, err)
	}
	return tree
}

func writeTree(t *testing.T, root string, files generator.Files) {
	t.Helper()
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		path := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, f.Mode); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGolden compares every generated file with the committed tree: any difference, missing file or
// unexpected file fails.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			files := generateCase(t, c)
			treeDir := filepath.Join(c.dir, "tree")
			if *update {
				writeTree(t, treeDir, files)
			}
			onDisk := readTree(t, treeDir)
			for _, f := range files {
				want, ok := onDisk[f.Path]
				switch {
				case !ok:
					t.Errorf("%s: missing from golden tree (run go test ./generator -update)", f.Path)
				case !bytes.Equal(want, f.Data):
					t.Errorf("%s: differs from golden tree (run go test ./generator -update and review the diff)\n%s", f.Path, firstDifference(want, f.Data))
				}
				delete(onDisk, f.Path)
			}
			for path := range onDisk {
				t.Errorf("%s: in the golden tree but no longer generated", path)
			}
		})
	}
}

func firstDifference(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  golden:    %q\n  generated: %q", i+1, w, g)
		}
	}
	return "(same lines, different line endings)"
}

var testFuncPattern = regexp.MustCompile(`(?m)^func (Test[A-Za-z0-9_]+)\(t \*testing\.T\)`)

// TestEveryRequirementHasAGeneratedTest fails when a catalogue requirement names a test that the
// generated conformance suite does not contain, or when a conformance test proves no requirement.
func TestEveryRequirementHasAGeneratedTest(t *testing.T) {
	catalogue, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	full := catalogue
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			files := generateCase(t, c)
			// A requirement limited to some answers (when:) is proved only
			// in the services generated with them.
			answers, err := generator.LoadAnswersFile(filepath.Join(c.dir, "answers.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			spec, err := generator.NewSpec(answers)
			if err != nil {
				t.Fatal(err)
			}
			catalogue := full.For(spec.Answers())
			defined := map[string]string{}
			for _, f := range files {
				if !strings.HasPrefix(f.Path, "conformance/") || !strings.HasSuffix(f.Path, "_test.go") {
					continue
				}
				for _, m := range testFuncPattern.FindAllSubmatch(f.Data, -1) {
					defined[string(m[1])] = f.Path
				}
			}
			for _, r := range catalogue.Requirements {
				for _, name := range r.Tests {
					if _, ok := defined[name]; !ok {
						t.Errorf("requirement %s names %s, which the generated conformance suite does not define", r.ID, name)
					}
				}
			}
			named := catalogue.TestNames()
			for name, path := range defined {
				if _, found := slices.BinarySearch(named, name); !found {
					t.Errorf("%s defines %s, which proves no catalogue requirement: add it to referential/catalogue.yaml or fold it into another test", path, name)
				}
			}
		})
	}
}

// TestGoldenTreesBuildAndPass builds, vets and tests every golden tree with the go.mod and go.sum
// psc-init wrote, so a golden can never be a service that does not work. It needs the modules in the
// module cache (CI downloads them through the proxy) and is skipped with -short.
//
// Each go command is bounded by what is left of this test binary's deadline (commandBudget), and go
// test gets a -timeout inside that:
// a tree whose tests hang then fails with its own goroutine dump and the name of its running test,
// instead of this binary timing out with nothing but its own stacks.
func TestGoldenTreesBuildAndPass(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests every golden tree; run without -short")
	}
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(c.dir, "tree")
			for _, args := range [][]string{
				{"build", "./..."},
				{"vet", "./..."},
				{"test", "-count=1", "./..."},
			} {
				budget := commandBudget(t)
				if args[0] == "test" {
					args = append([]string{"test", "-timeout=" + budget.String()}, args[1:]...)
					// go test's own build, and the panic output of a timed-out binary, come on top.
					budget += 30 * time.Second
				}
				ctx, cancel := context.WithTimeout(t.Context(), budget)
				cmd := exec.CommandContext(ctx, "go", args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOWORK=off")
				// A killed go command may leave a test binary holding the
				// output pipe; WaitDelay bounds the wait for it.
				cmd.WaitDelay = 10 * time.Second
				start := time.Now()
				out, err := cmd.CombinedOutput()
				cancel()
				if err != nil {
					t.Fatalf("go %s in %s failed after %s: %v\n%s\n%s", strings.Join(args, " "), dir,
						time.Since(start).Round(time.Second), err, out, failureSummary(out))
				}
				if args[0] == "test" {
					t.Logf("go test in %s (%s):\n%s", dir, time.Since(start).Round(time.Second), out)
				}
			}
		})
	}
}

// commandBudget is the time one go command in a golden tree may take: what is
// left before this test binary's deadline, less a margin for reporting, and at
// most ten minutes.
func commandBudget(t *testing.T) time.Duration {
	const most, margin = 10 * time.Minute, 45 * time.Second
	deadline, ok := t.Deadline()
	if !ok {
		return most
	}
	return max(min(time.Until(deadline)-margin, most), 10*time.Second)
}

// failureSummary repeats, after a long output, the lines that say what failed:
// a timed-out test binary names its running tests right after the panic line.
func failureSummary(out []byte) string {
	var b strings.Builder
	lines := strings.Split(string(out), "\n")
	for i, line := range lines {
		switch {
		case strings.HasPrefix(strings.TrimSpace(line), "--- FAIL"), strings.HasPrefix(line, "FAIL"):
			fmt.Fprintln(&b, line)
		case strings.HasPrefix(line, "panic: "):
			fmt.Fprintln(&b, line)
			for _, next := range lines[i+1 : min(i+12, len(lines))] {
				if next == "" || strings.HasPrefix(next, "goroutine ") {
					break
				}
				fmt.Fprintln(&b, next)
			}
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "summary:\n" + b.String()
}
