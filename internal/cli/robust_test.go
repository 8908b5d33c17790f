package cli

import (
	"maps"
	"path/filepath"
	"strings"
	"testing"
)

// badInput is one wrong command line and what psc-init must answer.
type badInput struct {
	name  string
	args  []string
	files map[string]string // created in the working directory first
	code  int
	want  string // a fragment of the one-line message
}

// badInputs lists every kind of bad input psc-init can get. Each must give
// one line on stderr, "psc-init: what; how", nothing on stdout, the exit code
// shown, and no directory. (DIR under a read-only mount and a full disk are
// in robust_linux_test.go; an interrupted write in signal_test.go.)
func badInputs() []badInput {
	const mod = "example.com/clinic/svc"
	newSvc := func(extra ...string) []string { return append([]string{"new", "svc"}, extra...) }
	long := strings.Repeat("a", 64)
	return []badInput{
		// Command line.
		{"unknown command", []string{"nwe"}, nil, ExitUsage, `unknown command "nwe"; did you mean 'new'?`},
		{"unknown flag", newSvc("--modul", mod), nil, ExitUsage, "unknown flag: --modul; run 'psc-init new --help'"},
		{"flag without value", newSvc("--module"), nil, ExitUsage, "flag needs an argument: --module"},
		{"bool flag with bad value", newSvc("--module", mod, "--force=maybe"), nil, ExitUsage, `invalid argument "maybe" for "--force" flag`},
		{"no DIR", []string{"new", "--module", mod, "--yes"}, nil, ExitUsage, "missing the directory of the new service"},
		{"empty DIR", []string{"new", "", "--module", mod, "--yes"}, nil, ExitUsage, "the directory of the new service is empty"},
		{"two DIRs", []string{"new", "svc", "other", "--module", mod}, nil, ExitUsage, `too many arguments ("other" after DIR)`},
		{"version with argument", []string{"version", "x"}, nil, ExitUsage, `takes no arguments, got "x"`},
		{"schema with argument", []string{"schema", "x"}, nil, ExitUsage, `takes no arguments, got "x"`},
		{"unknown shell", []string{"completion", "tcsh"}, nil, ExitUsage, `unknown shell "tcsh"; use one of bash`},
		// Enumerated answers.
		{"unknown framework", newSvc("--module", mod, "--framework", "rails", "--yes"), nil, ExitUsage, `framework "rails" is not a known framework; use one of nethttp, gin, echo, fiber`},
		{"unknown session", newSvc("--module", mod, "--session", "mongo", "--yes"), nil, ExitUsage, `session "mongo" is not a known session; use one of memory, sqlite, redis, postgres`},
		{"unknown client auth", newSvc("--module", mod, "--client-auth", "jwt", "--yes"), nil, ExitUsage, `client_auth "jwt" is not a known client_auth`},
		{"unknown environment", newSvc("--module", mod, "--env", "staging", "--yes"), nil, ExitUsage, `environment "staging" is not a known environment; use one of bas, prod`},
		{"framework in wrong case", newSvc("--module", mod, "--framework", "Gin", "--yes"), nil, ExitUsage, `framework "Gin" is not a known framework`},
		// Module paths.
		{"missing module", newSvc("--yes"), nil, ExitFailure, "missing required answer: module; pass --module"},
		{"empty module", newSvc("--module", "", "--yes"), nil, ExitFailure, "missing required answer: module"},
		{"module with ..", newSvc("--module", "example.com/../etc", "--yes"), nil, ExitFailure, `module path "example.com/../etc" is not a valid Go module path`},
		{"absolute module", newSvc("--module", "/etc/passwd", "--yes"), nil, ExitFailure, `module path "/etc/passwd" is not a valid Go module path`},
		{"module with backslash", newSvc("--module", `example.com\x`, "--yes"), nil, ExitFailure, "is not a valid Go module path"},
		{"module with space", newSvc("--module", "example.com/a b", "--yes"), nil, ExitFailure, "is not a valid Go module path"},
		{"module with quote", newSvc("--module", `example.com/"q"`, "--yes"), nil, ExitFailure, "is not a valid Go module path"},
		{"module with Unicode", newSvc("--module", "example.com/é", "--yes"), nil, ExitFailure, "is not a valid Go module path"},
		{"module with template", newSvc("--module", "example.com/{{.Name}}", "--yes"), nil, ExitFailure, "is not a valid Go module path"},
		{"module with newline", newSvc("--module", "example.com/x\n// injected", "--yes"), nil, ExitFailure, "is not a valid Go module path"},
		{"module with trailing slash", newSvc("--module", "example.com/x/", "--yes"), nil, ExitFailure, "trailing slash"},
		{"module without dot", newSvc("--module", "svc/x", "--yes"), nil, ExitFailure, "missing dot in first path element"},
		{"module in upper case", newSvc("--module", "Example.com/x", "--yes"), nil, ExitFailure, "is not a valid Go module path"},
		// Service names.
		{"name ..", newSvc("--module", mod, "--name", "..", "--yes"), nil, ExitFailure, `name ".." is not a valid service name`},
		{"name with slash", newSvc("--module", mod, "--name", "a/b", "--yes"), nil, ExitFailure, `name "a/b" is not a valid service name`},
		{"name with space", newSvc("--module", mod, "--name", "a b", "--yes"), nil, ExitFailure, `name "a b" is not a valid service name`},
		{"name with quote", newSvc("--module", mod, "--name", `a"b`, "--yes"), nil, ExitFailure, "is not a valid service name"},
		{"name with Unicode", newSvc("--module", mod, "--name", "é", "--yes"), nil, ExitFailure, `name "é" is not a valid service name`},
		{"name with template", newSvc("--module", mod, "--name", "{{.Module}}", "--yes"), nil, ExitFailure, "is not a valid service name"},
		{"name too long", newSvc("--module", mod, "--name", long, "--yes"), nil, ExitFailure, "use 1 to 63 lowercase letters"},
		{"name starting with a digit", newSvc("--module", mod, "--name", "9lives", "--yes"), nil, ExitFailure, "starting with a letter"},
		{"derived name invalid", newSvc("--module", "example.com/team/My_Service", "--yes"), nil, ExitFailure, `the name "My_Service" derived from the other answers is not valid; pass --name`},
		// Answers file.
		{"answers flag empty", newSvc("--answers", "", "--yes"), nil, ExitUsage, "--answers is empty; pass the path"},
		{"answers file missing", newSvc("--answers", "nope.yaml", "--yes"), nil, ExitFailure, `cannot open answers file "nope.yaml"`},
		{"answers file is a directory", newSvc("--answers", "adir", "--yes"), map[string]string{"adir/x": ""}, ExitFailure, `cannot read answers file "adir"`},
		{"answers file bad YAML", newSvc("--answers", "a.yaml", "--yes"), map[string]string{"a.yaml": "module: [a\n"}, ExitFailure, "invalid YAML"},
		{"answers file unknown key", newSvc("--answers", "a.yaml", "--yes"), map[string]string{"a.yaml": "module: " + mod + "\ncolour: blue\n"}, ExitFailure, `unknown key "colour" on line 2; the known keys are`},
		{"answers file duplicate key", newSvc("--answers", "a.yaml", "--yes"), map[string]string{"a.yaml": "module: " + mod + "\nmodule: example.com/y\n"}, ExitFailure, `key "module" is set twice (line 2); keep one`},
		{"answers file list value", newSvc("--answers", "a.yaml", "--yes"), map[string]string{"a.yaml": "module:\n  - a\n"}, ExitFailure, `key "module" on line 1 must have a single text value`},
		{"answers file map value", newSvc("--answers", "a.yaml", "--yes"), map[string]string{"a.yaml": "module: {a: b}\n"}, ExitFailure, "must have a single text value"},
		{"answers file null value", newSvc("--answers", "a.yaml", "--yes"), map[string]string{"a.yaml": "module:\n"}, ExitFailure, "must have a single text value"},
		{"answers file not a mapping", newSvc("--answers", "a.yaml", "--yes"), map[string]string{"a.yaml": "- a\n- b\n"}, ExitFailure, "the document is not a mapping"},
		{"answers file key not a string", newSvc("--answers", "a.yaml", "--yes"), map[string]string{"a.yaml": "[a]: b\n"}, ExitFailure, "a key is not a string"},
		{"answers file too large", newSvc("--answers", "a.yaml", "--yes"), map[string]string{"a.yaml": "module: " + mod + "\n#" + strings.Repeat("x", 70000) + "\n"}, ExitFailure, "is larger than 65536 bytes"},
		{"answers file bad value", newSvc("--answers", "a.yaml", "--yes"), map[string]string{"a.yaml": "module: " + mod + "\nframework: rails\n"}, ExitFailure, `framework "rails" is not a known framework`},
		// Target directory.
		{"DIR not empty", newSvc("--module", mod, "--yes"), map[string]string{"svc/notes.txt": "mine"}, ExitFailure, "directory svc is not empty; choose an empty directory or pass --force"},
		{"DIR is a file", []string{"new", "f", "--module", mod, "--yes"}, map[string]string{"f": "x"}, ExitFailure, "f is a file, not a directory; choose another path"},
		{"DIR parent is a file", []string{"new", "f/svc", "--module", mod, "--yes"}, map[string]string{"f": "x"}, ExitFailure, "a parent of f/svc is a file, not a directory"},
		{"generated path is a directory", newSvc("--module", mod, "--yes", "--force"), map[string]string{"svc/go.mod/x": "x"}, ExitFailure, "go.mod is a directory where psc-init generates a file"},
	}
}

func TestEveryBadInputIsOneSentence(t *testing.T) {
	for _, tt := range badInputs() {
		t.Run(tt.name, func(t *testing.T) {
			wd := t.TempDir()
			for name, data := range tt.files {
				mustWriteFile(t, filepath.Join(wd, name), data)
			}
			before := treeOf(t, wd)
			t.Chdir(wd)
			code, stdout, stderr := runCLI(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d", code, tt.code)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			line, ok := strings.CutSuffix(stderr, "\n")
			if !ok || strings.Contains(line, "\n") || !strings.HasPrefix(line, "psc-init: ") || !strings.Contains(line, ";") {
				t.Errorf("stderr = %q, want one line \"psc-init: what is wrong; how to fix it\"", stderr)
			}
			if !strings.Contains(line, tt.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.want)
			}
			if after := treeOf(t, wd); !maps.Equal(before, after) {
				t.Errorf("the working directory changed:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

// TestBadInputNamesAreUnique keeps the table readable in test output.
func TestBadInputNamesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, tt := range badInputs() {
		if seen[tt.name] {
			t.Errorf("bad input %q listed twice", tt.name)
		}
		seen[tt.name] = true
	}
}
