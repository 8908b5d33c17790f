package write

import (
	"context"
	"fmt"

	"github.com/pscinit/psc-init/generator"
)

// Options configure NewDirContext.
type Options struct {
	// Force writes into a non-empty directory, replacing generated files and
	// keeping every other file (see NewDir).
	Force bool
	// OnFile, when set, is called with the slash-separated path of each file
	// just before it is written, for progress reports.
	OnFile func(path string)
}

// InterruptedError is returned when the context of NewDirContext ends before
// the directory is complete. The directory is then as it was before.
type InterruptedError struct {
	// Dir is the directory that was being written.
	Dir string
	// Cause is the context's cause (context.Canceled for a signal).
	Cause error
}

// Error says that nothing was changed and what to do.
func (e *InterruptedError) Error() string {
	return fmt.Sprintf("interrupted while writing %s, which is left as it was before; run the command again", e.Dir)
}

// Unwrap returns the context's cause.
func (e *InterruptedError) Unwrap() error { return e.Cause }

// NewDirContext is NewDir that stops when ctx ends: it checks ctx before each
// file is written and before anything is moved into place, and on
// cancellation removes what it wrote and returns *InterruptedError, leaving
// dir missing or as it was. Once the last file is in place the write is done
// and cancellation no longer matters.
func NewDirContext(ctx context.Context, dir string, files generator.Files, opts Options) (Result, error) {
	return newDir(dir, files, opts.Force, contextHooks(ctx, dir, opts))
}

// contextHooks checks ctx before each file is staged and before each move
// into place, and reports progress to opts.OnFile.
func contextHooks(ctx context.Context, dir string, opts Options) hooks {
	check := func() error {
		if ctx.Err() != nil {
			return &InterruptedError{Dir: dir, Cause: context.Cause(ctx)}
		}
		return nil
	}
	return hooks{
		beforeStage: func(p string) error {
			if opts.OnFile != nil {
				opts.OnFile(p)
			}
			return check()
		},
		beforeCommit: func(string) error { return check() },
	}
}
