package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/referential"
)

func newVersionCmd(_ *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the psc-init and requirement catalogue versions",
		Args:  noArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			catalogue, err := referential.Load()
			if err != nil {
				return fmt.Errorf("load the requirement catalogue embedded in psc-init: %w", err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "psc-init %s (catalogue %s, %s)\n",
				generator.Version, catalogue.Version, catalogue.Referentiel)
			return err
		}),
	}
}
