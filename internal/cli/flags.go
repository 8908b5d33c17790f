package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pscinit/psc-init/generator"
)

// answerFlag is the pflag.Value of one answer. Enum values are checked
// against the known choices when parsed, with the same sentence as answers
// files and prompts; availability and string answers are checked by
// generator.NewSpec, so every source is validated the same way.
type answerFlag struct {
	q     generator.Question
	value string
}

// String returns the current value (the default before Set, shown by --help).
func (f *answerFlag) String() string { return f.value }

// Set records v after checking that an enum knows it.
func (f *answerFlag) Set(v string) error {
	if err := f.q.CheckKnown(v); err != nil {
		return err
	}
	f.value = v
	return nil
}

// Type names the accepted values in --help.
func (f *answerFlag) Type() string {
	if f.q.Kind == generator.KindEnum {
		return strings.Join(f.q.Values(), "|")
	}
	return "string"
}

// answerFlags holds the flag of every question, in table order.
type answerFlags struct {
	questions []generator.Question
	values    map[string]*answerFlag
}

// addAnswerFlags declares one flag per question of the table, with completions.
func addAnswerFlags(cmd *cobra.Command) (*answerFlags, error) {
	af := &answerFlags{questions: generator.Questions(), values: map[string]*answerFlag{}}
	for _, q := range af.questions {
		v := &answerFlag{q: q, value: q.Default(nil)}
		af.values[q.Key] = v
		usage := q.Help
		if q.Required {
			usage += " (required)"
		}
		if q.Kind == generator.KindEnum {
			if avail := q.AvailableValues(); len(avail) < len(q.Choices) {
				usage += "; available now: " + strings.Join(avail, ", ")
			}
		}
		cmd.Flags().Var(v, q.Flag, usage)
		if err := cmd.RegisterFlagCompletionFunc(q.Flag, completeAnswer(q)); err != nil {
			return nil, fmt.Errorf("register completion of --%s: %w", q.Flag, err)
		}
	}
	return af, nil
}

// completeAnswer offers the choices of an enum with their help; string
// answers get no file completion.
func completeAnswer(q generator.Question) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, c := range q.Choices {
			help := c.Help
			if !c.Available {
				help += " (not available yet)"
			}
			out = append(out, cobra.CompletionWithDesc(c.Value, help))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// answers returns the answers given by flags actually set on the command
// line: unset flags must not hide the answers file.
func (af *answerFlags) answers(cmd *cobra.Command) generator.Answers {
	a := generator.Answers{}
	for _, q := range af.questions {
		if cmd.Flags().Changed(q.Flag) {
			a[q.Key] = af.values[q.Key].value
		}
	}
	return a
}

// answersHelp documents every answer, for the long help of `new`.
func answersHelp() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, q := range generator.Questions() {
		extra := ""
		switch {
		case q.Required:
			extra = " (required, e.g. " + q.Example + ")"
		case q.Kind == generator.KindEnum:
			extra = " [" + q.Default(nil) + "]"
		}
		fmt.Fprintf(w, "  --%s\t%s\t%s%s\n", q.Flag, q.Key, q.Help, extra)
		for _, c := range q.Choices {
			help := c.Help
			if !c.Available {
				help += " (not available yet)"
			}
			fmt.Fprintf(w, "  \t\t  %s: %s\n", c.Value, help)
		}
	}
	_ = w.Flush() // writes to a strings.Builder cannot fail
	return b.String()
}
