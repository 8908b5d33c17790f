package write

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pscinit/psc-init/generator"
)

// cancelAfter returns a context cancelled by OnFile when the n-th file is
// about to be written, and the options that do it.
func cancelAfter(t *testing.T, n int, force bool) (context.Context, Options, *[]string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var seen []string
	return ctx, Options{Force: force, OnFile: func(p string) {
		seen = append(seen, p)
		if len(seen) == n {
			cancel()
		}
	}}, &seen
}

func TestNewDirContextInterruptedLeavesNoTree(t *testing.T) {
	for _, n := range []int{1, 3, len(testFiles())} {
		parent := t.TempDir()
		dir := filepath.Join(parent, "svc")
		ctx, opts, seen := cancelAfter(t, n, false)
		_, err := NewDirContext(ctx, dir, testFiles(), opts)
		var ie *InterruptedError
		if !errors.As(err, &ie) || !errors.Is(err, context.Canceled) {
			t.Fatalf("cancel at file %d: error = %v, want *InterruptedError wrapping context.Canceled", n, err)
		}
		if len(*seen) != n {
			t.Errorf("cancel at file %d: %d files started, want the write to stop at once", n, len(*seen))
		}
		if msg := err.Error(); strings.Count(msg, ";") != 1 || strings.Contains(msg, "\n") || !strings.Contains(msg, dir) {
			t.Errorf("message %q is not one sentence naming %s", msg, dir)
		}
		if entries, _ := os.ReadDir(parent); len(entries) != 0 {
			t.Errorf("cancel at file %d: parent holds %v, want nothing (no DIR, no temporary directory)", n, entries)
		}
	}
}

func TestNewDirContextInterruptedKeepsPreviousState(t *testing.T) {
	for _, n := range []int{1, 4, len(testFiles())} {
		dir := t.TempDir()
		mustWrite(t, filepath.Join(dir, "notes.txt"), "mine")
		mustWrite(t, filepath.Join(dir, "go.mod"), "module old\n")
		mustWrite(t, filepath.Join(dir, "README.md"), "# old\n")
		before := snapshot(t, dir)
		ctx, opts, _ := cancelAfter(t, n, true)
		if _, err := NewDirContext(ctx, dir, testFiles(), opts); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancel at file %d: error = %v, want an interruption", n, err)
		}
		if after := snapshot(t, dir); !maps.Equal(before, after) {
			t.Errorf("cancel at file %d: directory changed:\nbefore %v\nafter  %v", n, before, after)
		}
	}
}

func TestNewDirContextCompletes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "svc")
	var seen []string
	res, err := NewDirContext(context.Background(), dir, testFiles(), Options{OnFile: func(p string) { seen = append(seen, p) }})
	if err != nil {
		t.Fatal(err)
	}
	assertTree(t, dir, testFiles(), nil)
	if len(seen) != len(testFiles()) || seen[len(seen)-1] != generator.ManifestPath {
		t.Errorf("OnFile saw %q, want every file with the manifest last", seen)
	}
	if len(res.Created) != len(testFiles()) {
		t.Errorf("Created = %q", res.Created)
	}
}

// TestFailedWriteRemovesCreatedParents: missing parents of DIR are created,
// and removed again when the write fails or is interrupted; parents that
// existed stay.
func TestFailedWriteRemovesCreatedParents(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "new", "deeper", "svc")
	ctx, opts, _ := cancelAfter(t, 2, false)
	if _, err := NewDirContext(ctx, dir, testFiles(), opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want an interruption", err)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("%s holds %v after a failed write, want the created parents removed", root, entries)
	}
	if _, err := NewDirContext(context.Background(), dir, testFiles(), Options{}); err != nil {
		t.Fatalf("write into missing parents: %v", err)
	}
	assertTree(t, dir, testFiles(), nil)
}

// TestInterruptedWhileMovingIntoPlace cancels after some files are already
// renamed over their targets: they are put back, DIR is as before.
func TestInterruptedWhileMovingIntoPlace(t *testing.T) {
	for _, at := range []int{1, 3, len(testFiles())} {
		dir := t.TempDir()
		mustWrite(t, filepath.Join(dir, "go.mod"), "module old\n")
		mustWrite(t, filepath.Join(dir, "notes.txt"), "mine")
		before := snapshot(t, dir)
		ctx, cancel := context.WithCancel(context.Background())
		h := contextHooks(ctx, dir, Options{Force: true})
		check, commits := h.beforeCommit, 0
		h.beforeCommit = func(p string) error {
			if commits++; commits == at {
				cancel()
			}
			return check(p)
		}
		_, err := newDir(dir, testFiles(), true, h)
		cancel()
		var ie *InterruptedError
		if !errors.As(err, &ie) {
			t.Fatalf("cancel at move %d: error = %v, want *InterruptedError", at, err)
		}
		if after := snapshot(t, dir); !maps.Equal(before, after) {
			t.Errorf("cancel at move %d: directory changed:\nbefore %v\nafter  %v", at, before, after)
		}
	}
}
