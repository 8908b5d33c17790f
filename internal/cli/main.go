// Package cli is psc-init's command line: one constructor per cobra command,
// and Main, which runs them and turns errors into exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/pscinit/psc-init/internal/prompt"
)

// Exit codes returned by Main.
const (
	ExitOK      = 0 // success
	ExitFailure = 1 // the command ran and failed
	ExitUsage   = 2 // the command line is wrong (unknown flag, command or value)
	ExitNotFit  = 3 // cert inspect read the certificate: it does not fit PSC client authentication
)

// env is what one run of psc-init works with. It is built by Main, or by
// tests that inject a prompter.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// prompter, when set, replaces the terminal detection (tests).
	prompter prompt.Prompter
	// ctx ends when psc-init must stop (SIGINT, SIGTERM); nil means never.
	ctx context.Context
	// onFile, when set, is called before each generated file is written
	// (tests use it to hold a write open while they send a signal).
	onFile func(path string)
}

// Main runs psc-init with args (without the program name) and returns the
// exit code. Errors are printed on stderr as one sentence:
// "psc-init: <what is wrong>; <how to fix it>".
//
// SIGINT and SIGTERM stop psc-init cleanly: a write in progress is rolled
// back, so the target directory is left missing or as it was, and the exit
// code is ExitFailure. A second signal kills the process as usual.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runWithSignals(args, &env{stdin: stdin, stdout: stdout, stderr: stderr})
}

// runWithSignals runs psc-init with e.ctx ending on SIGINT or SIGTERM.
func runWithSignals(args []string, e *env) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal, the default behaviour comes back: a second
		// Ctrl-C ends a psc-init that is slow to roll back.
		<-ctx.Done()
		stop()
	}()
	e.ctx = ctx
	return run(args, e)
}

func run(args []string, e *env) int {
	ctx := e.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	root := newRootCmd(e)
	requireKnownShell(root)
	root.SetContext(ctx)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	cmd, err := root.ExecuteC()
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(e.stderr, "psc-init: %s\n", message(cmd.CommandPath(), err))
	var nf *notFitError
	if errors.As(err, &nf) {
		return ExitNotFit
	}
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

// requireKnownShell makes `psc-init completion SHELL` with an unknown shell a
// usage error: cobra's default completion command would print its help and
// succeed.
func requireKnownShell(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		var shells []string
		for _, sub := range c.Commands() {
			shells = append(shells, sub.Name())
		}
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return &usageError{err: fmt.Errorf("unknown shell %q; use one of %s, e.g. psc-init completion bash", args[0], strings.Join(shells, ", "))}
		}
	}
}
