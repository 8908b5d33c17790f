package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/internal/prompt"
)

// runCLI runs psc-init in-process with p as the prompter (nil: detection).
func runCLI(t *testing.T, p prompt.Prompter, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, prompter: p})
	return code, out.String(), errOut.String()
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"ok", []string{"new", filepath.Join(dir, "ok"), "--module", "example.com/x/ok", "--yes"}, ExitOK, ""},
		{"missing module", []string{"new", filepath.Join(dir, "a"), "--yes"}, ExitFailure,
			"psc-init: missing required answer: module; pass --module (e.g. --module example.com/team/service) or set module in the --answers file\n"},
		{"invalid module", []string{"new", filepath.Join(dir, "a"), "--module", "a b", "--yes"}, ExitFailure,
			`psc-init: module path "a b" is not a valid Go module path`},
		{"unknown tls", []string{"new", filepath.Join(dir, "a"), "--module", "example.com/x", "--tls", "stunnel", "--yes"}, ExitUsage,
			"psc-init: tls \"stunnel\" is not a known tls; use one of proxy, direct\n"},
		{"unknown framework", []string{"new", filepath.Join(dir, "a"), "--module", "example.com/x", "--framework", "django"}, ExitUsage,
			"psc-init: framework \"django\" is not a known framework; use one of nethttp, gin, echo, fiber\n"},
		{"unknown flag", []string{"new", "a", "--colour"}, ExitUsage, "psc-init: unknown flag: --colour; run 'psc-init new --help' to see the flags\n"},
		{"no dir", []string{"new", "--module", "example.com/x"}, ExitUsage, "psc-init: missing the directory of the new service"},
		{"two dirs", []string{"new", "a", "b"}, ExitUsage, `psc-init: too many arguments ("b" after DIR)`},
		{"unknown command", []string{"deploy"}, ExitUsage, `psc-init: unknown command "deploy"`},
		{"schema args", []string{"schema", "x"}, ExitUsage, `psc-init: psc-init schema takes no arguments, got "x"`},
		{"help", []string{"--help"}, ExitOK, ""},
		{"no args", nil, ExitOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.HasPrefix(stderr, tt.stderr) {
				t.Errorf("stderr = %q, want it to start with %q", stderr, tt.stderr)
			}
			if strings.Count(stderr, "\n") > 1 {
				t.Errorf("stderr has several lines: %q", stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "a")); !os.IsNotExist(err) {
		t.Errorf("a failed run created its directory (%v)", err)
	}
}

func TestPromptsAskMissingAnswersAndPrintEquivalentCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my svc")
	p := &prompt.Scripted{Answers: map[string]string{
		generator.KeyModule:     "example.com/clinic/front-desk",
		generator.KeyName:       "", // Enter: keep the derived default
		generator.KeyFramework:  "nethttp",
		generator.KeySession:    "",
		generator.KeyClientAuth: "secret",
		generator.KeyTLS:        "",
	}}
	code, stdout, stderr := runCLI(t, p, "new", dir, "--env", "prod")
	if code != ExitOK {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	// --env was given: it is not asked; the others are, in table order.
	wantAsked := []string{"module", "name", "framework", "session", "client_auth", "tls"}
	if !slices.Equal(p.Asked, wantAsked) {
		t.Errorf("asked %q, want %q", p.Asked, wantAsked)
	}
	want := "Equivalent command: psc-init new '" + dir + "' --module example.com/clinic/front-desk --name front-desk" +
		" --framework nethttp --session memory --client-auth secret --env prod --tls proxy --yes\n"
	if !strings.Contains(stdout, want) {
		t.Errorf("stdout = %q, want it to contain %q", stdout, want)
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(generator.ManifestPath)))
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	m, err := generator.ParseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Answers[generator.KeyName] != "front-desk" || m.Answers[generator.KeyEnvironment] != "prod" {
		t.Errorf("manifest answers = %v", m.Answers)
	}
}

func TestPromptsUseTheSameValidation(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "svc")
	p := &prompt.Scripted{Answers: map[string]string{
		generator.KeyModule:     "example.com/x",
		generator.KeyName:       "",
		generator.KeyFramework:  "fiber",
		generator.KeyClientAuth: "kerberos",
	}}
	code, stdout, stderr := runCLI(t, p, "new", dir)
	if code != ExitFailure {
		t.Errorf("exit code = %d, want %d", code, ExitFailure)
	}
	if stderr != "psc-init: client_auth \"kerberos\" is not a known client_auth; use one of secret, mtls\n" {
		t.Errorf("stderr = %q", stderr)
	}
	if strings.Contains(stdout, "Equivalent command") {
		t.Errorf("equivalent command printed after a refused answer: %q", stdout)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("directory created after a refused answer (%v)", err)
	}
}

func TestNothingPromptedWhenAllGiven(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "svc")
	p := &prompt.Scripted{}
	code, stdout, stderr := runCLI(t, p, "new", dir, "--module", "example.com/x", "--name", "x",
		"--framework", "nethttp", "--session", "memory", "--client-auth", "secret", "--env", "bas", "--tls", "proxy")
	if code != ExitOK {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	if len(p.Asked) != 0 || strings.Contains(stdout, "Equivalent command") {
		t.Errorf("asked %q, stdout %q; want no prompt and no equivalent command", p.Asked, stdout)
	}
}

func TestYesNeverPrompts(t *testing.T) {
	p := &prompt.Scripted{Answers: map[string]string{generator.KeyModule: "example.com/x"}}
	code, _, stderr := runCLI(t, p, "new", filepath.Join(t.TempDir(), "svc"), "--yes")
	if code != ExitFailure || len(p.Asked) != 0 {
		t.Errorf("exit code %d, asked %q; want failure without prompting", code, p.Asked)
	}
	if !strings.Contains(stderr, "missing required answer: module") {
		t.Errorf("stderr = %q", stderr)
	}
}

func TestHeadlessWithoutTerminal(t *testing.T) {
	// stdin and stdout are not *os.File: no prompt, no terminal probing.
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader("example.com/typed\n"), stdout: &out, stderr: &errOut}
	code := run([]string{"new", filepath.Join(t.TempDir(), "svc")}, e)
	if code != ExitFailure {
		t.Errorf("exit code = %d, want %d", code, ExitFailure)
	}
	if !strings.HasPrefix(errOut.String(), "psc-init: missing required answer: module; pass --module") {
		t.Errorf("stderr = %q", errOut.String())
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing (no prompt written)", out.String())
	}
}

func TestShellQuote(t *testing.T) {
	tests := map[string]string{
		"svc":                 "svc",
		"./a/b-c_d.e":         "./a/b-c_d.e",
		"my svc":              "'my svc'",
		"it's":                `'it'\''s'`,
		"":                    "''",
		"$(rm -rf /)":         "'$(rm -rf /)'",
		"example.com/x/v2":    "example.com/x/v2",
		"dir;touch pwned":     "'dir;touch pwned'",
		"naïve":               "'naïve'",
		"back`tick":           "'back`tick'",
		"example.com/a@b:c=d": "example.com/a@b:c=d",
	}
	for in, want := range tests {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
