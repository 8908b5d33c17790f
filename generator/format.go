package generator

import (
	"fmt"
	"go/format"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/mod/modfile"
)

// formatFiles formats every Go file with go/format (no import resolution, so
// no go command or network at generation time) and checks go.mod. A file
// that does not parse fails the whole generation, before anything reaches
// the disk.
//
// go/format is most of the cost of a generation (BENCHMARKS.md), and files
// are independent: they are formatted on every available CPU.
func formatFiles(files Files) error {
	return parallel(len(files), func(i int) error { return formatFile(&files[i]) })
}

// parallel runs fn(0) … fn(n-1) on every available CPU and returns the error
// of the lowest failing index, so that the outcome never depends on
// scheduling. fn must only write to what index i owns.
func parallel(n int, fn func(i int) error) error {
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				errs[i] = fn(i)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// formatFile formats f in place when it is Go source and checks it when it
// is a go.mod.
func formatFile(f *File) error {
	switch {
	case strings.HasSuffix(f.Path, ".go"):
		out, err := format.Source(f.Data)
		if err != nil {
			return fmt.Errorf("generated file %s is not valid Go: %w", f.Path, err)
		}
		f.Data = out
	case f.Path == "go.mod" || strings.HasSuffix(f.Path, "/go.mod"):
		if _, err := modfile.Parse(f.Path, f.Data, nil); err != nil {
			return fmt.Errorf("generated file %s is not a valid go.mod: %w", f.Path, err)
		}
	}
	return nil
}
