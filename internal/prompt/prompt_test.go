package prompt

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/AlecAivazis/survey/v2/core"
)

func noGin(v string) error {
	if v == "gin" {
		return errors.New(`framework "gin" is not available yet; use nethttp`)
	}
	return nil
}

func TestHeadless(t *testing.T) {
	var h Headless
	if _, err := h.Ask(Question{Key: "module", Required: true}); !errors.Is(err, ErrUnanswered) {
		t.Errorf("required question: err = %v, want ErrUnanswered", err)
	}
	v, err := h.Ask(Question{Key: "framework", Default: "nethttp"})
	if err != nil || v != "" {
		t.Errorf("optional question = %q, %v; want no answer (the default applies later)", v, err)
	}
}

func TestPassword(t *testing.T) {
	if _, err := (Headless{}).Password(Question{Key: "password"}); !errors.Is(err, ErrUnanswered) {
		t.Errorf("headless password err = %v, want ErrUnanswered", err)
	}
	s := &Scripted{Answers: map[string]string{"password": " s3cret ", "empty": ""}}
	if v, err := s.Password(Question{Key: "password", Default: "ignored"}); err != nil || v != " s3cret " {
		t.Errorf("password = %q, %v; want it as typed", v, err)
	}
	if v, err := s.Password(Question{Key: "empty", Default: "ignored"}); err != nil || v != "" {
		t.Errorf("empty password = %q, %v; want it empty, with no default", v, err)
	}
	if _, err := s.Password(Question{Key: "other"}); !errors.Is(err, ErrUnanswered) {
		t.Errorf("unscripted password err = %v, want ErrUnanswered", err)
	}
	if got := strings.Join(s.Asked, ","); got != "password,empty,other" {
		t.Errorf("Asked = %s", got)
	}
}

func TestScripted(t *testing.T) {
	s := &Scripted{Answers: map[string]string{"module": "example.com/x", "name": "", "framework": "gin"}}
	if v, err := s.Ask(Question{Key: "module", Required: true}); err != nil || v != "example.com/x" {
		t.Errorf("module = %q, %v", v, err)
	}
	if v, err := s.Ask(Question{Key: "name", Default: "x"}); err != nil || v != "x" {
		t.Errorf("name = %q, %v; want the default", v, err)
	}
	if _, err := s.Ask(Question{Key: "framework", Validate: noGin}); err == nil || !strings.Contains(err.Error(), "not available") {
		t.Errorf("framework err = %v, want the validator's error", err)
	}
	if _, err := s.Ask(Question{Key: "session"}); !errors.Is(err, ErrUnanswered) {
		t.Errorf("unscripted err = %v, want ErrUnanswered", err)
	}
	if got := strings.Join(s.Asked, ","); got != "module,name,framework,session" {
		t.Errorf("Asked = %s", got)
	}
}

func TestSurveyValidatorAdapter(t *testing.T) {
	q := Question{Key: "framework", Required: true, Validate: noGin}
	if err := validate(q, core.OptionAnswer{Value: "gin", Index: 1}); err == nil {
		t.Error("select answer gin accepted")
	}
	if err := validate(q, core.OptionAnswer{Value: "nethttp"}); err != nil {
		t.Errorf("select answer nethttp refused: %v", err)
	}
	if err := validate(q, ""); err == nil {
		t.Error("empty answer to a required question accepted")
	}
	if err := validate(Question{Key: "name"}, ""); err != nil {
		t.Errorf("empty optional answer refused: %v", err)
	}
	if err := validate(q, 42); err == nil {
		t.Error("unexpected answer type accepted")
	}
}

func TestTerminals(t *testing.T) {
	if _, _, ok := Terminals(strings.NewReader(""), &bytes.Buffer{}); ok {
		t.Error("readers and buffers reported as terminals")
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, _, ok := Terminals(f, f); ok {
		t.Error("regular files reported as terminals")
	}
}
