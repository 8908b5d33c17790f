package generator

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

// TemplateData is the one value every template is executed with. Templates
// state the fields they use; nothing host- or time-dependent is in it, so
// the same Spec always renders the same bytes.
type TemplateData struct {
	// Module is the Go module path of the generated service.
	Module string
	// Name is the service name (default SERVICE_NAME).
	Name string
	// Framework, Session, ClientAuth and Environment are the enum answers.
	Framework   Framework
	Session     Session
	ClientAuth  ClientAuth
	Environment Environment
	// TLS is the server TLS mode: proxy or direct.
	TLS TLS
	// Issuer is the PSC issuer of Environment, the default PSC_ISSUER.
	Issuer string
	// GoVersion is the go directive of the generated go.mod.
	GoVersion string
	// PSCInitVersion is Version, written in file headers and the manifest.
	PSCInitVersion string
	// CatalogueVersion is the version of the requirement catalogue.
	CatalogueVersion string
	// Requirements is the requirement catalogue (conformance tests, CONFORMANCE.md).
	Requirements []Requirement
	// GoModRequire is the exact require block(s) of the generated go.mod.
	GoModRequire string
	// GoSum is the exact go.sum of the generated service.
	GoSum string
}

// newTemplateData builds the data of spec, reading the dependency set of its
// framework, session and client authentication from fsys.
func newTemplateData(spec Spec, fsys fs.FS) (TemplateData, error) {
	issuer, err := spec.Issuer()
	if err != nil {
		return TemplateData{}, err
	}
	combo := fmt.Sprintf("%s-%s-%s", spec.Framework, spec.Session, spec.ClientAuth)
	dir := path.Join(depsRoot, combo)
	require, err := fs.ReadFile(fsys, path.Join(dir, "require.txt"))
	if err != nil {
		return TemplateData{}, fmt.Errorf("no dependency set %s in the templates (%w); run go run ./internal/tools/syncdeps", combo, err)
	}
	sum, err := fs.ReadFile(fsys, path.Join(dir, "go.sum"))
	if err != nil {
		return TemplateData{}, fmt.Errorf("no go.sum for dependency set %s in the templates (%w); run go run ./internal/tools/syncdeps", combo, err)
	}
	return TemplateData{
		Module:           spec.Module,
		Name:             spec.Name,
		Framework:        spec.Framework,
		Session:          spec.Session,
		ClientAuth:       spec.ClientAuth,
		Environment:      spec.Environment,
		TLS:              spec.TLS,
		Issuer:           issuer,
		GoVersion:        GoVersion,
		PSCInitVersion:   Version,
		CatalogueVersion: spec.Catalogue.Version,
		Requirements:     spec.Catalogue.For(spec.Answers()).Requirements,
		GoModRequire:     string(require),
		GoSum:            string(sum),
	}, nil
}

// funcMap is sprig's hermetic function map (no clock, randomness or
// environment) plus psc-init's own functions.
func funcMap() template.FuncMap {
	fm := sprig.HermeticTxtFuncMap()
	// goString quotes a value as a Go string literal, so no answer can break
	// out of the string it is written into.
	fm["goString"] = strconv.Quote
	return fm
}

// render produces the unformatted content of every plan entry, in memory.
// Entries are independent and rendered on every available CPU (see
// parallel); each one lands at its plan index, so the result is the same
// whatever the scheduling.
func render(plan Plan, fsys fs.FS, data TemplateData) (Files, error) {
	funcs := funcMap()
	files := make(Files, len(plan))
	err := parallel(len(plan), func(i int) error {
		e := plan[i]
		src, err := fs.ReadFile(fsys, e.Template)
		if err != nil {
			return fmt.Errorf("read template %s: %w", e.Template, err)
		}
		out := src
		if e.Mode == ModeTemplate {
			out, err = execute(e.Template, string(src), funcs, data)
			if err != nil {
				return err
			}
		}
		files[i] = File{Path: e.Path, Data: out, Mode: FileMode, Owner: e.Owner}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

func execute(name, src string, funcs template.FuncMap, data TemplateData) ([]byte, error) {
	t, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(src)
	if err != nil {
		return nil, fmt.Errorf("parse template %s: %w", name, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("render template %s: %w", name, err)
	}
	return buf.Bytes(), nil
}
