package add

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
)

// mountErrMsg prefixes the error of the inserted Mount call.
const mountErrMsg = "mount Pro Santé Connect login"

// Wiring is the one edit of an existing file: the Mount call inserted right
// after the router is constructed, plus the imports it needs.
type Wiring struct {
	// Site is where the router is constructed.
	Site Site
	// Path is the slash-separated path of the edited file.
	Path string
	// Old and New are the file's content before and after the edit.
	Old, New []byte
}

// mountCall is the statement calling Mount on the router variable.
func mountCall(adapterName, router string) string {
	return fmt.Sprintf("if err := %s.Mount(%s, %s.Options{}); err != nil {", adapterName, router, adapterName)
}

// Instructions tells the user the exact lines to add when add does not edit
// their code itself.
func Instructions(reason string, sites []Site, adapterImport string) string {
	name := adapterImport[strings.LastIndex(adapterImport, "/")+1:]
	router := "router"
	where := "right after your router is constructed"
	if len(sites) == 1 {
		router = sites[0].Var
		where = fmt.Sprintf("right after %s is constructed (%s:%d, in %s)", router, sites[0].File, sites[0].Line, sites[0].Func)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "psc-init did not edit your code: %s.\n", reason)
	for _, s := range sites {
		fmt.Fprintf(&b, "  router %s constructed at %s:%d in %s\n", s.Var, s.File, s.Line, s.Func)
	}
	fmt.Fprintf(&b, "Add these lines %s, and handle the error as that code can (return it, or stop the program: the login cannot work):\n\n", where)
	fmt.Fprintf(&b, "\t%s\n\t\treturn fmt.Errorf(%q, err)\n\t}\n\n", mountCall(name, router), mountErrMsg+": %w")
	fmt.Fprintf(&b, "and import %q (and \"fmt\").\n", adapterImport)
	return b.String()
}

// Wire computes the edit of site: the Mount call after the construction
// statement, with error handling that fits the enclosing function. It
// returns an error wrapping errNoSite, saying why, when the place is not
// safe to edit.
func Wire(site Site, adapterImport string) (Wiring, error) {
	p, f := site.pkg, site.file
	tf := p.Fset.File(f.Pos())
	if tf == nil {
		return Wiring{}, fmt.Errorf("%w: %s has no position information", errNoSite, site.File)
	}
	src, err := os.ReadFile(tf.Name())
	if err != nil {
		return Wiring{}, fmt.Errorf("read %s: %w", site.File, err)
	}
	path, _ := astutil.PathEnclosingInterval(f, site.stmt.Pos(), site.stmt.End())
	// The innermost node may be a child with the statement's extent (the
	// GenDecl of a var statement): the parent is the one above the statement.
	i := slices.IndexFunc(path, func(n ast.Node) bool { return n == site.stmt })
	if i < 0 || i+1 >= len(path) {
		return Wiring{}, fmt.Errorf("%w: the construction in %s is not a statement of a function body", errNoSite, site.Func)
	}
	switch path[i+1].(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
	default:
		return Wiring{}, fmt.Errorf("%w: %s is constructed inside another statement in %s", errNoSite, site.Var, site.Func)
	}
	sig := signatureOf(p.TypesInfo, site.fn)
	if sig == nil {
		return Wiring{}, fmt.Errorf("%w: the type of %s is unknown", errNoSite, site.Func)
	}
	at := site.stmt.End()
	scope := p.Types.Scope().Innermost(at)
	adapterName := adapterImport[strings.LastIndex(adapterImport, "/")+1:]
	need := map[string]string{adapterName: adapterImport}
	var body []string
	isMain := false
	if fd, ok := site.fn.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" && p.Name == "main" {
		isMain = true
	}
	switch {
	case returnsError(sig):
		zeros, err := zeroValues(sig, f, p.Types)
		if err != nil {
			return Wiring{}, err
		}
		need["fmt"] = "fmt"
		body = []string{"return " + strings.Join(append(zeros, fmt.Sprintf("fmt.Errorf(%q, err)", mountErrMsg+": %w")), ", ")}
	case isMain:
		need["fmt"], need["os"] = "fmt", "os"
		body = []string{fmt.Sprintf("fmt.Fprintf(os.Stderr, %q, err)", mountErrMsg+": %v\n"), "os.Exit(1)"}
	default:
		return Wiring{}, fmt.Errorf("%w: %s builds %s but returns no error and is not main", errNoSite, site.Func, site.Var)
	}
	var imports []string
	for _, name := range slices.Sorted(maps.Keys(need)) {
		_, obj := scope.LookupParent(name, at)
		switch obj := obj.(type) {
		case nil:
			imports = append(imports, need[name])
		case *types.PkgName:
			if obj.Imported().Path() != need[name] {
				return Wiring{}, fmt.Errorf("%w: the name %s already means package %s in %s", errNoSite, name, obj.Imported().Path(), site.File)
			}
		default:
			return Wiring{}, fmt.Errorf("%w: the name %s is already declared where %s is built (%s)", errNoSite, name, site.Var, site.File)
		}
	}

	// Insert after the end of the statement's line, keeping its trailing comment.
	end := tf.Offset(at)
	eol := bytes.IndexByte(src[end:], '\n')
	if eol < 0 {
		return Wiring{}, fmt.Errorf("%w: %s ends without a newline", errNoSite, site.File)
	}
	if rest := strings.TrimSpace(string(src[end : end+eol])); rest != "" && !strings.HasPrefix(rest, "//") {
		return Wiring{}, fmt.Errorf("%w: more code follows the construction of %s on its line", errNoSite, site.Var)
	}
	lineStart := tf.Offset(tf.LineStart(tf.Line(site.stmt.Pos())))
	indent := leadingSpace(src[lineStart:tf.Offset(site.stmt.Pos())])
	var stmt strings.Builder
	stmt.WriteString(indent + mountCall(adapterName, site.Var) + "\n")
	for _, l := range body {
		stmt.WriteString(indent + "\t" + l + "\n")
	}
	stmt.WriteString(indent + "}\n")
	edits := []edit{{off: end + eol + 1, text: stmt.String()}}
	imp, err := importEdits(tf, f, src, imports, modulePrefix(adapterImport))
	if err != nil {
		return Wiring{}, err
	}
	edits = append(edits, imp...)
	out := applyEdits(src, edits)
	// Keep a gofmt-clean file gofmt-clean (import order within groups);
	// a file that was not is left as the user wrote it.
	if formatted, err := format.Source(src); err == nil && bytes.Equal(formatted, src) {
		if out, err = format.Source(out); err != nil {
			return Wiring{}, fmt.Errorf("the edit of %s does not parse (%w); this is a psc-init bug, please report it", site.File, err)
		}
	}
	return Wiring{Site: site, Path: site.File, Old: src, New: out}, nil
}

// modulePrefix returns the first element of an import path followed by a
// slash: imports sharing it are grouped with the adapter's.
func modulePrefix(path string) string {
	if i := strings.Index(path, "/"); i > 0 {
		return path[:i+1]
	}
	return path
}

func leadingSpace(b []byte) string {
	s := string(b)
	if strings.TrimLeft(s, " \t") != "" {
		return "\t"
	}
	return s
}

func signatureOf(info *types.Info, fn ast.Node) *types.Signature {
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		if obj, ok := info.Defs[fn.Name].(*types.Func); ok {
			sig, _ := obj.Type().(*types.Signature)
			return sig
		}
	case *ast.FuncLit:
		sig, _ := info.TypeOf(fn).(*types.Signature)
		return sig
	}
	return nil
}

func returnsError(sig *types.Signature) bool {
	res := sig.Results()
	if res.Len() == 0 {
		return false
	}
	return types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type())
}

// zeroValues writes the zero value of every result but the last (error),
// qualified as file f names their packages.
func zeroValues(sig *types.Signature, f *ast.File, pkg *types.Package) ([]string, error) {
	names := map[string]string{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if imp.Name != nil {
			names[path] = imp.Name.Name
		}
	}
	var missing error
	qualify := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		if n, ok := names[p.Path()]; ok {
			return n
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == p.Path() {
				return p.Name()
			}
		}
		missing = fmt.Errorf("%w: a result type of the function comes from %s, which the file does not import", errNoSite, p.Path())
		return p.Name()
	}
	res := sig.Results()
	var out []string
	for i := range res.Len() - 1 {
		t := res.At(i).Type()
		switch u := t.Underlying().(type) {
		case *types.Pointer, *types.Interface, *types.Slice, *types.Map, *types.Chan, *types.Signature:
			out = append(out, "nil")
		case *types.Basic:
			switch {
			case u.Info()&types.IsBoolean != 0:
				out = append(out, "false")
			case u.Info()&types.IsString != 0:
				out = append(out, `""`)
			case u.Info()&types.IsNumeric != 0:
				out = append(out, "0")
			default:
				out = append(out, "nil")
			}
		default:
			out = append(out, types.TypeString(t, qualify)+"{}")
		}
	}
	if missing != nil {
		return nil, missing
	}
	return out, nil
}

// edit inserts text at byte offset off.
type edit struct {
	off  int
	text string
}

// applyEdits inserts every edit into src (offsets of the original).
func applyEdits(src []byte, edits []edit) []byte {
	slices.SortStableFunc(edits, func(a, b edit) int { return a.off - b.off })
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		out.Write(src[last:e.off])
		out.WriteString(e.text)
		last = e.off
	}
	out.Write(src[last:])
	return out.Bytes()
}

// importEdits adds imports to f: standard library paths to the group of
// standard imports, others to the group holding imports with the same
// prefix, else to a new group; a file without a parenthesized import
// declaration gets a new declaration.
func importEdits(tf *token.File, f *ast.File, src []byte, paths []string, localPrefix string) ([]edit, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	var decl *ast.GenDecl
	var lastImport ast.Decl
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		lastImport = gd
		if decl == nil && gd.Lparen.IsValid() {
			decl = gd
		}
	}
	quoted := func(ps []string) string {
		var b strings.Builder
		for _, p := range ps {
			b.WriteString("\t" + strconv.Quote(p) + "\n")
		}
		return b.String()
	}
	isStd := func(p string) bool { return !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") }
	var std, other []string
	for _, p := range paths {
		if isStd(p) {
			std = append(std, p)
		} else {
			other = append(other, p)
		}
	}
	if decl == nil {
		at := f.Name.End()
		if lastImport != nil {
			at = lastImport.End()
		}
		block := quoted(std)
		if len(std) > 0 && len(other) > 0 {
			block += "\n"
		}
		return []edit{{off: tf.Offset(at), text: "\n\nimport (\n" + block + quoted(other) + ")"}}, nil
	}
	// Groups are runs of specs on consecutive lines.
	var groups [][]*ast.ImportSpec
	prevLine := -1
	for _, s := range decl.Specs {
		is := s.(*ast.ImportSpec)
		line := tf.Line(is.Pos())
		if prevLine < 0 || line > prevLine+1 {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], is)
		prevLine = tf.Line(is.End())
	}
	findGroup := func(match func(string) bool) int {
		for i, g := range groups {
			for _, is := range g {
				if p, _ := strconv.Unquote(is.Path.Value); match(p) {
					return i
				}
			}
		}
		return -1
	}
	var edits []edit
	afterGroup := func(i int) (int, error) {
		last := groups[i][len(groups[i])-1]
		off := tf.Offset(last.End())
		eol := bytes.IndexByte(src[off:], '\n')
		if eol < 0 {
			return 0, fmt.Errorf("%w: the import block of %s is not laid out one import a line", errNoSite, tf.Name())
		}
		return off + eol + 1, nil
	}
	if len(std) > 0 {
		if i := findGroup(isStd); i >= 0 {
			off, err := afterGroup(i)
			if err != nil {
				return nil, err
			}
			edits = append(edits, edit{off: off, text: quoted(std)})
		} else {
			edits = append(edits, edit{off: tf.Offset(decl.Lparen) + 1, text: "\n" + quoted(std)})
		}
	}
	if len(other) > 0 {
		if i := findGroup(func(p string) bool { return strings.HasPrefix(p, localPrefix) }); i >= 0 {
			off, err := afterGroup(i)
			if err != nil {
				return nil, err
			}
			edits = append(edits, edit{off: off, text: quoted(other)})
		} else {
			sep := "\n"
			if len(groups) == 0 {
				sep = ""
			}
			edits = append(edits, edit{off: tf.Offset(decl.Rparen), text: sep + quoted(other)})
		}
	}
	return edits, nil
}
