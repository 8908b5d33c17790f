package generator_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pscinit/psc-init/generator"
)

// TestCoreIdenticalAcrossFrameworks generates every framework with the same other answers and checks
// that the framework-neutral parts (the PSC core, the fake PSC, the shared conformance suite, the pages)
// are the same bytes in all of them: only the adapter may differ.
func TestCoreIdenticalAcrossFrameworks(t *testing.T) {
	shared := func(path string) bool {
		switch {
		case strings.HasPrefix(path, "internal/psc/"):
			return true
		case strings.HasPrefix(path, "conformance/"):
			return path != "conformance/harness_test.go"
		case strings.HasPrefix(path, "internal/web/"):
			return !strings.HasSuffix(path, ".go") || path == "internal/web/view.go" || path == "internal/web/assets.go"
		}
		return false
	}
	for _, session := range []string{"memory", "redis"} {
		var reference generator.Files
		var referenceFramework string
		for _, fw := range []string{"nethttp", "gin", "echo", "fiber"} {
			spec, err := generator.NewSpec(generator.Answers{
				generator.KeyModule:    "example.com/clinic/portal",
				generator.KeyFramework: fw,
				generator.KeySession:   session,
			})
			if err != nil {
				t.Fatal(err)
			}
			files, err := generator.Generate(spec)
			if err != nil {
				t.Fatalf("%s: %v", fw, err)
			}
			if reference == nil {
				reference, referenceFramework = files, fw
				continue
			}
			for _, f := range reference {
				if !shared(f.Path) {
					continue
				}
				g, ok := files.Get(f.Path)
				switch {
				case !ok:
					t.Errorf("session %s: %s is generated for %s but not for %s", session, f.Path, referenceFramework, fw)
				case !bytes.Equal(f.Data, g.Data):
					t.Errorf("session %s: %s differs between %s and %s; the core must be the same bytes in every flavour", session, f.Path, referenceFramework, fw)
				}
			}
			for _, g := range files {
				if _, ok := reference.Get(g.Path); shared(g.Path) && !ok {
					t.Errorf("session %s: %s is generated for %s but not for %s", session, g.Path, fw, referenceFramework)
				}
			}
		}
	}
}
