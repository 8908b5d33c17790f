package write_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/generator/write"
)

// TestHostileButValidAnswersBuild generates services whose module path and
// name are Go keywords (valid for the go command, dangerous for a careless
// template that would use them as identifiers or package names) and builds
// them with the go.mod and go.sum psc-init wrote. Slow: skipped with -short.
func TestHostileButValidAnswersBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds generated services; run without -short")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build generated services: %v", err)
	}
	cases := []generator.Answers{
		{generator.KeyModule: "example.com/go/type"},
		{generator.KeyModule: "example.com/func/v2", generator.KeyName: "import", generator.KeyFramework: "fiber"},
	}
	for _, a := range cases {
		t.Run(a[generator.KeyModule], func(t *testing.T) {
			spec, err := generator.NewSpec(a)
			if err != nil {
				t.Fatalf("answers %v refused: %v", a, err)
			}
			files, err := generator.Generate(spec)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "svc")
			if _, err := write.NewDir(dir, files, false); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(goBin, "build", "./...")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go build ./... of the service for %v: %v\n%s", a, err, out)
			}
		})
	}
}
