package add

import (
	"bytes"
	"embed"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/templates"
)

// mountTemplates are add's own files of the adapter package: Mount, which
// wires the login into the user's router.
//
//go:embed templates
var mountTemplates embed.FS

// Template directories of the generated service that add copies.
const (
	coreDir        = "internal/psc"
	adapterDir     = "internal/web"
	conformanceDir = "conformance"
)

// Layout says where the new packages go in the repository.
type Layout struct {
	// Module is the repository's module path.
	Module string
	// Dir is the slash-separated parent directory of both packages.
	Dir string
}

// CoreDir is the directory of the framework-neutral PSC core.
func (l Layout) CoreDir() string { return path.Join(l.Dir, "psc") }

// AdapterDir is the directory of the framework adapter.
func (l Layout) AdapterDir() string { return path.Join(l.Dir, "pscweb") }

// ConformanceDir is the directory of the PSC conformance suite.
func (l Layout) ConformanceDir() string { return path.Join(l.Dir, "pscconformance") }

// AdapterImport is the import path of the adapter.
func (l Layout) AdapterImport() string { return l.Module + "/" + l.AdapterDir() }

// CoreImport is the import path of the core.
func (l Layout) CoreImport() string { return l.Module + "/" + l.CoreDir() }

// moves lists the directories of the generated service add writes, where
// they go, and the package name they get there ("" keeps it): the core, the
// adapter and the conformance suite, not cmd/, the server, go.mod or README.
func (l Layout) moves() []struct{ from, to, pkg string } {
	return []struct{ from, to, pkg string }{
		{coreDir, l.CoreDir(), ""},
		{adapterDir, l.AdapterDir(), path.Base(l.AdapterDir())},
		{conformanceDir, l.ConformanceDir(), path.Base(l.ConformanceDir())},
	}
}

// mapPath moves a file of the generated service to its place in the
// repository and returns its new package name ("" to keep it); ok is false
// for files add does not write.
func (l Layout) mapPath(p string) (to, pkg string, ok bool) {
	for _, m := range l.moves() {
		if rest, found := strings.CutPrefix(p, m.from+"/"); found {
			return path.Join(m.to, rest), m.pkg, true
		}
	}
	return "", "", false
}

// NewFiles renders the files add writes (see Render) and adds psc-init's
// records: the base that psc-init upgrade merges against, and the manifest
// in mode "add".
func NewFiles(spec generator.Spec, l Layout) (generator.Files, error) {
	files, err := Render(spec, l)
	if err != nil {
		return nil, err
	}
	m := generator.NewManifest(spec, files)
	m.Mode = generator.ModeAdd
	return generator.WithRecords(files, m)
}

// Render renders the files of the PSC packages add writes, without records:
// the generated service's core and adapter moved to l's directories (package
// clause and imports rewritten) and the adapter's Mount with its tests,
// sorted by path. The result depends only on spec and l.
func Render(spec generator.Spec, l Layout) (generator.Files, error) {
	all, err := generator.Generator{Templates: templates.FS}.Render(spec)
	if err != nil {
		return nil, fmt.Errorf("cannot generate the PSC packages (%v); this is a psc-init bug, please report it", err)
	}
	var out generator.Files
	for _, f := range all {
		to, pkg, ok := l.mapPath(f.Path)
		if !ok {
			continue
		}
		data := f.Data
		if strings.HasSuffix(f.Path, ".go") {
			if data, err = relocate(f.Path, data, pkg, spec.Module, l); err != nil {
				return nil, err
			}
		}
		if !strings.HasPrefix(f.Path, coreDir+"/") && (strings.HasSuffix(f.Path, ".go") || strings.HasSuffix(f.Path, ".html")) {
			data = moveStatic(data)
		}
		out = append(out, generator.File{Path: to, Data: data, Mode: f.Mode, Owner: f.Owner})
	}
	mounts, err := mountFiles(spec, l)
	if err != nil {
		return nil, err
	}
	out = append(out, mounts...)
	slices.SortFunc(out, func(a, b generator.File) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// RenderForUpgrade renders what add wrote into the repository that from
// describes, at the directories recorded in it: the Render hook of
// psc-init upgrade for repositories set up by add.
func RenderForUpgrade(spec generator.Spec, from generator.Manifest) (generator.Files, error) {
	const marker = "/pscweb/mount.go"
	for _, f := range from.Files {
		if dir, ok := strings.CutSuffix(f.Path, marker); ok {
			return Render(spec, Layout{Module: spec.Module, Dir: dir})
		}
	}
	return nil, fmt.Errorf("%s lists no */pscweb/mount.go, so psc-init cannot tell where add put the PSC packages; restore the manifest from version control", generator.ManifestPath)
}

// staticPrefix is where the adapter's assets are served in a repository:
// /static/ is likely the application's own. It keeps the depth of /static/,
// so that paths such as /static/../x clean the same way.
const staticPrefix = "/psc-static/"

// moveStatic moves the adapter's assets from /static/ to staticPrefix in
// its routes, pages and tests and in the conformance suite alike: every
// quoted path starting with /static/, and net/http patterns "GET /static/".
func moveStatic(data []byte) []byte {
	data = bytes.ReplaceAll(data, []byte(`"/static/`), []byte(`"`+staticPrefix))
	return bytes.ReplaceAll(data, []byte(`"GET /static/`), []byte(`"GET `+staticPrefix))
}

// relocate renames the package of a moved file to pkg (unless "") and
// rewrites the imports of the core and adapter to their new paths, by byte
// offsets: the rest of the file keeps its bytes.
func relocate(name string, src []byte, pkg, module string, l Layout) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("generated file %s does not parse (%v); this is a psc-init bug, please report it", name, err)
	}
	type repl struct {
		from, to int
		text     string
	}
	var repls []repl
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	if pkg != "" {
		if strings.HasSuffix(f.Name.Name, "_test") {
			pkg += "_test"
		}
		repls = append(repls, repl{off(f.Name.Pos()), off(f.Name.End()), pkg})
	}
	oldCore, oldAdapter := module+"/"+coreDir, module+"/"+adapterDir
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		var np string
		switch {
		case p == oldCore || strings.HasPrefix(p, oldCore+"/"):
			np = l.CoreImport() + strings.TrimPrefix(p, oldCore)
		case p == oldAdapter || strings.HasPrefix(p, oldAdapter+"/"):
			np = l.AdapterImport() + strings.TrimPrefix(p, oldAdapter)
		default:
			continue
		}
		text := strconv.Quote(np)
		if imp.Name == nil && p == oldAdapter {
			// Keep the name the code uses for the adapter.
			text = "web " + text
		}
		repls = append(repls, repl{off(imp.Path.Pos()), off(imp.Path.End()), text})
	}
	slices.SortFunc(repls, func(a, b repl) int { return a.from - b.from })
	var b bytes.Buffer
	last := 0
	for _, r := range repls {
		b.Write(src[last:r.from])
		b.WriteString(r.text)
		last = r.to
	}
	b.Write(src[last:])
	return b.Bytes(), nil
}

// mountData is what add's own templates are executed with.
type mountData struct {
	Version     string
	AdapterName string
	CoreImport  string
}

// mountFiles renders Mount and its helpers for spec's framework.
func mountFiles(spec generator.Spec, l Layout) (generator.Files, error) {
	data := mountData{Version: generator.Version, AdapterName: path.Base(l.AdapterDir()), CoreImport: l.CoreImport()}
	fw := "templates/" + string(spec.Framework)
	srcs := []string{
		"templates/common/mount_service.go.tmpl", "templates/common/mount_helpers_test.go.tmpl",
		fw + "/mount.go.tmpl", fw + "/mount_test.go.tmpl",
	}
	if spec.Framework != generator.FrameworkFiber {
		srcs = append(srcs, "templates/common/mount_http.go.tmpl")
	}
	var out generator.Files
	for _, src := range srcs {
		raw, err := fs.ReadFile(mountTemplates, src)
		if err != nil {
			return nil, fmt.Errorf("read template %s: %w", src, err)
		}
		t, err := template.New(src).Option("missingkey=error").Parse(string(raw))
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", src, err)
		}
		var b bytes.Buffer
		if err := t.Execute(&b, data); err != nil {
			return nil, fmt.Errorf("render template %s: %w", src, err)
		}
		formatted, err := format.Source(b.Bytes())
		if err != nil {
			return nil, fmt.Errorf("template %s renders invalid Go (%v); this is a psc-init bug, please report it", src, err)
		}
		name := strings.TrimSuffix(path.Base(src), ".tmpl")
		out = append(out, generator.File{Path: path.Join(l.AdapterDir(), name), Data: formatted, Mode: generator.FileMode, Owner: generator.OwnerGenerator})
	}
	return out, nil
}
