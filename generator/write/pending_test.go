package write

import (
	"context"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/pscinit/psc-init/generator"
)

// pendingSteps are the paths the hooks of a pending apply see, in order.
var pendingSteps = []string{"go.mod", "internal/new/new.go", "internal/legacy/legacy.go", generator.BasePath, generator.ManifestPath}

// newTree returns the tree a kept change of the upgrade files gives.
func newTree(t *testing.T) map[string]string {
	t.Helper()
	dir := oldTree(t)
	if _, err := apply(dir, upgradeFiles(), []string{"internal/legacy/legacy.go"}, hooks{}); err != nil {
		t.Fatal(err)
	}
	return snapshot(t, dir)
}

// crashPending runs a pending apply in dir that "dies" (a panic skips every
// clean-up, as a kill would) when die returns true for a hook call.
func crashPending(t *testing.T, dir string, die func(phase, path string) bool) {
	t.Helper()
	type crash struct{}
	defer func() {
		if r := recover(); r != (crash{}) {
			t.Fatalf("the pending apply did not die (recovered %v)", r)
		}
	}()
	hook := func(phase string) func(string) error {
		return func(p string) error {
			if die(phase, p) {
				panic(crash{})
			}
			return nil
		}
	}
	_, _ = applyPending(dir, upgradeFiles(), []string{"internal/legacy/legacy.go"}, hooks{beforeStage: hook("stage"), beforeCommit: hook("commit")})
}

// TestPendingCrashAtEveryStep kills a pending apply before every staged
// write and every move into place: the next Recover must give back the
// exact previous tree, say that an add was undone, and leave no journal.
func TestPendingCrashAtEveryStep(t *testing.T) {
	for _, phase := range []string{"stage", "commit"} {
		for _, at := range pendingSteps {
			if phase == "stage" && at == "internal/legacy/legacy.go" {
				continue // removals stage nothing
			}
			t.Run(phase+"/"+at, func(t *testing.T) {
				dir := oldTree(t)
				before := snapshot(t, dir)
				crashPending(t, dir, func(ph, p string) bool { return ph == phase && p == at })
				msg, err := RecoverReport(dir)
				if err != nil {
					t.Fatal(err)
				}
				if msg != "An interrupted psc-init add was undone; the previous files are back." {
					t.Errorf("RecoverReport = %q", msg)
				}
				if after := snapshot(t, dir); !maps.Equal(before, after) {
					t.Errorf("tree after recovery:\n%v\nwant\n%v", after, before)
				}
			})
		}
	}
}

// TestPendingCrashWhileChecking: every file is in place when the process
// dies (during go test, say); Recover must still undo the change.
func TestPendingCrashWhileChecking(t *testing.T) {
	dir := oldTree(t)
	before := snapshot(t, dir)
	p, err := applyPending(dir, upgradeFiles(), []string{"internal/legacy/legacy.go"}, hooks{})
	if err != nil {
		t.Fatal(err)
	}
	inPlace := snapshot(t, dir)
	for path, data := range newTree(t) {
		if inPlace[path] != data {
			t.Errorf("%s not in place while checking: %q", path, inPlace[path])
		}
	}
	if _, ok := inPlace[JournalPath]; !ok {
		t.Fatalf("no journal while the change is pending")
	}
	// The process dies here: p is never kept nor undone.
	_ = p
	if _, err := apply(dir, upgradeFiles(), nil, hooks{}); err == nil || !strings.Contains(err.Error(), "journal of an interrupted run") {
		t.Fatalf("apply over a pending change: %v", err)
	}
	recovered, kept, err := Recover(dir)
	if err != nil || !recovered || kept {
		t.Fatalf("Recover = %v, %v, %v; want recovered, not kept", recovered, kept, err)
	}
	if after := snapshot(t, dir); !maps.Equal(before, after) {
		t.Errorf("tree after recovery:\n%v\nwant\n%v", after, before)
	}
}

// TestPendingCrashWhileKeeping: once Keep has recorded the change as final,
// a crash before the clean-up keeps the new tree.
func TestPendingCrashWhileKeeping(t *testing.T) {
	dir := oldTree(t)
	p, err := applyPending(dir, upgradeFiles(), []string{"internal/legacy/legacy.go"}, hooks{})
	if err != nil {
		t.Fatal(err)
	}
	// Keep's first step, then the process dies.
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	final := p.j
	final.Held = false
	if err := writeJournal(root, final); err != nil {
		t.Fatal(err)
	}
	root.Close()
	msg, err := RecoverReport(dir)
	if err != nil || msg != "An interrupted psc-init add had passed its checks; finished it." {
		t.Fatalf("RecoverReport = %q, %v", msg, err)
	}
	if got, want := snapshot(t, dir), newTree(t); !maps.Equal(got, want) {
		t.Errorf("tree after recovery:\n%v\nwant\n%v", got, want)
	}
}

// TestPendingKeepAndUndo checks the two ends of a pending change that is
// not interrupted, and that a cancelled context changes nothing.
func TestPendingKeepAndUndo(t *testing.T) {
	dir := oldTree(t)
	before := snapshot(t, dir)
	p, err := ApplyPending(context.Background(), dir, upgradeFiles(), []string{"internal/legacy/legacy.go"})
	if err != nil {
		t.Fatal(err)
	}
	if res := p.Result(); len(res.Created) != 1 || len(res.Removed) != 1 {
		t.Errorf("Result = %+v", res)
	}
	if err := p.Undo(); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, dir); !maps.Equal(before, after) {
		t.Errorf("tree after Undo:\n%v\nwant\n%v", after, before)
	}
	if err := p.Keep(); err == nil {
		t.Error("Keep after Undo accepted")
	}

	p, err = ApplyPending(context.Background(), dir, upgradeFiles(), []string{"internal/legacy/legacy.go"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Keep(); err != nil {
		t.Fatal(err)
	}
	if got, want := snapshot(t, dir), newTree(t); !maps.Equal(got, want) {
		t.Errorf("tree after Keep:\n%v\nwant\n%v", got, want)
	}
	if msg, err := RecoverReport(dir); msg != "" || err != nil {
		t.Errorf("RecoverReport after Keep = %q, %v", msg, err)
	}

	dir = oldTree(t)
	before = snapshot(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ApplyPending(ctx, dir, upgradeFiles(), nil); err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("ApplyPending with a cancelled context: %v", err)
	}
	if after := snapshot(t, dir); !maps.Equal(before, after) {
		t.Errorf("tree changed by a cancelled ApplyPending")
	}
}
