// Command syncdeps refreshes templates/deps/<framework>-<session>-<client_auth>/
// (require.txt and go.sum) for every available combination: it renders the
// service into a temporary directory, runs `go mod tidy` there (through the
// go command, so it uses the network or the module cache) and writes the
// resulting require block and go.sum back. It is a maintainer tool, run from
// the repository root; tests never run it. The versions of the PSC
// libraries are pinned (see pins); tidy adds what they need.
//
//	go run ./internal/tools/syncdeps [-templates templates]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing/fstest"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/generator/write"
)

// goTimeout bounds each go command.
const goTimeout = 5 * time.Minute

// pins are the versions psc-init allows for the generated service of c: they
// are required before tidying, so tidy never picks another version of them.
// Only the chosen framework and session store are pinned, so that a
// combination never pulls (and records) modules it does not include.
func pins(c combo) []string {
	p := []string{
		"github.com/coreos/go-oidc/v3@v3.21.0",
		"golang.org/x/oauth2@v0.38.0",
		"github.com/go-jose/go-jose/v4@v4.1.9",
		// Certificates from PKCS#12 files: client (mTLS) and server TLS.
		"software.sslmate.com/src/go-pkcs12@v0.7.4",
	}
	if fw, ok := frameworkModules()[c.framework]; ok {
		p = append(p, fw)
	}
	if driver, ok := storeDrivers()[c.session]; ok {
		p = append(p, driver)
	}
	return p
}

// frameworkModules maps a web framework to its pinned module (net/http is
// the standard library). gin is pinned because a newer gin-contrib/sse needs
// a newer Go than generated services use.
func frameworkModules() map[string]string {
	return map[string]string{
		string(generator.FrameworkGin):   "github.com/gin-gonic/gin@v1.12.0",
		string(generator.FrameworkEcho):  "github.com/labstack/echo/v5@v5.4.6",
		string(generator.FrameworkFiber): "github.com/gofiber/fiber/v3@v3.1.0",
	}
}

// storeDrivers maps a session store to the pinned module of its driver.
func storeDrivers() map[string]string {
	return map[string]string{
		string(generator.SessionSQLite):   "modernc.org/sqlite@v1.62.0",
		string(generator.SessionRedis):    "github.com/redis/go-redis/v9@v9.23.0",
		string(generator.SessionPostgres): "github.com/jackc/pgx/v5@v5.13.0",
	}
}

func main() {
	templatesDir := flag.String("templates", "templates", "templates directory of the psc-init repository")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(*templatesDir, log); err != nil {
		log.Error("syncdeps failed", "err", err)
		os.Exit(1)
	}
}

func run(templatesDir string, log *slog.Logger) error {
	for _, combo := range combinations() {
		if err := sync(templatesDir, combo, log); err != nil {
			return fmt.Errorf("%s: %w", combo.name(), err)
		}
	}
	return nil
}

// combo is one dependency set.
type combo struct {
	framework, session, clientAuth string
}

func (c combo) name() string { return c.framework + "-" + c.session + "-" + c.clientAuth }

// combinations lists every available framework × session × client_auth.
func combinations() []combo {
	avail := map[string][]string{}
	for _, q := range generator.Questions() {
		avail[q.Key] = q.AvailableValues()
	}
	var out []combo
	for _, f := range avail[generator.KeyFramework] {
		for _, s := range avail[generator.KeySession] {
			for _, a := range avail[generator.KeyClientAuth] {
				out = append(out, combo{f, s, a})
			}
		}
	}
	return out
}

func sync(templatesDir string, c combo, log *slog.Logger) error {
	spec, err := generator.NewSpec(generator.Answers{
		generator.KeyModule:     "example.com/psc-init/syncdeps",
		generator.KeyFramework:  c.framework,
		generator.KeySession:    c.session,
		generator.KeyClientAuth: c.clientAuth,
	})
	if err != nil {
		return err
	}
	depsDir := "deps/" + c.name()
	base := os.DirFS(templatesDir)
	// Start from the current require block (empty for a new combination) and
	// an empty go.sum, so tidy recomputes every sum.
	require, err := fs.ReadFile(base, depsDir+"/require.txt")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read require.txt: %w", err)
	}
	overlay := overlayFS{base: base, files: fstest.MapFS{
		depsDir + "/require.txt": {Data: require},
		depsDir + "/go.sum":      {Data: nil},
	}}
	files, err := generator.Generator{Templates: overlay}.Generate(spec)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "psc-init-syncdeps-*")
	if err != nil {
		return fmt.Errorf("create temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	svc := filepath.Join(tmp, "svc")
	if _, err := write.NewDir(svc, files, false); err != nil {
		return err
	}
	if err := goCmd(svc, append([]string{"get"}, pins(c)...)...); err != nil {
		return err
	}
	if err := goCmd(svc, "mod", "tidy"); err != nil {
		return err
	}
	newRequire, err := requireBlock(filepath.Join(svc, "go.mod"))
	if err != nil {
		return err
	}
	sum, err := os.ReadFile(filepath.Join(svc, "go.sum"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read go.sum: %w", err)
	}
	out := filepath.Join(templatesDir, filepath.FromSlash(depsDir))
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", out, err)
	}
	if err := os.WriteFile(filepath.Join(out, "require.txt"), []byte(newRequire), 0o644); err != nil {
		return fmt.Errorf("write require.txt: %w", err)
	}
	if err := os.WriteFile(filepath.Join(out, "go.sum"), sum, 0o644); err != nil {
		return fmt.Errorf("write go.sum: %w", err)
	}
	log.Info("dependency set written", "combination", c.name(), "dir", out)
	return nil
}

// goCmd runs the go command in dir, with a timeout.
func goCmd(dir string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), goTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// requireBlock returns the text of go.mod after its go directive, checking
// that tidy kept generator.GoVersion and added nothing but requirements.
func requireBlock(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read go.mod: %w", err)
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		return "", fmt.Errorf("parse go.mod: %w", err)
	}
	if f.Go == nil || f.Go.Version != generator.GoVersion {
		return "", fmt.Errorf("go mod tidy set the go directive to %v; update generator.GoVersion to it", f.Go)
	}
	if f.Toolchain != nil || len(f.Replace) > 0 || len(f.Exclude) > 0 || len(f.Retract) > 0 {
		return "", errors.New("go mod tidy added directives other than require; review the templates")
	}
	text := string(data)
	goLine := "\ngo " + generator.GoVersion + "\n"
	i := strings.Index(text, goLine)
	if i < 0 {
		return "", errors.New("go.mod has no go directive line")
	}
	return strings.TrimLeft(text[i+len(goLine):], "\n"), nil
}

// overlayFS serves files from files first, then from base.
type overlayFS struct {
	base  fs.FS
	files fstest.MapFS
}

// Open opens name from the overlay or the base.
func (o overlayFS) Open(name string) (fs.File, error) {
	if _, ok := o.files[name]; ok {
		return o.files.Open(name)
	}
	return o.base.Open(name)
}
