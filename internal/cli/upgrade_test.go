package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/referential"
)

// TestUpgradeFrom010 upgrades the service psc-init 0.1.0 generated (kept in
// generator/testdata): --check fails and names the catalogue change, the
// upgrade prints the requirement ids added or changed since 1.0.0, and a
// second --check passes.
func TestUpgradeFrom010(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "svc")
	if err := os.CopyFS(dir, os.DirFS("../../generator/testdata/upgrade/from-0.1.0/before")); err != nil {
		t.Fatal(err)
	}
	old, err := referential.LoadVersion("1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	current, err := referential.Load()
	if err != nil {
		t.Fatal(err)
	}
	diff := referential.Compare(old, current)

	code, stdout, stderr := runCLI(t, nil, "upgrade", "--check", dir)
	if code != ExitFailure || !strings.Contains(stderr, "is behind psc-init "+generator.Version) || !strings.HasSuffix(stderr, "; run psc-init upgrade\n") {
		t.Fatalf("upgrade --check = %d, %q", code, stderr)
	}
	if !strings.Contains(stdout, "would update") {
		t.Errorf("--check does not list the files: %q", stdout)
	}
	code, stdout, stderr = runCLI(t, nil, "upgrade", dir)
	if code != ExitOK {
		t.Fatalf("upgrade = %d, %q", code, stderr)
	}
	if !diff.Empty() {
		if !strings.Contains(stdout, "Requirement catalogue 1.0.0 → "+current.Version+":\n") {
			t.Errorf("upgrade does not name the catalogue change:\n%s", stdout)
		}
		for _, id := range append(diff.Added, diff.Changed...) {
			if !strings.Contains(stdout, id) {
				t.Errorf("upgrade does not list requirement %s:\n%s", id, stdout)
			}
		}
	}
	if !strings.Contains(stdout, "Upgraded "+dir+" from psc-init 0.1.0 to "+generator.Version) {
		t.Errorf("no summary:\n%s", stdout)
	}
	if code, stdout, stderr = runCLI(t, nil, "upgrade", "--check", dir); code != ExitOK || !strings.HasPrefix(stdout, "Up to date") {
		t.Errorf("second --check = %d, %q, %q", code, stdout, stderr)
	}
}

func TestPrintRequirements(t *testing.T) {
	var b strings.Builder
	printRequirements(&b, referential.Diff{From: "1.0.0", To: "1.1.0", Added: []string{"PSC-MTLS-01", "PSC-MTLS-02"}, Changed: []string{"PSC-TOK-01"}})
	want := "Requirement catalogue 1.0.0 → 1.1.0:\n  added: PSC-MTLS-01, PSC-MTLS-02\n  changed: PSC-TOK-01\n"
	if b.String() != want {
		t.Errorf("printRequirements =\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	printRequirements(&b, referential.Diff{From: "1.0.0", To: "1.0.0"})
	if b.String() != "" {
		t.Errorf("no change printed %q", b.String())
	}
}

// TestUpgradeRecoversKilledRun: a run killed after moving go.mod aside left
// its journal; --check refuses to read the half-applied tree, upgrade puts
// go.mod back first.
func TestUpgradeRecoversKilledRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "svc")
	if code, _, stderr := runCLI(t, nil, "new", dir, "--module", "example.com/x/svc", "--yes"); code != ExitOK {
		t.Fatalf("new: %s", stderr)
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "go.mod"), filepath.Join(dir, ".go.mod.psc-init-old-X")); err != nil {
		t.Fatal(err)
	}
	staged := filepath.Join(dir, "cmd", ".extra.go.psc-init-new-Y")
	if err := os.WriteFile(staged, []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	journal := `{"committing": true, "steps": [
		{"path": "go.mod", "backup": ".go.mod.psc-init-old-X", "remove": true},
		{"path": "cmd/extra.go", "staged": "cmd/.extra.go.psc-init-new-Y"}]}`
	if err := os.WriteFile(filepath.Join(dir, ".psc-init", "apply-journal.json"), []byte(journal), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, nil, "upgrade", "--check", dir); code != ExitFailure || !strings.Contains(stderr, "an interrupted psc-init run left .psc-init/apply-journal.json") {
		t.Fatalf("--check over a journal = %d, %q", code, stderr)
	}
	code, stdout, stderr := runCLI(t, nil, "upgrade", dir)
	if code != ExitOK || !strings.Contains(stdout, "An interrupted upgrade was undone") {
		t.Fatalf("upgrade = %d, %q, %q", code, stdout, stderr)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "go.mod")); err != nil || string(got) != string(gomod) {
		t.Errorf("go.mod not restored: %v", err)
	}
	if _, err := os.Stat(staged); !os.IsNotExist(err) {
		t.Errorf("staged file left: %v", err)
	}
}
