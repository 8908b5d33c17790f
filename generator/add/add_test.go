package add

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pscinit/psc-init/generator"
)

var update = flag.Bool("update", false, "rewrite testdata/*/after and plan.txt from the actual plans")

// goldenCases are the repositories of testdata with their expected after
// tree: one per framework, a router built outside main, and one with no safe
// insertion point.
var goldenCases = []struct {
	name     string
	wantEdit string // the file add edits ("" when it prints instructions)
}{
	{"nethttp-main", "main.go"},
	{"gin-func", "router.go"},
	{"echo-pkg", "internal/httpapi/api.go"},
	{"fiber-main", "main.go"},
	{"nethttp-nosite", ""},
}

// TestAddGolden plans add on every before tree and compares the user's
// files after the changes (the new packages left out: the generator's own
// golden trees cover their content) and a summary of the plan with
// testdata/<case>/after and plan.txt. It then writes the changes without
// running the verification and checks that a second plan changes nothing.
func TestAddGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyTree(t, filepath.Join("testdata", tc.name, "before"))
			plan, err := NewPlan(context.Background(), Options{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			edited := ""
			if plan.Wiring != nil {
				edited = plan.Wiring.Path
			}
			if edited != tc.wantEdit {
				t.Errorf("edited %q, want %q (instructions: %s)", edited, tc.wantEdit, plan.Instructions)
			}
			if tc.wantEdit == "" && !strings.Contains(plan.Instructions, "pscweb.Mount(") {
				t.Errorf("no edit and no instructions: %q", plan.Instructions)
			}
			after, summary := expectedAfter(t, dir, plan)
			compareGolden(t, filepath.Join("testdata", tc.name), after, summary)

			if err := plan.Apply(context.Background(), dir, nil); err != nil {
				t.Fatalf("apply: %v", err)
			}
			again, err := NewPlan(context.Background(), Options{Dir: dir})
			if err != nil {
				t.Fatalf("second plan: %v", err)
			}
			if len(again.Changes) != 0 {
				t.Errorf("second run would change %d files, first %s", len(again.Changes), again.Changes[0].Path)
			}
			if tc.wantEdit != "" && len(again.AlreadyWired) != 1 {
				t.Errorf("second run sees Mount at %v, want one call", again.AlreadyWired)
			}
		})
	}
}

// expectedAfter returns the user's files as they will be after the plan
// (new packages and manifest excluded) and a summary of the plan.
func expectedAfter(t *testing.T, dir string, plan *Plan) (map[string][]byte, string) {
	t.Helper()
	files := readTree(t, dir)
	var created []string
	generated := func(p string) bool {
		for _, d := range []string{plan.Layout.CoreDir(), plan.Layout.AdapterDir(), plan.Layout.ConformanceDir()} {
			if strings.HasPrefix(p, d+"/") {
				return true
			}
		}
		return p == generator.ManifestPath || p == generator.BasePath
	}
	for _, c := range plan.Changes {
		if generated(c.Path) {
			if c.Exists {
				t.Errorf("%s exists before add", c.Path)
			}
			created = append(created, c.Path)
			continue
		}
		files[c.Path] = c.New
	}
	var b strings.Builder
	if plan.Wiring != nil {
		s := plan.Wiring.Site
		b.WriteString("wired: " + s.Var + " in " + s.Func + " at " + s.File + "\n")
	}
	b.WriteString(plan.Instructions)
	for _, a := range plan.AuthImports {
		b.WriteString("auth: " + a + "\n")
	}
	// The list of new files follows the templates; only its landmarks are
	// pinned here, the generator's golden trees pin the rest.
	for _, want := range []string{plan.Layout.AdapterDir() + "/mount.go", plan.Layout.AdapterDir() + "/routes.go",
		plan.Layout.CoreDir() + "/config.go", plan.Layout.CoreDir() + "/psctest/server.go",
		plan.Layout.ConformanceDir() + "/harness_test.go", generator.ManifestPath, generator.BasePath} {
		if !slices.Contains(created, want) {
			t.Errorf("%s not created", want)
		}
	}
	return files, b.String()
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func compareGolden(t *testing.T, caseDir string, after map[string][]byte, summary string) {
	t.Helper()
	afterDir := filepath.Join(caseDir, "after")
	summaryFile := filepath.Join(caseDir, "plan.txt")
	if *update {
		if err := os.RemoveAll(afterDir); err != nil {
			t.Fatal(err)
		}
		for p, data := range after {
			full := filepath.Join(afterDir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(summaryFile, []byte(summary), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readTree(t, afterDir)
	for _, p := range slices.Sorted(mapKeys(want, after)) {
		switch got, ok := after[p]; {
		case !ok:
			t.Errorf("%s: expected in the after tree, missing", p)
		case want[p] == nil:
			t.Errorf("%s: unexpected in the after tree", p)
		case !bytes.Equal(got, want[p]):
			t.Errorf("%s differs from %s (run go test ./generator/add -run TestAddGolden -update and review the diff)", p, afterDir)
		}
	}
	wantSummary, err := os.ReadFile(summaryFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(wantSummary) != summary {
		t.Errorf("plan summary differs from %s:\n%s", summaryFile, summary)
	}
}

func mapKeys(ms ...map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		seen := map[string]bool{}
		for _, m := range ms {
			for k := range m {
				if !seen[k] {
					seen[k] = true
					if !yield(k) {
						return
					}
				}
			}
		}
	}
}

// TestAddAfterTreesBuildAndPass runs the real add on every golden case: the
// changes are written, then go build, go vet and go test ./... pass in the
// repository (the PSC packages' tests and the Mount tests included), and a
// second run changes nothing. Slow: skipped with -short.
func TestAddAfterTreesBuildAndPass(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests every after tree; run without -short")
	}
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyTree(t, filepath.Join("testdata", tc.name, "before"))
			plan, err := NewPlan(context.Background(), Options{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if err := plan.Apply(context.Background(), dir, DefaultVerify()); err != nil {
				t.Fatal(err)
			}
			again, err := NewPlan(context.Background(), Options{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Changes) != 0 {
				t.Errorf("second run would change %d files", len(again.Changes))
			}
		})
	}
}

// TestAddRollback checks that when the repository's own test fails after
// the changes, every file is restored byte for byte and every new file and
// directory is gone.
func TestAddRollback(t *testing.T) {
	dir := copyTree(t, filepath.Join("testdata", "nethttp-rollback", "before"))
	before := readTree(t, dir)
	plan, err := NewPlan(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Wiring == nil {
		t.Fatalf("no edit planned: %s", plan.Instructions)
	}
	// The repository's own test is what fails; vet builds everything first.
	verify := []Command{{Name: "go", Args: []string{"vet", "./..."}}, {Name: "go", Args: []string{"test", "."}}}
	err = plan.Apply(context.Background(), dir, verify)
	var verr *VerifyError
	if !errors.As(err, &verr) {
		t.Fatalf("apply: %v, want a *VerifyError", err)
	}
	if verr.Command.String() != "go test ." || !strings.Contains(err.Error(), "TestOnlyInvoicesAreServed") || !strings.Contains(err.Error(), "rolled back") {
		t.Errorf("error does not say which command failed and why: %v", err)
	}
	after := readTree(t, dir)
	for p := range mapKeys(before, after) {
		if !bytes.Equal(before[p], after[p]) || (before[p] == nil) != (after[p] == nil) {
			t.Errorf("%s not restored", p)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			t.Errorf("directory %s left behind", e.Name())
		}
	}
}

// TestRefusals checks the setups add does not serve: a clear sentence, and
// nothing written.
func TestRefusals(t *testing.T) {
	tests := []struct {
		name  string
		gomod string // "" means no go.mod
		want  string
	}{
		{"no go.mod", "", "no go.mod in"},
		{"echo v4", "module example.com/x\n\ngo 1.26.0\n\nrequire github.com/labstack/echo/v4 v4.13.4\n", "uses echo v4 and psc-init serves echo v5 only"},
		{"fiber v2", "module example.com/x\n\ngo 1.26.0\n\nrequire github.com/gofiber/fiber/v2 v2.52.9\n", "uses fiber v2 and psc-init serves fiber v3 only"},
		{"two frameworks", "module example.com/x\n\ngo 1.26.0\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.12.0\n\tgithub.com/labstack/echo/v5 v5.4.6\n)\n",
			"requires several web frameworks (github.com/gin-gonic/gin, github.com/labstack/echo/v5)"},
		{"old go", "module example.com/x\n\ngo 1.22\n", "go.mod declares go 1.22 and the PSC core needs go 1.26.0 or later"},
		{"no module line", "go 1.26.0\n", "no module line"},
		{"vendored", "module example.com/x\n\ngo 1.26.0\n", "vendors its dependencies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.gomod != "" {
				if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(tt.gomod), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.name == "vendored" {
				if err := os.MkdirAll(filepath.Join(dir, "vendor"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "vendor", "modules.txt"), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before := readTree(t, dir)
			_, err := NewPlan(context.Background(), Options{Dir: dir})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewPlan: %v, want an error containing %q", err, tt.want)
			}
			if strings.Count(err.Error(), ";") < 1 {
				t.Errorf("error %q does not say how to fix it", err)
			}
			if after := readTree(t, dir); len(after) != len(before) {
				t.Errorf("files written: %v", slices.Collect(mapKeys(after)))
			}
		})
	}
}

// TestDirTaken checks that existing packages are never written into, and
// that --dir moves the packages and their imports.
func TestDirTaken(t *testing.T) {
	dir := copyTree(t, filepath.Join("testdata", "nethttp-main", "before"))
	if err := os.MkdirAll(filepath.Join(dir, "internal", "psc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "internal", "psc", "psc.go"), []byte("package psc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewPlan(context.Background(), Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "internal/psc already exists") {
		t.Fatalf("NewPlan over internal/psc: %v", err)
	}
	plan, err := NewPlan(context.Background(), Options{Dir: dir, PackagesDir: "internal/auth"})
	if err != nil {
		t.Fatal(err)
	}
	var routes, edited []byte
	for _, c := range plan.Changes {
		switch c.Path {
		case "internal/auth/pscweb/routes.go":
			routes = c.New
		case "main.go":
			edited = c.New
		}
	}
	if !bytes.Contains(routes, []byte("package pscweb\n")) || !bytes.Contains(routes, []byte(`"example.com/clinic/agenda/internal/auth/psc"`)) {
		t.Errorf("adapter not moved to internal/auth/pscweb with its imports:\n%.400s", routes)
	}
	if !bytes.Contains(edited, []byte(`"example.com/clinic/agenda/internal/auth/pscweb"`)) {
		t.Errorf("main.go does not import the moved adapter:\n%s", edited)
	}
	if _, err := NewPlan(context.Background(), Options{Dir: dir, PackagesDir: "../out"}); err == nil {
		t.Error("--dir ../out accepted")
	}
}

// TestAddInterrupted checks that an interruption during the verification
// (Ctrl-C cancels the context) rolls every change back.
func TestAddInterrupted(t *testing.T) {
	dir := copyTree(t, filepath.Join("testdata", "nethttp-main", "before"))
	before := readTree(t, dir)
	plan, err := NewPlan(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	// Ctrl-C once every file is in place (the manifest is moved in last),
	// while the check runs.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		manifest := filepath.Join(dir, filepath.FromSlash(generator.ManifestPath))
		for ctx.Err() == nil {
			if _, err := os.Stat(manifest); err == nil {
				cancel()
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	err = plan.Apply(ctx, dir, []Command{{Name: "sleep", Args: []string{"60"}}})
	if err == nil || !strings.Contains(err.Error(), "interrupted during sleep 60; every change was rolled back") {
		t.Fatalf("apply interrupted while checking: %v", err)
	}
	after := readTree(t, dir)
	for p := range mapKeys(before, after) {
		if !bytes.Equal(before[p], after[p]) || (before[p] == nil) != (after[p] == nil) {
			t.Errorf("%s not restored", p)
		}
	}
}

// TestRenderForUpgrade checks that upgrade's Render hook finds the packages
// where add put them and renders what add wrote.
func TestRenderForUpgrade(t *testing.T) {
	dir := copyTree(t, filepath.Join("testdata", "nethttp-main", "before"))
	plan, err := NewPlan(context.Background(), Options{Dir: dir, PackagesDir: "pkg/auth"})
	if err != nil {
		t.Fatal(err)
	}
	var manifest generator.Manifest
	written := map[string][]byte{}
	for _, c := range plan.Changes {
		written[c.Path] = c.New
		if c.Path == generator.ManifestPath {
			if manifest, err = generator.ParseManifest(c.New); err != nil {
				t.Fatal(err)
			}
		}
	}
	if manifest.Mode != generator.ModeAdd {
		t.Fatalf("manifest mode %q, want %q", manifest.Mode, generator.ModeAdd)
	}
	files, err := RenderForUpgrade(plan.Spec, manifest)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(manifest.Files) {
		t.Errorf("rendered %d files, the manifest lists %d", len(files), len(manifest.Files))
	}
	for _, f := range files {
		if !bytes.Equal(f.Data, written[f.Path]) {
			t.Errorf("%s: rendered content differs from what add writes", f.Path)
		}
	}
	if _, err := RenderForUpgrade(plan.Spec, generator.Manifest{}); err == nil {
		t.Error("RenderForUpgrade without add's files succeeded")
	}
}
