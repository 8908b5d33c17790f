package add

import (
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportEdits checks where imports land in the layouts Go files have.
func TestImportEdits(t *testing.T) {
	const adapter = "example.com/x/internal/pscweb"
	tests := []struct {
		name, src, want string
	}{
		{
			"std and local groups",
			"package p\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/x/internal/store\"\n)\n",
			"package p\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\n\t\"example.com/x/internal/pscweb\"\n\t\"example.com/x/internal/store\"\n)\n",
		},
		{
			"std only",
			"package p\n\nimport (\n\t\"net/http\" // the router\n)\n",
			"package p\n\nimport (\n\t\"fmt\"\n\t\"net/http\" // the router\n\n\t\"example.com/x/internal/pscweb\"\n)\n",
		},
		{
			"third party only",
			"package p\n\nimport (\n\t\"github.com/gin-gonic/gin\"\n)\n",
			"package p\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/gin-gonic/gin\"\n\n\t\"example.com/x/internal/pscweb\"\n)\n",
		},
		{
			"single import line",
			"package p\n\nimport \"net/http\"\n",
			"package p\n\nimport \"net/http\"\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/x/internal/pscweb\"\n)\n",
		},
		{
			"no imports",
			"// Package p.\npackage p\n\nvar x = 1\n",
			"// Package p.\npackage p\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/x/internal/pscweb\"\n)\n\nvar x = 1\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "p.go", tt.src, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			edits, err := importEdits(fset.File(f.Pos()), f, []byte(tt.src), []string{"fmt", adapter}, modulePrefix(adapter))
			if err != nil {
				t.Fatal(err)
			}
			out, err := format.Source(applyEdits([]byte(tt.src), edits))
			if err != nil {
				t.Fatalf("edited file does not parse: %v", err)
			}
			if string(out) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out, tt.want)
			}
		})
	}
}

// TestCheckClean checks the dirty-tree refusal on a real git repository.
func TestCheckClean(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed; CI must install it to test the dirty-tree refusal")
		}
		t.Skip("git is not installed: the dirty-tree refusal is not tested")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(git, append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.test", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.test")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if err := CheckClean(t.Context(), dir); err != nil {
		t.Fatalf("directory outside git refused: %v", err)
	}
	run("init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo 1.26.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckClean(t.Context(), dir); err == nil || !strings.Contains(err.Error(), "--allow-dirty") {
		t.Fatalf("untracked go.mod: %v, want a refusal naming --allow-dirty", err)
	}
	run("add", "go.mod")
	run("commit", "-q", "-m", "init")
	if err := CheckClean(t.Context(), dir); err != nil {
		t.Fatalf("clean tree refused: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/y\n\ngo 1.26.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckClean(t.Context(), dir); err == nil || !strings.Contains(err.Error(), "uncommitted changes") {
		t.Fatalf("modified go.mod: %v, want a refusal", err)
	}
}

// writeModule writes a stdlib-only module with main.go = src into a new
// temporary directory.
func writeModule(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{"go.mod": "module example.com/m\n\ngo 1.26.0\n", "main.go": src} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestWiringDecisions checks where add edits and where it prints
// instructions instead, on small net/http modules.
func TestWiringDecisions(t *testing.T) {
	tests := []struct {
		name string
		src  string
		// wantEdit is a line the edit must insert; wantWhy a piece of the
		// instructions when no edit is made.
		wantEdit, wantWhy string
	}{
		{
			name:     "method returning a struct, a router and an error",
			src:      "package main\n\nimport \"net/http\"\n\ntype cfg struct{ n int }\n\ntype srv struct{}\n\nfunc (s *srv) routes() (cfg, *http.ServeMux, error) {\n\tvar mux = http.NewServeMux()\n\treturn cfg{}, mux, nil\n}\n\nfunc main() { _, _, _ = (&srv{}).routes() }\n",
			wantEdit: "\t\treturn cfg{}, nil, fmt.Errorf(\"mount Pro Santé Connect login: %w\", err)\n",
		},
		{
			name:     "composite literal in a func literal returning error",
			src:      "package main\n\nimport \"net/http\"\n\nfunc main() {\n\tbuild := func() error {\n\t\tmux := &http.ServeMux{}\n\t\t_ = mux\n\t\treturn nil\n\t}\n\t_ = build()\n}\n",
			wantEdit: "\t\tif err := pscweb.Mount(mux, pscweb.Options{}); err != nil {\n\t\t\treturn fmt.Errorf(",
		},
		{
			name:    "two routers",
			src:     "package main\n\nimport \"net/http\"\n\nfunc main() {\n\tpublic := http.NewServeMux()\n\tadmin := http.NewServeMux()\n\t_, _ = public, admin\n}\n",
			wantWhy: "2 places construct a *http.ServeMux and psc-init does not guess which one serves the users",
		},
		{
			name:    "router built by a helper it returns",
			src:     "package main\n\nimport \"net/http\"\n\nfunc newMux() *http.ServeMux { return http.NewServeMux() }\n\nfunc main() { _ = newMux() }\n",
			wantWhy: "no *http.ServeMux is constructed in the module's code",
		},
		{
			name:    "package-level router",
			src:     "package main\n\nimport \"net/http\"\n\nvar mux = http.NewServeMux()\n\nfunc main() { _ = mux }\n",
			wantWhy: "no *http.ServeMux is constructed in the module's code",
		},
		{
			name:    "name taken",
			src:     "package main\n\nimport \"net/http\"\n\nfunc routes() (*http.ServeMux, error) {\n\tfmt := \"x\"\n\tmux := http.NewServeMux()\n\t_ = fmt\n\treturn mux, nil\n}\n\nfunc main() { _, _ = routes() }\n",
			wantWhy: "the name fmt is already declared where mux is built",
		},
		{
			name:    "constructed in an if statement",
			src:     "package main\n\nimport \"net/http\"\n\nfunc routes() (*http.ServeMux, error) {\n\tif mux := http.NewServeMux(); mux != nil {\n\t\treturn mux, nil\n\t}\n\treturn nil, nil\n}\n\nfunc main() { _, _ = routes() }\n",
			wantWhy: "mux is constructed inside another statement in routes",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeModule(t, tt.src)
			plan, err := NewPlan(t.Context(), Options{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantEdit != "" {
				if plan.Wiring == nil {
					t.Fatalf("no edit: %s", plan.Instructions)
				}
				if !strings.Contains(string(plan.Wiring.New), tt.wantEdit) {
					t.Errorf("edit lacks %q:\n%s", tt.wantEdit, plan.Wiring.New)
				}
				if _, err := format.Source(plan.Wiring.New); err != nil {
					t.Errorf("edited file does not parse: %v", err)
				}
				return
			}
			if plan.Wiring != nil {
				t.Fatalf("edited %s, want instructions", plan.Wiring.Path)
			}
			if !strings.Contains(plan.Instructions, tt.wantWhy) || !strings.Contains(plan.Instructions, "pscweb.Mount(") {
				t.Errorf("instructions %q lack %q", plan.Instructions, tt.wantWhy)
			}
		})
	}
}
