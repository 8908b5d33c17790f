package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Mode says how a template file becomes an output file.
type Mode int

const (
	// ModeTemplate renders the file with text/template.
	ModeTemplate Mode = iota
	// ModeCopy copies the file byte for byte (e.g. HTML templates of the
	// service, which contain "{{" of their own).
	ModeCopy
)

// Owner says who owns a generated file after generation.
type Owner string

const (
	// OwnerGenerator files are regenerated on upgrade.
	OwnerGenerator Owner = "generator"
	// OwnerUser files are created once: a seam the user owns.
	OwnerUser Owner = "user"
)

// Template tree roots inside the templates file system.
const (
	serviceRoot    = "service"
	frameworksRoot = "frameworks"
	depsRoot       = "deps"
	tmplSuffix     = ".tmpl"
)

// PlanEntry is one output file.
type PlanEntry struct {
	// Path is the slash-separated output path relative to the service root.
	Path string
	// Template is the source path in the templates file system.
	Template string
	// Mode says whether Template is rendered or copied.
	Mode Mode
	// Owner says who owns the file after generation.
	Owner Owner
	// Condition describes why the file is included ("" when always).
	Condition string
}

// Plan is the sorted list of files a Spec produces.
type Plan []PlanEntry

// rename maps an output path derived from a template name to its real name.
// Dot-files cannot be named as such in templates without surprises (tools
// skip them), so they are listed here.
func rename(p string) string {
	switch p {
	case "gitignore":
		return ".gitignore"
	case "golangci.yml":
		return ".golangci.yml"
	}
	return p
}

// condition includes the files under a path prefix only when include holds.
type condition struct {
	prefix  string
	desc    string
	include func(Spec) bool
}

// conditions is the one table of optional files, keyed by output path
// prefix. A file matching several prefixes needs all of them to hold; a file
// matching none is always included.
func conditions() []condition {
	session := func(want Session) func(Spec) bool {
		return func(s Spec) bool { return s.Session == want }
	}
	shared := func(s Spec) bool { return s.Session == SessionRedis || s.Session == SessionPostgres }
	auth := func(want ClientAuth) func(Spec) bool {
		return func(s Spec) bool { return s.ClientAuth == want }
	}
	serverTLS := func(want TLS) func(Spec) bool {
		return func(s Spec) bool { return s.TLS == want }
	}
	return []condition{
		{"internal/psc/store_sqlite", "session == sqlite", session(SessionSQLite)},
		{"internal/psc/store_redis", "session == redis", session(SessionRedis)},
		{"internal/psc/store_postgres", "session == postgres", session(SessionPostgres)},
		{"internal/psc/storetest/redis", "session == redis", session(SessionRedis)},
		{"internal/psc/storetest/postgres", "session == postgres", session(SessionPostgres)},
		{"internal/psc/storetest/cluster", "session == redis || session == postgres", shared},
		{"internal/psc/storetest/servers", "session == redis || session == postgres", shared},
		{"internal/server/cluster_redis", "session == redis", session(SessionRedis)},
		{"internal/server/cluster_postgres", "session == postgres", session(SessionPostgres)},
		{"internal/server/shutdown_sqlite", "session == sqlite", session(SessionSQLite)},
		{"internal/server/shutdown_redis", "session == redis", session(SessionRedis)},
		{"internal/server/shutdown_postgres", "session == postgres", session(SessionPostgres)},
		{"internal/psc/clientauth_secret", "client_auth == secret", auth(ClientAuthSecret)},
		{"internal/psc/clientauth_mtls", "client_auth == mtls", auth(ClientAuthMTLS)},
		{"internal/psc/psctest/clientenv_secret", "client_auth == secret", auth(ClientAuthSecret)},
		{"internal/psc/psctest/clientenv_mtls", "client_auth == mtls", auth(ClientAuthMTLS)},
		{"conformance/mtls", "client_auth == mtls", auth(ClientAuthMTLS)},
		{"internal/server/tls_proxy", "tls == proxy", serverTLS(TLSProxy)},
		{"internal/server/tls_direct", "tls == direct", serverTLS(TLSDirect)},
		{"conformance/tls_direct", "tls == direct", serverTLS(TLSDirect)},
	}
}

// owners maps output path prefixes to OwnerUser: the seams psc-init creates
// once for the user to fill (their routes, their README). Every other file is
// owned by the generator.
func owners() []string {
	return []string{
		"README.md",
		"internal/web/app_routes.go",
	}
}

// NewPlan lists the files spec produces from the templates in fsys: the
// shared skeleton under service/, overridden or extended by
// frameworks/<framework>/, filtered by the condition table.
func NewPlan(spec Spec, fsys fs.FS) (Plan, error) {
	byPath := map[string]PlanEntry{}
	if err := collect(fsys, serviceRoot, byPath); err != nil {
		return nil, err
	}
	if len(byPath) == 0 {
		return nil, errors.New("no templates under service/; this psc-init build is incomplete, reinstall it")
	}
	fwRoot := path.Join(frameworksRoot, string(spec.Framework))
	if _, err := fs.Stat(fsys, fwRoot); err != nil {
		return nil, fmt.Errorf("no templates for framework %q (%w); this psc-init build is incomplete, reinstall it", spec.Framework, err)
	}
	if err := collect(fsys, fwRoot, byPath); err != nil {
		return nil, err
	}
	var plan Plan
	for _, e := range byPath {
		include, desc := included(spec, e.Path)
		if !include {
			continue
		}
		e.Condition = desc
		e.Owner = ownerOf(e.Path)
		plan = append(plan, e)
	}
	slices.SortFunc(plan, func(a, b PlanEntry) int { return strings.Compare(a.Path, b.Path) })
	return plan, nil
}

// collect adds every file under root to byPath, replacing entries with the
// same output path (a framework file replaces the shared one).
func collect(fsys fs.FS, root string, byPath map[string]PlanEntry) error {
	local := map[string]string{}
	err := fs.WalkDir(fsys, root, func(src string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("template %s is not a regular file", src)
		}
		rel := strings.TrimPrefix(src, root+"/")
		mode := ModeCopy
		if strings.HasSuffix(rel, tmplSuffix) {
			mode = ModeTemplate
			rel = strings.TrimSuffix(rel, tmplSuffix)
		} else if strings.HasSuffix(rel, ".go") {
			return fmt.Errorf("template %s is a Go file copied verbatim; name it %s%s", src, path.Base(src), tmplSuffix)
		}
		out := rename(rel)
		if prev, dup := local[out]; dup {
			return fmt.Errorf("templates %s and %s both produce %s", prev, src, out)
		}
		local[out] = src
		byPath[out] = PlanEntry{Path: out, Template: src, Mode: mode}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read templates under %s: %w", root, err)
	}
	return nil
}

func included(spec Spec, p string) (bool, string) {
	var descs []string
	for _, c := range conditions() {
		if !strings.HasPrefix(p, c.prefix) {
			continue
		}
		if !c.include(spec) {
			return false, ""
		}
		descs = append(descs, c.desc)
	}
	return true, strings.Join(descs, " && ")
}

func ownerOf(p string) Owner {
	for _, prefix := range owners() {
		if strings.HasPrefix(p, prefix) {
			return OwnerUser
		}
	}
	return OwnerGenerator
}
