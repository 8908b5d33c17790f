package write

import (
	"context"
	"encoding/json"
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

func upgradeFiles() generator.Files {
	return generator.Files{
		{Path: generator.BasePath, Data: []byte("base v2\n")},
		{Path: generator.ManifestPath, Data: []byte("{\"v\": 2}\n")},
		{Path: "go.mod", Data: []byte("module example.com/svc // v2\n")},
		{Path: "internal/new/new.go", Data: []byte("package new\n")},
	}
}

func oldTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, ".psc-init", "manifest.json"), "{\"v\": 1}\n")
	mustWrite(t, filepath.Join(dir, ".psc-init", "base.txtar"), "base v1\n")
	mustWrite(t, filepath.Join(dir, "go.mod"), "module example.com/svc\n")
	mustWrite(t, filepath.Join(dir, "internal", "legacy", "legacy.go"), "package legacy\n")
	mustWrite(t, filepath.Join(dir, "notes.txt"), "mine")
	return dir
}

func TestApply(t *testing.T) {
	dir := oldTree(t)
	var order []string
	h := hooks{beforeCommit: func(p string) error { order = append(order, p); return nil }}
	res, err := apply(dir, upgradeFiles(), []string{"internal/legacy/legacy.go"}, h)
	if err != nil {
		t.Fatal(err)
	}
	got := snapshot(t, dir)
	want := map[string]string{
		".": "<dir>", ".psc-init": "<dir>", ".psc-init/base.txtar": "base v2\n", ".psc-init/manifest.json": "{\"v\": 2}\n",
		"go.mod": "module example.com/svc // v2\n", "internal": "<dir>",
		"internal/new": "<dir>", "internal/new/new.go": "package new\n", "notes.txt": "mine",
	}
	if !maps.Equal(got, want) {
		t.Errorf("tree = %v\nwant %v", got, want)
	}
	wantOrder := []string{"go.mod", "internal/new/new.go", "internal/legacy/legacy.go", generator.BasePath, generator.ManifestPath}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("commit order = %q, want %q (records last)", order, wantOrder)
	}
	if !slices.Equal(res.Removed, []string{"internal/legacy/legacy.go"}) {
		t.Errorf("Removed = %q", res.Removed)
	}
}

// TestApplyFailureKeepsOldState fails at every commit step, removal and
// records included, and requires the exact previous tree.
func TestApplyFailureKeepsOldState(t *testing.T) {
	for _, failAt := range []string{"go.mod", "internal/new/new.go", "internal/legacy/legacy.go", generator.BasePath, generator.ManifestPath} {
		t.Run(failAt, func(t *testing.T) {
			dir := oldTree(t)
			before := snapshot(t, dir)
			h := hooks{beforeCommit: func(p string) error {
				if p == failAt {
					return errors.New("disk on fire")
				}
				return nil
			}}
			_, err := apply(dir, upgradeFiles(), []string{"internal/legacy/legacy.go"}, h)
			if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), "nothing was changed") {
				t.Fatalf("apply error = %v", err)
			}
			if after := snapshot(t, dir); !maps.Equal(before, after) {
				t.Errorf("tree changed after a failed apply:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

func TestApplyCancelled(t *testing.T) {
	dir := oldTree(t)
	before := snapshot(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Apply(ctx, dir, upgradeFiles(), nil)
	var interrupted *InterruptedError
	if !errors.As(err, &interrupted) {
		t.Fatalf("Apply = %v, want *InterruptedError", err)
	}
	if after := snapshot(t, dir); !maps.Equal(before, after) {
		t.Errorf("tree changed after a cancelled apply")
	}
}

// crashAt applies the upgrade files to dir and "dies" (a panic skips every
// clean-up, as a kill would) just before committing failAt.
func crashAt(t *testing.T, dir, failAt string) {
	t.Helper()
	type crash struct{}
	defer func() {
		if r := recover(); r != (crash{}) {
			t.Fatalf("apply did not reach %s (recovered %v)", failAt, r)
		}
	}()
	h := hooks{beforeCommit: func(p string) error {
		if p == failAt {
			panic(crash{})
		}
		return nil
	}}
	_, _ = apply(dir, upgradeFiles(), []string{"internal/legacy/legacy.go"}, h)
}

// TestRecoverAfterCrash kills an apply at every commit step and checks that
// Recover puts the previous tree back exactly.
func TestRecoverAfterCrash(t *testing.T) {
	for _, failAt := range []string{"go.mod", "internal/new/new.go", "internal/legacy/legacy.go", generator.BasePath, generator.ManifestPath} {
		t.Run(failAt, func(t *testing.T) {
			dir := oldTree(t)
			before := snapshot(t, dir)
			crashAt(t, dir, failAt)
			if _, err := apply(dir, upgradeFiles(), nil, hooks{}); err == nil || !strings.Contains(err.Error(), "journal of an interrupted run") {
				t.Fatalf("apply over a journal: %v", err)
			}
			recovered, kept, err := Recover(dir)
			if err != nil || !recovered || kept {
				t.Fatalf("Recover = %v, %v, %v; want recovered, not kept", recovered, kept, err)
			}
			if after := snapshot(t, dir); !maps.Equal(before, after) {
				t.Errorf("tree after recovery:\n%v\nwant\n%v", after, before)
			}
			if recovered, _, err := Recover(dir); recovered || err != nil {
				t.Errorf("second Recover = %v, %v", recovered, err)
			}
		})
	}
}

// TestRecoverFinishesCompleteApply: a crash after the last rename keeps the
// new tree and only cleans up.
func TestRecoverFinishesCompleteApply(t *testing.T) {
	dir := oldTree(t)
	crashAt(t, dir, generator.ManifestPath)
	// Finish the last rename by hand, as if the crash came just after it.
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(JournalPath)))
	if err != nil {
		t.Fatal(err)
	}
	var j journal
	if err := json.Unmarshal(data, &j); err != nil {
		t.Fatal(err)
	}
	last := j.Steps[len(j.Steps)-1]
	if err := os.Rename(filepath.Join(dir, filepath.FromSlash(last.Staged)), filepath.Join(dir, filepath.FromSlash(last.Path))); err != nil {
		t.Fatal(err)
	}
	recovered, kept, err := Recover(dir)
	if err != nil || !recovered || !kept {
		t.Fatalf("Recover = %v, %v, %v; want recovered and kept", recovered, kept, err)
	}
	want := oldTree(t)
	if _, err := apply(want, upgradeFiles(), []string{"internal/legacy/legacy.go"}, hooks{}); err != nil {
		t.Fatal(err)
	}
	if got, want := snapshot(t, dir), snapshot(t, want); !maps.Equal(got, want) {
		t.Errorf("tree after recovery:\n%v\nwant\n%v", got, want)
	}
}

// TestApplyKeepsPermissions checks that a replaced file keeps the mode its
// owner gave it (exactly, whatever the umask) and a created one gets the
// generator's.
func TestApplyKeepsPermissions(t *testing.T) {
	dir := oldTree(t)
	for name, mode := range map[string]fs.FileMode{"go.mod": 0o600, ".psc-init/manifest.json": 0o666} {
		if err := os.Chmod(filepath.Join(dir, name), mode); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := apply(dir, upgradeFiles(), nil, hooks{}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]fs.FileMode{
		"go.mod": 0o600, ".psc-init/manifest.json": 0o666, "internal/new/new.go": generator.FileMode,
	} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", name, got, want)
		}
	}
}
