package add

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/pscinit/psc-init/generator"
)

// maxGoModBytes bounds the go.mod and go.sum read from the repository.
const maxGoModBytes = 8 << 20

// Module is what add learns from the repository's go.mod.
type Module struct {
	// Path is the module path.
	Path string
	// GoVersion is the go directive ("" when absent).
	GoVersion string
	// Framework is the web framework detected from the direct requirements.
	Framework generator.Framework
	// FrameworkModule is the module path that gave Framework ("" for net/http).
	FrameworkModule string
	// raw and sum are the go.mod and go.sum bytes as read (sum is nil when absent).
	raw, sum []byte
}

// frameworkModule maps a framework module path to what add does with it.
type frameworkModule struct {
	path      string
	framework generator.Framework
	// refusal, when set, is why this version cannot be served and how to move on.
	refusal string
}

// frameworkModules lists the web frameworks add recognises in go.mod.
func frameworkModules() []frameworkModule {
	return []frameworkModule{
		{path: "github.com/gin-gonic/gin", framework: generator.FrameworkGin},
		{path: "github.com/labstack/echo/v5", framework: generator.FrameworkEcho},
		{path: "github.com/labstack/echo/v4", framework: generator.FrameworkEcho,
			refusal: "the repository uses echo v4 and psc-init serves echo v5 only; move the service to github.com/labstack/echo/v5 (see echo's v5 migration notes), then run psc-init add again"},
		{path: "github.com/labstack/echo", framework: generator.FrameworkEcho,
			refusal: "the repository uses echo v3 or older and psc-init serves echo v5 only; move the service to github.com/labstack/echo/v5, then run psc-init add again"},
		{path: "github.com/gofiber/fiber/v3", framework: generator.FrameworkFiber},
		{path: "github.com/gofiber/fiber/v2", framework: generator.FrameworkFiber,
			refusal: "the repository uses fiber v2 and psc-init serves fiber v3 only; move the service to github.com/gofiber/fiber/v3 (see fiber's v3 migration guide), then run psc-init add again"},
		{path: "github.com/gofiber/fiber", framework: generator.FrameworkFiber,
			refusal: "the repository uses fiber v1 and psc-init serves fiber v3 only; move the service to github.com/gofiber/fiber/v3, then run psc-init add again"},
	}
}

// ReadModule reads dir/go.mod (and go.sum) and detects the framework from the
// direct requirements. It refuses a missing go.mod, a Go version older than
// the PSC core needs, several frameworks, and framework versions psc-init
// cannot serve.
func ReadModule(dir string) (Module, error) {
	raw, err := readBounded(filepath.Join(dir, "go.mod"))
	if errors.Is(err, fs.ErrNotExist) {
		return Module{}, fmt.Errorf("no go.mod in %s; run psc-init add at the root of a Go module (or create one with go mod init)", dir)
	}
	if err != nil {
		return Module{}, err
	}
	f, err := modfile.Parse("go.mod", raw, nil)
	if err != nil {
		return Module{}, fmt.Errorf("cannot parse go.mod (%w); fix it so that go build works, then run psc-init add again", err)
	}
	if f.Module == nil || f.Module.Mod.Path == "" {
		return Module{}, errors.New("go.mod has no module line; add one (go mod edit -module example.com/team/service)")
	}
	if _, err := os.Stat(filepath.Join(dir, "vendor", "modules.txt")); err == nil {
		return Module{}, errors.New("the module vendors its dependencies (vendor/modules.txt) and psc-init add does not update vendor/; run it on a copy without vendor/, then go mod vendor, or stop vendoring")
	}
	sum, err := readBounded(filepath.Join(dir, "go.sum"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Module{}, err
	}
	m := Module{Path: f.Module.Mod.Path, Framework: generator.FrameworkNetHTTP, raw: raw, sum: sum}
	if f.Go != nil {
		m.GoVersion = f.Go.Version
	}
	if m.GoVersion == "" || semver.Compare("v"+m.GoVersion, "v"+generator.GoVersion) < 0 {
		have := m.GoVersion
		if have == "" {
			have = "none"
		}
		return Module{}, fmt.Errorf("go.mod declares go %s and the PSC core needs go %s or later; run go mod edit -go=%s (and check your build), then run psc-init add again",
			have, generator.GoVersion, generator.GoVersion)
	}
	var found []frameworkModule
	for _, r := range f.Require {
		if r.Indirect {
			continue
		}
		for _, fm := range frameworkModules() {
			if r.Mod.Path == fm.path {
				found = append(found, fm)
			}
		}
	}
	switch len(found) {
	case 0:
		return m, nil
	case 1:
		if found[0].refusal != "" {
			return Module{}, errors.New(found[0].refusal)
		}
		m.Framework, m.FrameworkModule = found[0].framework, found[0].path
		return m, nil
	}
	paths := make([]string, len(found))
	for i, fm := range found {
		paths[i] = fm.path
	}
	slices.Sort(paths)
	return Module{}, fmt.Errorf("go.mod requires several web frameworks (%s) and psc-init add cannot tell which one serves the login; run it in a module that uses one", strings.Join(paths, ", "))
}

// readBounded reads a file of at most maxGoModBytes.
func readBounded(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxGoModBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxGoModBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes; psc-init add does not read it", name, maxGoModBytes)
	}
	return data, nil
}
