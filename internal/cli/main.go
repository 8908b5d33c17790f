// Package cli is psc-init's command line: one constructor per cobra command,
// and Main, which runs them and turns errors into exit codes.
package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pscinit/psc-init/internal/prompt"
)

// Exit codes returned by Main.
const (
	ExitOK      = 0 // success
	ExitFailure = 1 // the command ran and failed
	ExitUsage   = 2 // the command line is wrong (unknown flag, command or value)
)

// env is what one run of psc-init works with. It is built by Main, or by
// tests that inject a prompter.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// prompter, when set, replaces the terminal detection (tests).
	prompter prompt.Prompter
}

// Main runs psc-init with args (without the program name) and returns the
// exit code. Errors are printed on stderr as one sentence:
// "psc-init: <what is wrong>; <how to fix it>".
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return run(args, &env{stdin: stdin, stdout: stdout, stderr: stderr})
}

func run(args []string, e *env) int {
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	cmd, err := root.ExecuteC()
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(e.stderr, "psc-init: %s\n", message(cmd.CommandPath(), err))
	var f *failure
	if errors.As(err, &f) {
		return ExitFailure
	}
	return ExitUsage
}

// usageError marks a wrong command line (exit code 2).
type usageError struct{ err error }

func (u *usageError) Error() string { return u.err.Error() }
func (u *usageError) Unwrap() error { return u.err }

// failure marks an error returned by a command that ran (exit code 1).
// Errors without it come from cobra's own parsing: usage errors.
type failure struct{ err error }

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

// runE marks errors of a command body as failures, unless they are usage errors.
func runE(body func(cmd *cobraCommand, args []string) error) func(cmd *cobraCommand, args []string) error {
	return func(cmd *cobraCommand, args []string) error {
		err := body(cmd, args)
		var u *usageError
		if err == nil || errors.As(err, &u) {
			return err
		}
		return &failure{err: err}
	}
}

// message renders err as one line; errors without a fix get a pointer to
// the help of the command.
func message(cmdPath string, err error) string {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	if !strings.Contains(msg, ";") {
		msg += fmt.Sprintf("; run '%s --help' for usage", cmdPath)
	}
	return msg
}
