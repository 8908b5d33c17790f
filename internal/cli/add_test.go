package cli

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyRepo copies a before tree of generator/add's testdata into a new
// temporary directory.
func copyRepo(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "..", "generator", "add", "testdata", name, "before")
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// snapshot returns every file of dir with its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		out[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAddDryRunWritesNothing(t *testing.T) {
	dir := copyRepo(t, "gin-func")
	before := snapshot(t, dir)
	code, stdout, stderr := runCLI(t, nil, "add", dir, "--dry-run")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"Module example.com/pharmacy/stock, go 1.26.0, framework gin (github.com/gin-gonic/gin).\n",
		"--- a/router.go\n+++ b/router.go\n",
		"+\tif err := pscweb.Mount(r, pscweb.Options{}); err != nil {\n",
		"+\t\treturn nil, fmt.Errorf(\"mount Pro Santé Connect login: %w\", err)\n",
		"--- /dev/null\n+++ b/internal/pscweb/mount.go\n",
		"--- a/go.mod\n+++ b/go.mod\n",
		"Wired: pscweb.Mount(r, ...) after r is constructed at router.go:15 (in newRouter).\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	if !strings.Contains(stdout, "nothing written.\n") {
		t.Errorf("stdout does not say nothing was written")
	}
	after := snapshot(t, dir)
	if len(after) != len(before) {
		t.Fatalf("dry run wrote files: %d before, %d after", len(before), len(after))
	}
	for p, data := range before {
		if after[p] != data {
			t.Errorf("dry run changed %s", p)
		}
	}
}

func TestAddPrintsInstructionsWhenNoSafePlace(t *testing.T) {
	dir := copyRepo(t, "nethttp-nosite")
	code, stdout, stderr := runCLI(t, nil, "add", dir, "--dry-run")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"Existing session or authentication code: example.com/radiology/viewer imports golang.org/x/oauth2;",
		"psc-init did not edit your code: routes builds mux but returns no error and is not main.\n",
		"\tif err := pscweb.Mount(mux, pscweb.Options{}); err != nil {\n",
		"and import \"example.com/radiology/viewer/internal/pscweb\"",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "+++ b/main.go") {
		t.Error("main.go is edited although there is no safe place")
	}
}

// TestAddTwice runs the real add (build, vet and tests of the repository
// included), then again: the second run changes nothing. Slow: skipped with
// -short.
func TestAddTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build, vet and test in the repository; run without -short")
	}
	dir := copyRepo(t, "nethttp-main")
	code, stdout, stderr := runCLI(t, nil, "add", dir)
	if code != ExitOK {
		t.Fatalf("first add: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Added PSC login: ") || !strings.Contains(stdout, "go build, go vet and go test pass") {
		t.Errorf("first add output: %s", stdout)
	}
	main, err := os.ReadFile(filepath.Join(dir, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(main, []byte("pscweb.Mount(mux, pscweb.Options{})")) {
		t.Errorf("main.go not wired:\n%s", main)
	}
	before := snapshot(t, dir)
	code, stdout, stderr = runCLI(t, nil, "add", dir)
	if code != ExitOK {
		t.Fatalf("second add: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "PSC login is already added (Mount called at main.go:17); nothing changed.") {
		t.Errorf("second add output: %s", stdout)
	}
	after := snapshot(t, dir)
	for p, data := range before {
		if after[p] != data {
			t.Errorf("second add changed %s", p)
		}
	}
}
