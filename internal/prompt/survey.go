package prompt

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// ErrInterrupted is returned when the user interrupts a prompt (Ctrl-C).
var ErrInterrupted = errors.New("interrupted")

// Survey asks questions on a terminal with github.com/AlecAivazis/survey/v2.
// Invalid answers are refused with the validator's sentence and asked again.
type Survey struct {
	in     *os.File
	out    *os.File
	errOut io.Writer
}

// NewSurvey returns a Survey prompter on the given terminal (see Terminals).
func NewSurvey(in, out *os.File, errOut io.Writer) *Survey {
	return &Survey{in: in, out: out, errOut: errOut}
}

// Ask asks q: a selection when it has options, a text input otherwise.
func (s *Survey) Ask(q Question) (string, error) {
	var p survey.Prompt
	if len(q.Options) > 0 {
		values := make([]string, len(q.Options))
		for i, o := range q.Options {
			values[i] = o.Value
		}
		sel := &survey.Select{
			Message: q.Message,
			Options: values,
			Help:    q.Help,
			Description: func(_ string, i int) string {
				if i < 0 || i >= len(q.Options) {
					return ""
				}
				return q.Options[i].Help
			},
		}
		if q.Default != "" {
			sel.Default = q.Default
		}
		p = sel
	} else {
		p = &survey.Input{Message: q.Message, Default: q.Default, Help: q.Help}
	}
	var answer string
	err := survey.AskOne(p, &answer,
		survey.WithStdio(s.in, s.out, s.errOut),
		survey.WithValidator(func(ans any) error { return validate(q, ans) }),
	)
	if errors.Is(err, terminal.InterruptErr) {
		return "", ErrInterrupted
	}
	if err != nil {
		return "", fmt.Errorf("ask %s: %w", q.Key, err)
	}
	return answer, nil
}

// Password asks for q without echoing what is typed.
func (s *Survey) Password(q Question) (string, error) {
	var answer string
	err := survey.AskOne(&survey.Password{Message: q.Message, Help: q.Help}, &answer,
		survey.WithStdio(s.in, s.out, s.errOut))
	if errors.Is(err, terminal.InterruptErr) {
		return "", ErrInterrupted
	}
	if err != nil {
		return "", fmt.Errorf("ask %s: %w", q.Key, err)
	}
	return answer, nil
}

// validate adapts survey's answer types to q.Validate.
func validate(q Question, ans any) error {
	var v string
	switch a := ans.(type) {
	case string:
		v = a
	case core.OptionAnswer:
		v = a.Value
	default:
		return fmt.Errorf("unexpected answer type %T", ans)
	}
	if v == "" {
		if q.Required {
			return errors.New("an answer is required")
		}
		return nil
	}
	if q.Validate != nil {
		return q.Validate(v)
	}
	return nil
}
