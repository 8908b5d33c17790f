package write

import "github.com/pscinit/psc-init/generator"

// ApplyPendingHooked is ApplyPending with hooks run before each file is
// staged and before each move into place, for the crash tests of
// package write_test.
func ApplyPendingHooked(dir string, files generator.Files, remove []string, stage, commit func(path string) error) (*Pending, error) {
	return applyPending(dir, files, remove, hooks{beforeStage: stage, beforeCommit: commit})
}
