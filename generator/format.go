package generator

import (
	"fmt"
	"go/format"
	"strings"

	"golang.org/x/mod/modfile"
)

// formatFiles formats every Go file with go/format (no import resolution, so
// no go command or network at generation time) and checks go.mod. A file
// that does not parse fails the whole generation, before anything reaches
// the disk.
func formatFiles(files Files) error {
	for i, f := range files {
		switch {
		case strings.HasSuffix(f.Path, ".go"):
			out, err := format.Source(f.Data)
			if err != nil {
				return fmt.Errorf("generated file %s is not valid Go: %w", f.Path, err)
			}
			files[i].Data = out
		case f.Path == "go.mod" || strings.HasSuffix(f.Path, "/go.mod"):
			if _, err := modfile.Parse(f.Path, f.Data, nil); err != nil {
				return fmt.Errorf("generated file %s is not a valid go.mod: %w", f.Path, err)
			}
		}
	}
	return nil
}
