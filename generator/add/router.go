package add

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/packages"

	"github.com/pscinit/psc-init/generator"
)

// routerType names the router type of a framework and the package whose
// functions construct it.
type routerType struct {
	pkg, name string
}

func routerTypeOf(fw generator.Framework) routerType {
	switch fw {
	case generator.FrameworkGin:
		return routerType{"github.com/gin-gonic/gin", "Engine"}
	case generator.FrameworkEcho:
		return routerType{"github.com/labstack/echo/v5", "Echo"}
	case generator.FrameworkFiber:
		return routerType{"github.com/gofiber/fiber/v3", "App"}
	}
	return routerType{"net/http", "ServeMux"}
}

// String is how the type is written in Go source, e.g. *gin.Engine.
func (t routerType) String() string {
	return "*" + t.pkg[strings.LastIndex(t.pkg, "/")+1:] + "." + t.name
}

// matches reports whether typ is a pointer to the router type.
func (t routerType) matches(typ types.Type) bool {
	ptr, ok := typ.(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := ptr.Elem().(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	// A module major version path (echo/v5) has package name echo: compare paths.
	return named.Obj().Pkg().Path() == t.pkg && named.Obj().Name() == t.name
}

// Site is one place where the repository constructs its router.
type Site struct {
	// File is the slash-separated path of the file, relative to the repository.
	File string
	// Line is the line of the construction statement.
	Line int
	// Func is the name of the enclosing function ("func literal" for closures).
	Func string
	// Var is the variable holding the router.
	Var string

	pkg  *packages.Package
	file *ast.File
	stmt ast.Stmt
	fn   ast.Node // *ast.FuncDecl or *ast.FuncLit
}

// Analysis is what the type-checked code says about the repository.
type Analysis struct {
	// Sites are the router constructions found, in file order.
	Sites []Site
	// AuthImports lists the session or authentication packages the code
	// imports ("pkg imports path"), sorted.
	AuthImports []string
	// Mounted lists the places that already call the adapter's Mount.
	Mounted []string
}

// knownAuthPackages are session or authentication libraries whose presence
// add reports: the PSC login must not be shadowed by them, nor they by it.
func knownAuthPackages() []string {
	return []string{
		"github.com/gin-contrib/sessions",
		"github.com/gorilla/sessions",
		"github.com/gorilla/securecookie",
		"github.com/alexedwards/scs/v2",
		"github.com/labstack/echo-jwt/v4",
		"github.com/labstack/echo-contrib/session",
		"github.com/gofiber/fiber/v3/middleware/session",
		"github.com/gofiber/fiber/v3/middleware/basicauth",
		"github.com/gofiber/fiber/v3/middleware/keyauth",
		"github.com/gofiber/contrib/v3/jwt",
		"github.com/golang-jwt/jwt/v5",
		"github.com/golang-jwt/jwt/v4",
		"github.com/coreos/go-oidc/v3/oidc",
		"golang.org/x/oauth2",
		"github.com/markbates/goth",
	}
}

// loadMode is what the analysis needs: syntax and full type information of
// the repository's own packages.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedImports |
	packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo | packages.NeedModule

// Analyze loads every package of the module in dir (tests excluded: the
// router of the service is built by non-test code) and finds where the
// router of fw is constructed, by type.
func Analyze(ctx context.Context, dir string, mod Module, adapterPkg string) (Analysis, error) {
	cfg := &packages.Config{Context: ctx, Mode: loadMode, Dir: dir, Tests: false}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		return Analysis{}, fmt.Errorf("cannot load the packages of %s (%w); check that go build ./... works, then run psc-init add again", dir, err)
	}
	var loadErrs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			loadErrs = append(loadErrs, e.Error())
		}
	})
	if len(loadErrs) > 0 {
		return Analysis{}, fmt.Errorf("the repository does not build (%s); fix it so that go build ./... works, then run psc-init add again", loadErrs[0])
	}
	want := routerTypeOf(mod.Framework)
	var a Analysis
	auth := map[string]bool{}
	for _, p := range pkgs {
		if p.Module == nil || p.Module.Path != mod.Path {
			continue
		}
		for _, imp := range p.Imports {
			for _, known := range knownAuthPackages() {
				if imp.PkgPath == known || strings.HasPrefix(imp.PkgPath, known+"/") {
					auth[p.PkgPath+" imports "+imp.PkgPath] = true
				}
			}
		}
		for _, f := range p.Syntax {
			if ast.IsGenerated(f) {
				continue
			}
			a.Sites = append(a.Sites, findSites(dir, p, f, want)...)
			if p.PkgPath != adapterPkg {
				a.Mounted = append(a.Mounted, findMounts(dir, p, f, adapterPkg)...)
			}
		}
	}
	for k := range auth {
		a.AuthImports = append(a.AuthImports, k)
	}
	slices.Sort(a.AuthImports)
	slices.SortFunc(a.Sites, func(x, y Site) int {
		if c := strings.Compare(x.File, y.File); c != 0 {
			return c
		}
		return x.Line - y.Line
	})
	slices.Sort(a.Mounted)
	return a, nil
}

// findSites returns the statements of f that construct a router of type
// want with a constructor of its own package (http.NewServeMux, gin.New,
// gin.Default, echo.New, fiber.New, &http.ServeMux{}) and store it in one
// variable. Calls to the repository's own helpers are not constructions:
// the helper's body holds the real one.
func findSites(dir string, p *packages.Package, f *ast.File, want routerType) []Site {
	var sites []Site
	ast.Inspect(f, func(n ast.Node) bool {
		stmt, ok := n.(ast.Stmt)
		if !ok {
			return true
		}
		id, rhs := singleAssignment(stmt)
		if id == nil || !isConstruction(p.TypesInfo, rhs, want) {
			return true
		}
		obj := p.TypesInfo.ObjectOf(id)
		if obj == nil || !want.matches(obj.Type()) {
			return true
		}
		path, _ := astutil.PathEnclosingInterval(f, stmt.Pos(), stmt.End())
		s := Site{pkg: p, file: f, stmt: stmt, Var: id.Name}
		for _, anc := range path[1:] {
			switch fn := anc.(type) {
			case *ast.FuncLit:
				if s.fn == nil {
					s.fn, s.Func = fn, "func literal"
				}
			case *ast.FuncDecl:
				if s.fn == nil {
					s.fn, s.Func = fn, funcName(fn)
				} else if s.Func == "func literal" {
					s.Func = "a func literal in " + funcName(fn)
				}
			}
		}
		if s.fn == nil {
			// A package-level var: no statement list to insert into.
			return true
		}
		pos := p.Fset.Position(stmt.Pos())
		s.File, s.Line = relPath(dir, pos.Filename), pos.Line
		if !fs.ValidPath(s.File) {
			// Not a file of the repository (a replaced module, a file of the
			// build cache): never edited.
			return true
		}
		sites = append(sites, s)
		return true
	})
	return sites
}

// singleAssignment returns the variable and value of `x := v`, `x = v` and
// `var x = v` statements with one variable.
func singleAssignment(stmt ast.Stmt) (*ast.Ident, ast.Expr) {
	switch s := stmt.(type) {
	case *ast.AssignStmt:
		if len(s.Lhs) != 1 || len(s.Rhs) != 1 || (s.Tok != token.DEFINE && s.Tok != token.ASSIGN) {
			return nil, nil
		}
		id, _ := s.Lhs[0].(*ast.Ident)
		return id, s.Rhs[0]
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR || len(gd.Specs) != 1 {
			return nil, nil
		}
		vs, ok := gd.Specs[0].(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
			return nil, nil
		}
		return vs.Names[0], vs.Values[0]
	}
	return nil, nil
}

// isConstruction reports whether e builds a new router with a function or
// composite literal of the router's own package.
func isConstruction(info *types.Info, e ast.Expr, want routerType) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		sel, ok := ast.Unparen(e.Fun).(*ast.SelectorExpr)
		if !ok {
			return false
		}
		fn, ok := info.Uses[sel.Sel].(*types.Func)
		return ok && fn.Pkg() != nil && fn.Pkg().Path() == want.pkg
	case *ast.UnaryExpr:
		lit, ok := e.X.(*ast.CompositeLit)
		return ok && e.Op == token.AND && info.Types[lit].Type != nil && want.matches(types.NewPointer(info.Types[lit].Type))
	}
	return false
}

// findMounts returns the calls of adapterPkg.Mount (the function, or the
// method of a Login built with New) in f.
func findMounts(dir string, p *packages.Package, f *ast.File, adapterPkg string) []string {
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if fn, ok := p.TypesInfo.Uses[sel.Sel].(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == adapterPkg && fn.Name() == "Mount" {
			pos := p.Fset.Position(call.Pos())
			out = append(out, fmt.Sprintf("%s:%d", relPath(dir, pos.Filename), pos.Line))
		}
		return true
	})
	return out
}

func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	recv := fn.Recv.List[0].Type
	if star, ok := recv.(*ast.StarExpr); ok {
		recv = star.X
	}
	if id, ok := recv.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

// relPath returns name relative to dir, slash-separated.
func relPath(dir, name string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return filepath.ToSlash(name)
	}
	rel, err := filepath.Rel(abs, name)
	if err != nil {
		return filepath.ToSlash(name)
	}
	return filepath.ToSlash(rel)
}

// errNoSite is wrapped by the reasons why no edit is made.
var errNoSite = errors.New("no safe place to wire the login")
