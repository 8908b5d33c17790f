package cli

import (
	"github.com/spf13/cobra"

	"github.com/pscinit/psc-init/generator"
)

func newSchemaCmd(_ *env) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the answers file",
		Long: `Print the JSON Schema (draft 2020-12) of the YAML file read by
'psc-init new --answers FILE'. Editors use it to complete and check answers files.`,
		Args: noArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			schema, err := generator.AnswersSchema()
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(schema)
			return err
		}),
	}
}
