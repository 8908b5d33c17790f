// Package generator turns answers into the files of a PSC service, in memory.
//
// It is a library: no prompts, no network, no os.Exit; every step returns an
// error. The data flows one way:
//
//	Answers → NewSpec → Spec → NewPlan → render → format → Files (+ manifest)
//
// Writing Files to disk is the job of package generator/write.
package generator

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/pscinit/psc-init/templates"
)

// Version is the psc-init version, written into generated files and the
// manifest. It is a constant (not set by ldflags) so output is deterministic.
const Version = "0.2.0"

// GoVersion is the go directive of generated go.mod files. It cannot be lower
// than the go directive of any dependency (golang.org/x/oauth2 v0.38.0
// declares go 1.26.0), or builds with -mod=readonly fail asking for
// `go mod tidy`; internal/tools/syncdeps checks it.
const GoVersion = "1.26.0"

// FileMode is the permission of every generated file.
const FileMode fs.FileMode = 0o644

// File is one generated file.
type File struct {
	// Path is slash-separated and relative to the service root.
	Path string
	// Data is the final content.
	Data []byte
	// Mode is the file permission.
	Mode fs.FileMode
	// Owner says who owns the file after generation.
	Owner Owner
}

// Files is a list of generated files sorted by path.
type Files []File

// Paths returns the paths of files in order.
func (files Files) Paths() []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Path
	}
	return out
}

// Get returns the file with the given path.
func (files Files) Get(path string) (File, bool) {
	i, ok := slices.BinarySearchFunc(files, path, func(f File, p string) int { return strings.Compare(f.Path, p) })
	if !ok {
		return File{}, false
	}
	return files[i], true
}

// Generator generates services from a templates file system.
type Generator struct {
	// Templates is laid out like package templates (service/, frameworks/, deps/).
	Templates fs.FS
}

// Generate renders spec with the embedded templates: see Generator.Generate.
func Generate(spec Spec) (Files, error) {
	return Generator{Templates: templates.FS}.Generate(spec)
}

// Generate plans, renders and formats every file of spec in memory, and adds
// the base (BasePath) and the manifest (ManifestPath). The result is sorted
// by path and depends only on spec and the templates.
func (g Generator) Generate(spec Spec) (Files, error) {
	files, err := g.Render(spec)
	if err != nil {
		return nil, err
	}
	return WithRecords(files, NewManifest(spec, files))
}

// Render plans, renders and formats every file of spec in memory, without
// the base and the manifest. The result is sorted by path.
func (g Generator) Render(spec Spec) (Files, error) {
	if err := spec.validate(); err != nil {
		return nil, fmt.Errorf("invalid spec: %w", err)
	}
	plan, err := NewPlan(spec, g.Templates)
	if err != nil {
		return nil, err
	}
	data, err := newTemplateData(spec, g.Templates)
	if err != nil {
		return nil, err
	}
	files, err := render(plan, g.Templates, data)
	if err != nil {
		return nil, err
	}
	if err := formatFiles(files); err != nil {
		return nil, err
	}
	for _, p := range []string{ManifestPath, BasePath} {
		if _, clash := files.Get(p); clash {
			return nil, fmt.Errorf("template output %s collides with psc-init's own records", p)
		}
	}
	return files, nil
}
