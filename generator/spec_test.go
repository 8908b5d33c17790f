package generator

import (
	"errors"
	"strings"
	"testing"
)

func TestNewSpecDefaults(t *testing.T) {
	spec, err := NewSpec(Answers{KeyModule: "example.com/clinic/patient-portal/v2"})
	if err != nil {
		t.Fatalf("NewSpec: %v", err)
	}
	want := Spec{
		Module:      "example.com/clinic/patient-portal/v2",
		Name:        "patient-portal",
		Framework:   FrameworkNetHTTP,
		Session:     SessionMemory,
		ClientAuth:  ClientAuthSecret,
		Environment: EnvironmentBAS,
	}
	if spec.Module != want.Module || spec.Name != want.Name || spec.Framework != want.Framework ||
		spec.Session != want.Session || spec.ClientAuth != want.ClientAuth || spec.Environment != want.Environment {
		t.Errorf("NewSpec = %+v, want %+v", spec, want)
	}
	issuer, err := spec.Issuer()
	if err != nil || issuer != IssuerBAS {
		t.Errorf("Issuer() = %q, %v; want %q", issuer, err, IssuerBAS)
	}
}

func TestNewSpecProdIssuer(t *testing.T) {
	spec, err := NewSpec(Answers{KeyModule: "example.com/a", KeyEnvironment: "prod", KeyName: "front"})
	if err != nil {
		t.Fatalf("NewSpec: %v", err)
	}
	if spec.Name != "front" {
		t.Errorf("Name = %q, want the explicit answer", spec.Name)
	}
	if issuer, _ := spec.Issuer(); issuer != IssuerProd {
		t.Errorf("Issuer() = %q, want %q", issuer, IssuerProd)
	}
}

func TestNewSpecRefuses(t *testing.T) {
	tests := []struct {
		name    string
		answers Answers
		want    string // substring of the error
	}{
		{"empty module", Answers{KeyModule: ""}, "missing required answer: module; pass --module (e.g. --module example.com/team/service)"},
		{"no module", Answers{}, "missing required answer: module"},
		{"dot dot", Answers{KeyModule: "example.com/../etc"}, `module path "example.com/../etc" is not a valid Go module path`},
		{"space", Answers{KeyModule: "example.com/my service"}, "is not a valid Go module path"},
		{"quote", Answers{KeyModule: `example.com/a"b`}, "is not a valid Go module path"},
		{"backquote", Answers{KeyModule: "example.com/a`b"}, "is not a valid Go module path"},
		{"unicode", Answers{KeyModule: "exämple.com/svc"}, "is not a valid Go module path"},
		{"template braces", Answers{KeyModule: "example.com/{{.Name}}"}, "is not a valid Go module path"},
		{"newline", Answers{KeyModule: "example.com/a\nb"}, `"example.com/a\nb"`},
		{"no dot in host", Answers{KeyModule: "service"}, "missing dot in first path element"},
		{"absolute", Answers{KeyModule: "/example.com/x"}, "is not a valid Go module path"},
		{"unknown framework", Answers{KeyModule: "example.com/x", KeyFramework: "rails"}, `framework "rails" is not a known framework; use one of nethttp, gin, echo, fiber`},
		{"unknown client auth", Answers{KeyModule: "example.com/x", KeyClientAuth: "jwt"}, `client_auth "jwt" is not a known client_auth; use one of secret, mtls`},
		{"unknown tls", Answers{KeyModule: "example.com/x", KeyTLS: "stunnel"}, `tls "stunnel" is not a known tls; use one of proxy, direct`},
		{"unknown env", Answers{KeyModule: "example.com/x", KeyEnvironment: "staging"}, `environment "staging" is not a known environment; use one of bas, prod`},
		{"bad name", Answers{KeyModule: "example.com/x", KeyName: "My Service"}, `name "My Service" is not a valid service name`},
		{"name too long", Answers{KeyModule: "example.com/x", KeyName: "a" + strings.Repeat("b", 63)}, "is not a valid service name"},
		{"name leading digit", Answers{KeyModule: "example.com/x", KeyName: "1svc"}, "is not a valid service name"},
		{"derived name invalid", Answers{KeyModule: "example.com/team/My_Service"}, `the name "My_Service" derived from the other answers is not valid; pass --name`},
		{"unknown key", Answers{KeyModule: "example.com/x", "secret": "s3cr3t"}, `unknown answer "secret"; the known answers are module, name, framework, session, client_auth, environment, tls`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSpec(tt.answers)
			if err == nil {
				t.Fatalf("NewSpec(%q) succeeded, want error containing %q", tt.answers, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewSpec(%q) error = %q, want it to contain %q", tt.answers, err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans several lines", err)
			}
			if !strings.Contains(err.Error(), "; ") {
				t.Errorf("error %q does not say how to fix it", err)
			}
		})
	}
}

func TestMissingAnswersErrorType(t *testing.T) {
	_, err := NewSpec(Answers{})
	var me *MissingAnswersError
	if !errors.As(err, &me) || len(me.Keys) != 1 || me.Keys[0] != KeyModule {
		t.Fatalf("NewSpec(empty) error = %#v, want *MissingAnswersError{module}", err)
	}
	several := (&MissingAnswersError{Keys: []string{KeyModule, KeyName}}).Error()
	want := "missing required answers: module, name; pass --module (e.g. --module example.com/team/service) and --name (e.g. --name patient-portal) or set them in the --answers file"
	if several != want {
		t.Errorf("Error() = %q, want %q", several, want)
	}
}

func TestQuestionTable(t *testing.T) {
	seenKeys, seenFlags := map[string]bool{}, map[string]bool{}
	for _, q := range Questions() {
		if q.Secret {
			t.Errorf("question %s is secret: secrets are never answers", q.Key)
		}
		if seenKeys[q.Key] || seenFlags[q.Flag] {
			t.Errorf("question %s/%s declared twice", q.Key, q.Flag)
		}
		seenKeys[q.Key], seenFlags[q.Flag] = true, true
		if q.Message == "" || q.Help == "" {
			t.Errorf("question %s lacks a prompt message or help", q.Key)
		}
		if q.Kind == KindEnum {
			if len(q.AvailableValues()) == 0 {
				t.Errorf("enum %s has no available value", q.Key)
			}
			if def := q.Default(nil); q.Check(def) != nil {
				t.Errorf("default %q of %s is refused: %v", def, q.Key, q.Check(def))
			}
		}
		if q.Example != "" {
			if err := q.Check(q.Example); err != nil {
				t.Errorf("example %q of %s is refused: %v", q.Example, q.Key, err)
			}
		}
	}
}

func TestAnswersOverride(t *testing.T) {
	file := Answers{KeyModule: "example.com/file", KeyName: "file"}
	flags := Answers{KeyModule: "example.com/flag", KeyName: ""}
	got := file.Override(flags)
	if got[KeyModule] != "example.com/flag" || got[KeyName] != "file" {
		t.Errorf("Override = %v, want the flag module and the file name", got)
	}
	if file[KeyModule] != "example.com/file" {
		t.Errorf("Override modified its receiver: %v", file)
	}
}
