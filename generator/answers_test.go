package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseAnswers(t *testing.T) {
	a, err := ParseAnswers([]byte("# answers\nmodule: example.com/clinic/portal\nframework: nethttp\nenvironment: prod\n"))
	if err != nil {
		t.Fatalf("ParseAnswers: %v", err)
	}
	want := Answers{KeyModule: "example.com/clinic/portal", KeyFramework: "nethttp", KeyEnvironment: "prod"}
	if len(a) != len(want) {
		t.Fatalf("ParseAnswers = %v, want %v", a, want)
	}
	for k, v := range want {
		if a[k] != v {
			t.Errorf("answer %s = %q, want %q", k, a[k], v)
		}
	}
	empty, err := ParseAnswers(nil)
	if err != nil || len(empty) != 0 {
		t.Errorf("ParseAnswers(empty) = %v, %v; want no answers", empty, err)
	}
}

func TestParseAnswersRefuses(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "module: example.com/x\nframwork: gin\n", `unknown key "framwork" on line 2; the known keys are module, name, framework, session, client_auth, environment, tls`},
		{"secret key", "client_secret: hunter2\n", `unknown key "client_secret"`},
		{"duplicate", "module: example.com/x\nmodule: example.com/y\n", `key "module" is set twice (line 2)`},
		{"list value", "module: [a, b]\n", `key "module" on line 1 must have a single text value`},
		{"null value", "module:\n", `key "module" on line 1 must have a single text value`},
		{"not a mapping", "- module\n", "the document is not a mapping"},
		{"bad yaml", "module: 'x\n", "invalid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAnswers([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseAnswers(%q) error = %v, want it to contain %q", tt.yaml, err, tt.want)
			}
		})
	}
}

func TestLoadAnswersFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "answers.yaml")
	if err := os.WriteFile(good, []byte("module: example.com/x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := LoadAnswersFile(good)
	if err != nil || a[KeyModule] != "example.com/x" {
		t.Errorf("LoadAnswersFile = %v, %v", a, err)
	}

	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("module: example.com/x\n#"+strings.Repeat("x", MaxAnswersFileSize)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadAnswersFile(big); err == nil || !strings.Contains(err.Error(), "is larger than") {
		t.Errorf("LoadAnswersFile(big) error = %v, want a size error", err)
	}

	unknown := filepath.Join(dir, "unknown.yaml")
	if err := os.WriteFile(unknown, []byte("color: blue\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadAnswersFile(unknown); err == nil || !strings.Contains(err.Error(), `answers file "`+unknown+`": unknown key "color"`) {
		t.Errorf("LoadAnswersFile(unknown) error = %v, want the file and the key named", err)
	}

	if _, err := LoadAnswersFile(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "cannot open answers file") {
		t.Errorf("LoadAnswersFile(missing) error = %v", err)
	}
}
