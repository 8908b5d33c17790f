package write_test

import (
	"bytes"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/generator/write"
)

// hostileAnswers are module paths and names a careless or malicious user
// might type: traversal, separators, spaces, quotes, Unicode, template
// syntax, Go keywords and comment markers.
var hostileAnswers = []struct{ module, name string }{
	{"../evil", ""},
	{"example.com/../../evil", ""},
	{"example.com/a/../../../evil", "evil"},
	{"/tmp/evil", ""},
	{`example.com\evil`, ""},
	{"example.com/has space", ""},
	{`example.com/"quoted"`, ""},
	{"example.com/it's", ""},
	{"example.com/é", ""},
	{"exämple.com/x", ""},
	{"example.com/{{.Module}}", ""},
	{"example.com/x}}", ""},
	{"example.com/x//y", ""},
	{"example.com/x/*/y", ""},
	{"example.com/x\n// injected", ""},
	{"example.com/x;rm -rf", ""},
	{"example.com/$(id)", ""},
	{"example.com/type", ""},
	{"example.com/func/v2", ""},
	{"example.com/package", "import"},
	{"example.com/x", ".."},
	{"example.com/x", "../evil"},
	{"example.com/x", "a/b"},
	{"example.com/x", "a b"},
	{"example.com/x", `a"b`},
	{"example.com/x", "é"},
	{"example.com/x", "{{"},
	{"example.com/x", "// x"},
	{"example.com/x", "func"},
}

// TestHostileAnswersStayInsideDir generates every hostile answer psc-init
// accepts into its own directory with write.NewDir and checks that each file
// lands inside that directory, that Go files parse, that nothing else
// appears around it, and that refused answers get a one-line error.
func TestHostileAnswersStayInsideDir(t *testing.T) {
	root := t.TempDir()
	parent := filepath.Join(root, "parent")
	if err := os.Mkdir(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	sentinel := filepath.Join(root, "outside.txt")
	if err := os.WriteFile(sentinel, []byte("untouched\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantEntries := map[string]bool{"parent": true, "outside.txt": true}
	accepted := 0
	for i, a := range hostileAnswers {
		spec, err := generator.NewSpec(generator.Answers{generator.KeyModule: a.module, generator.KeyName: a.name})
		if err != nil {
			if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || strings.TrimSpace(msg) == "" {
				t.Errorf("module %q, name %q: refusal is not one line: %q", a.module, a.name, msg)
			}
			continue
		}
		accepted++
		files, err := generator.Generate(spec)
		if err != nil {
			t.Fatalf("module %q, name %q accepted but not generated: %v", a.module, a.name, err)
		}
		dirName := fmt.Sprintf("svc%02d", i)
		dir := filepath.Join(parent, dirName)
		if _, err := write.NewDir(dir, files, false); err != nil {
			t.Fatalf("module %q, name %q: NewDir: %v", a.module, a.name, err)
		}
		wantEntries[filepath.Join("parent", dirName)] = true
		checkWritten(t, dir, files)
	}
	if accepted < 3 {
		t.Fatalf("only %d hostile answers were accepted; the Go keyword module paths should be", accepted)
	}
	data, err := os.ReadFile(sentinel)
	if err != nil || string(data) != "untouched\n" {
		t.Fatalf("file outside the service directories changed: %q, %v", data, err)
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "." || strings.HasPrefix(rel, "parent"+string(filepath.Separator)+"svc") && strings.Count(rel, string(filepath.Separator)) > 1 {
			return nil
		}
		if !wantEntries[rel] {
			t.Errorf("unexpected entry %s outside the service directories", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkWritten checks that dir holds exactly files, each inside dir (no
// symbolic link), and that every Go file parses.
func checkWritten(t *testing.T, dir string, files generator.Files) {
	t.Helper()
	want := map[string][]byte{}
	for _, f := range files {
		want[filepath.FromSlash(f.Path)] = f.Data
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || strings.HasPrefix(rel, "..") {
			t.Errorf("%s is outside %s", p, dir)
			return nil
		}
		if !d.Type().IsRegular() {
			t.Errorf("%s is not a regular file", rel)
			return nil
		}
		data, ok := want[rel]
		if !ok {
			t.Errorf("%s written but not generated", rel)
			return nil
		}
		delete(want, rel)
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s differs from the generated content (%v)", rel, err)
		}
		if strings.HasSuffix(rel, ".go") {
			if _, err := parser.ParseFile(token.NewFileSet(), p, got, parser.AllErrors); err != nil {
				t.Errorf("%s does not parse: %v", rel, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for rel := range want {
		t.Errorf("%s generated but not written", rel)
	}
}
