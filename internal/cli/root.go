package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pscinit/psc-init/generator"
)

// cobraCommand shortens signatures.
type cobraCommand = cobra.Command

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "psc-init",
		Short: "Generate Go web services that log health professionals in through Pro Santé Connect",
		Long: `psc-init generates Go web services that log French health professionals in
through Pro Santé Connect (PSC), the national OpenID Connect provider, with
the security checks and conformance tests the PSC référentiel asks for.

Start with: psc-init new DIR --module example.com/team/service`,
		Version:       generator.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(cmd, args[0])
			}
			return cmd.Help()
		},
	}
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(flagError)
	root.SetVersionTemplate("psc-init {{.Version}}\n")
	root.AddCommand(
		newNewCmd(e),
		newAddCmd(e),
		newSchemaCmd(e),
		newVersionCmd(e),
		newCertCmd(e),
		newMockCmd(e),
		newDemoCmd(e),
		newUpgradeCmd(e),
	)
	return root
}

func unknownCommand(cmd *cobra.Command, name string) error {
	hint := "run 'psc-init --help' to list the commands"
	if s := cmd.SuggestionsFor(name); len(s) > 0 {
		hint = fmt.Sprintf("did you mean '%s'? run 'psc-init --help' to list the commands", strings.Join(s, "' or '"))
	}
	return &usageError{err: fmt.Errorf("unknown command %q; %s", name, hint)}
}

// flagError turns pflag's errors into usage errors; an invalid value keeps
// the validator's own sentence (the same one answers files and prompts give).
func flagError(cmd *cobra.Command, err error) error {
	var invalid *pflag.InvalidValueError
	// Only the answer validators' sentences say how to fix the value (they
	// hold a ";"); a bare parse error such as strconv's keeps pflag's context.
	if errors.As(err, &invalid) && invalid.Unwrap() != nil && strings.Contains(invalid.Unwrap().Error(), ";") {
		return &usageError{err: invalid.Unwrap()}
	}
	return &usageError{err: fmt.Errorf("%w; run '%s --help' to see the flags", err, cmd.CommandPath())}
}

// noArgs refuses positional arguments with a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return &usageError{err: fmt.Errorf("%s takes no arguments, got %q; run '%s --help' for usage", cmd.CommandPath(), args[0], cmd.CommandPath())}
	}
	return nil
}
