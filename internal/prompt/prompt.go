// Package prompt asks for missing answers. The CLI picks one implementation:
// Survey on a terminal, Headless otherwise (or with --yes), Scripted in tests.
package prompt

import (
	"errors"
	"io"
	"os"

	"golang.org/x/term"
)

// Option is one value of a multiple-choice question.
type Option struct {
	Value string
	Help  string
}

// Question is what a Prompter needs to ask for one answer.
type Question struct {
	// Key names the answer (answers-file key).
	Key string
	// Message is the question shown to the user.
	Message string
	// Help is shown on request ("?") in interactive prompts.
	Help string
	// Default is the value proposed, "" for none.
	Default string
	// Options lists the choices; empty means free text.
	Options []Option
	// Required questions must get a non-empty answer.
	Required bool
	// Validate checks an answer with the same rules as flags and answers
	// files; its error is one sentence shown to the user.
	Validate func(string) error
}

// Prompter asks one question and returns the answer ("" for none).
type Prompter interface {
	Ask(q Question) (string, error)
	// Password asks for a secret without echoing it. Only q.Key, q.Message
	// and q.Help are used: a password has no default and no options.
	Password(q Question) (string, error)
}

// ErrUnanswered is returned (wrapped) by a Prompter that cannot obtain a
// required answer.
var ErrUnanswered = errors.New("required answer not given")

// Terminals returns stdin and stdout as files when both are terminals. It
// only calls isatty on file descriptors the process already has: no device
// is opened and nothing is written, so a headless run is never disturbed.
func Terminals(in io.Reader, out io.Writer) (*os.File, *os.File, bool) {
	fin, ok := in.(*os.File)
	if !ok {
		return nil, nil, false
	}
	fout, ok := out.(*os.File)
	if !ok {
		return nil, nil, false
	}
	if !term.IsTerminal(int(fin.Fd())) || !term.IsTerminal(int(fout.Fd())) {
		return nil, nil, false
	}
	return fin, fout, true
}
