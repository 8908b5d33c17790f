package generator_test

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/internal/cli"
)

// The benchmarks of psc-init itself; BENCHMARKS.md records their figures.
// Run them all with .ci/bench, or:
//
//	go test ./generator -run '^$' -bench . -benchmem -count 6

// benchModule is the module path of every benchmarked service.
const benchModule = "example.com/clinic/portal"

// BenchmarkRender renders and formats a full service in memory (plan,
// text/template, go/format, manifest), once per framework with the memory
// store: the work of `psc-init new` minus the disk.
func BenchmarkRender(b *testing.B) {
	for _, fw := range []string{"nethttp", "gin", "echo", "fiber"} {
		b.Run(fw, func(b *testing.B) {
			spec, err := generator.NewSpec(generator.Answers{
				generator.KeyModule:    benchModule,
				generator.KeyFramework: fw,
			})
			if err != nil {
				b.Fatalf("NewSpec: %v", err)
			}
			var files generator.Files
			b.ReportAllocs()
			for b.Loop() {
				files, err = generator.Generate(spec)
				if err != nil {
					b.Fatalf("Generate: %v", err)
				}
			}
			b.ReportMetric(float64(len(files)), "files")
		})
	}
}

// BenchmarkNewCommand runs the whole `psc-init new DIR --module M --yes
// --force` through the CLI entry point, writing to a temporary directory:
// flag parsing, generation, the atomic write and the manifest.
func BenchmarkNewCommand(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "svc")
	args := []string{"new", dir, "--module", benchModule, "--yes", "--force"}
	var stderr strings.Builder
	b.ReportAllocs()
	for b.Loop() {
		stderr.Reset()
		if code := cli.Main(args, strings.NewReader(""), io.Discard, &stderr); code != cli.ExitOK {
			b.Fatalf("psc-init new exited %d: %s", code, stderr.String())
		}
	}
}
