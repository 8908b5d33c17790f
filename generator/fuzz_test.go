package generator_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/pscinit/psc-init/generator"
)

// referenceModule is the module path a fuzzed generation is compared with.
const referenceModule = "example.com/reference/service"

// FuzzNewSpec feeds arbitrary module, name and framework answers to NewSpec.
// A refusal must be a one-line message. An accepted spec must generate only
// clean relative paths and Go files that parse, and its module path may only
// change the import declarations of Go files: generating the same answers
// with another module path gives byte-identical Go outside the imports.
func FuzzNewSpec(f *testing.F) {
	for _, seed := range [][3]string{
		{"example.com/clinic/portal", "", ""},
		{"example.com/clinic/portal", "patient-portal", "gin"},
		{"example.com/type", "", "fiber"},
		{"example.com/func/v2", "", "echo"},
		{"example.com/a.b-c_d~e", "", "nethttp"},
		{"../evil", "", ""},
		{"example.com/../../etc", "x", ""},
		{"/abs/path", "", ""},
		{"example.com/has space", "", ""},
		{`example.com/"quote`, "", ""},
		{"example.com/é", "", ""},
		{"example.com/{{.Name}}", "", ""},
		{"example.com/x", "{{", ""},
		{"example.com/x", "a/b", ""},
		{"example.com/x", "..", ""},
		{"example.com/x", "ok", "../nethttp"},
		{"example.com/x", "ok", "NETHTTP"},
		{"example.com/x//y", "", ""},
		{"example.com/x\n// injected", "", ""},
		{"example.com/x", "line\nbreak", ""},
		{"example.com/x*/", "", ""},
		{"", "", ""},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, module, name, framework string) {
		answers := generator.Answers{
			generator.KeyModule:    module,
			generator.KeyName:      name,
			generator.KeyFramework: framework,
		}
		spec, err := generator.NewSpec(answers)
		if err != nil {
			checkOneLine(t, err)
			return
		}
		files, err := generator.Generate(spec)
		if err != nil {
			t.Fatalf("NewSpec accepted %q/%q/%q but Generate fails: %v", module, name, framework, err)
		}
		checkPaths(t, files)
		goFiles := parseGoFiles(t, files)
		if spec.Module == referenceModule {
			return
		}
		ref := answers.Override(generator.Answers{generator.KeyModule: referenceModule, generator.KeyName: spec.Name})
		refSpec, err := generator.NewSpec(ref)
		if err != nil {
			t.Fatalf("reference answers refused: %v", err)
		}
		refFiles, err := generator.Generate(refSpec)
		if err != nil {
			t.Fatalf("generate the reference: %v", err)
		}
		refGo := parseGoFiles(t, refFiles)
		if len(refGo) != len(goFiles) {
			t.Fatalf("module %q gives %d Go files, the reference %d", spec.Module, len(goFiles), len(refGo))
		}
		for p, got := range goFiles {
			want, ok := refGo[p]
			if !ok {
				t.Fatalf("module %q generates %s, the reference does not", spec.Module, p)
			}
			if !bytes.Equal(got.outside, want.outside) {
				t.Fatalf("module %q changes %s outside its imports", spec.Module, p)
			}
			for _, imp := range got.imports {
				if !strings.HasPrefix(imp, spec.Module+"/") && imp != spec.Module && !slices.Contains(want.imports, imp) {
					t.Fatalf("module %q makes %s import %q", spec.Module, p, imp)
				}
			}
		}
	})
}

// checkOneLine fails unless err is a non-empty single-line message.
func checkOneLine(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if strings.TrimSpace(msg) == "" || strings.ContainsAny(msg, "\r\n") {
		t.Fatalf("refusal is not a one-line message: %q", msg)
	}
}

// checkPaths fails on any output path that is not clean, relative and
// inside the service directory.
func checkPaths(t *testing.T, files generator.Files) {
	t.Helper()
	for _, f := range files {
		p := f.Path
		if !fs.ValidPath(p) || p == "." || path.Clean(p) != p || strings.HasPrefix(p, "/") ||
			strings.Contains(p, `\`) || strings.Contains(p, "..") {
			t.Fatalf("generated path %q is not a clean relative path", p)
		}
	}
}

// goFile is a generated Go file split at its import declarations.
type goFile struct {
	outside []byte   // the source without its import declarations
	imports []string // the import paths
}

// parseGoFiles parses every generated Go file (failing the test on any
// error) and splits it at its import declarations.
func parseGoFiles(t *testing.T, files generator.Files) map[string]goFile {
	t.Helper()
	out := map[string]goFile{}
	for _, f := range files {
		if !strings.HasSuffix(f.Path, ".go") {
			continue
		}
		g, err := splitImports(f.Path, f.Data)
		if err != nil {
			t.Fatal(err)
		}
		out[f.Path] = g
	}
	return out
}

func splitImports(name string, src []byte) (goFile, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return goFile{}, fmt.Errorf("generated %s does not parse: %w", name, err)
	}
	var g goFile
	var cut [][2]int
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		cut = append(cut, [2]int{fset.Position(gd.Pos()).Offset, fset.Position(gd.End()).Offset})
	}
	for _, imp := range file.Imports {
		g.imports = append(g.imports, strings.Trim(imp.Path.Value, "\"`"))
	}
	prev := 0
	for _, c := range cut {
		g.outside = append(g.outside, src[prev:c[0]]...)
		prev = c[1]
	}
	g.outside = append(g.outside, src[prev:]...)
	return g, nil
}
