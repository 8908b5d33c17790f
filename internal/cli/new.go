package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/generator/write"
	"github.com/pscinit/psc-init/internal/prompt"
)

// newOptions are the flags of `new` that are not answers.
type newOptions struct {
	answersFile string
	yes         bool
	force       bool
}

func newNewCmd(e *env) *cobra.Command {
	var o newOptions
	cmd := &cobra.Command{
		Use:   "new DIR",
		Short: "Generate a new PSC service in DIR",
		Long: `Generate a new Go service in DIR that logs health professionals in through
Pro Santé Connect.

Answers come from flags first, then the --answers file (YAML, see
'psc-init schema'), then interactive prompts for what is still missing (only
when stdin and stdout are terminals); defaults fill the rest. With --yes
psc-init never prompts. After prompting it prints the equivalent command.

DIR must be missing or empty, unless --force: then generated files are
replaced and other files are left alone.

Answers (flag, answers-file key, description [default]):
` + answersHelp(),
		Example: `  psc-init new ./portal --module example.com/clinic/portal --yes
  psc-init new ./portal --answers answers.yaml --yes
  psc-init new ./portal`,
		Args: dirArg,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
	}
	cmd.Flags().SortFlags = false
	flags, err := addAnswerFlags(cmd)
	if err != nil {
		// Only a programming error in the question table gets here; report it
		// when the command runs instead of panicking.
		cmd.RunE = func(*cobra.Command, []string) error { return &failure{err: err} }
		return cmd
	}
	cmd.Flags().StringVar(&o.answersFile, "answers", "", "YAML answers file (keys: "+strings.Join(generator.Keys(), ", ")+")")
	cmd.Flags().BoolVarP(&o.yes, "yes", "y", false, "never prompt: use defaults, fail on missing required answers")
	cmd.Flags().BoolVar(&o.force, "force", false, "write into a non-empty DIR, replacing generated files and keeping the others")
	if err := cmd.MarkFlagFilename("answers", "yaml", "yml"); err != nil {
		cmd.RunE = func(*cobra.Command, []string) error { return &failure{err: err} }
		return cmd
	}
	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		if cmd.Flags().Changed("answers") && o.answersFile == "" {
			return &usageError{err: errors.New("--answers is empty; pass the path of a YAML answers file")}
		}
		return runNew(cmd.Context(), e, o, args[0], flags.answers(cmd), cmd.OutOrStdout())
	})
	return cmd
}

func dirArg(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		return &usageError{err: errors.New("missing the directory of the new service; run 'psc-init new DIR --module example.com/team/service'")}
	case len(args) > 1:
		return &usageError{err: fmt.Errorf("too many arguments (%q after DIR); run 'psc-init new DIR' with flags only after DIR", args[1])}
	case args[0] == "":
		return &usageError{err: errors.New("the directory of the new service is empty; pass a path such as ./service")}
	}
	return nil
}

// runNew is the whole flow of `new`: merge answers, prompt for what is
// missing, validate, generate in memory, write, report.
func runNew(ctx context.Context, e *env, o newOptions, dir string, flagAnswers generator.Answers, out io.Writer) error {
	answers := generator.Answers{}
	if o.answersFile != "" {
		fileAnswers, err := generator.LoadAnswersFile(o.answersFile)
		if err != nil {
			return err
		}
		answers = fileAnswers
	}
	answers = answers.Override(flagAnswers)
	// Refuse bad flag or file values before asking anything.
	if err := checkGiven(answers); err != nil {
		return err
	}
	prompted, err := askMissing(e.prompterFor(o.yes), answers)
	if err != nil {
		return err
	}
	spec, err := generator.NewSpec(answers)
	if err != nil {
		return err
	}
	if prompted {
		// Printed before writing, so a failed write still leaves the user a
		// command to run again.
		fmt.Fprintf(out, "Equivalent command: %s\n", equivalentCommand(dir, spec, o.force))
	}
	files, err := generator.Generate(spec)
	if err != nil {
		return fmt.Errorf("cannot generate the service (%v); this is a psc-init bug, please report it", err)
	}
	res, err := write.NewDirContext(ctx, dir, files, write.Options{Force: o.force, OnFile: e.onFile})
	if err != nil {
		return err
	}
	printResult(out, spec, res)
	return nil
}

// checkGiven validates every answer already given, in table order.
func checkGiven(a generator.Answers) error {
	if err := a.CheckKeys(); err != nil {
		return err
	}
	for _, q := range generator.Questions() {
		if v := a[q.Key]; v != "" {
			if err := q.Check(v); err != nil {
				return err
			}
		}
	}
	return nil
}

// prompterFor picks how missing answers are obtained: never by prompting
// with --yes; by the injected prompter in tests; by survey when stdin and
// stdout are both terminals; otherwise headless.
func (e *env) prompterFor(yes bool) prompt.Prompter {
	if yes {
		return prompt.Headless{}
	}
	if e.prompter != nil {
		return e.prompter
	}
	if in, out, ok := prompt.Terminals(e.stdin, e.stdout); ok {
		return prompt.NewSurvey(in, out, e.stderr)
	}
	return prompt.Headless{}
}

// askMissing asks p for every applicable answer still missing, in table
// order, so defaults can derive from earlier answers. It reports whether p
// supplied any answer. Required answers p cannot supply are returned together
// as a *generator.MissingAnswersError.
func askMissing(p prompt.Prompter, a generator.Answers) (bool, error) {
	prompted := false
	var missing []string
	for _, q := range generator.Questions() {
		if a[q.Key] != "" || !q.Applies(a) {
			continue
		}
		v, err := p.Ask(promptQuestion(q, a))
		switch {
		case errors.Is(err, prompt.ErrUnanswered):
			missing = append(missing, q.Key)
			continue
		case errors.Is(err, prompt.ErrInterrupted):
			return false, errors.New("interrupted before every answer was given; run psc-init new again")
		case err != nil:
			return false, err
		}
		if v != "" {
			a[q.Key] = v
			prompted = true
		}
	}
	if len(missing) > 0 {
		return false, &generator.MissingAnswersError{Keys: missing}
	}
	return prompted, nil
}

func promptQuestion(q generator.Question, a generator.Answers) prompt.Question {
	pq := prompt.Question{
		Key:      q.Key,
		Message:  q.Message,
		Help:     q.Help + " (flag --" + q.Flag + ")",
		Default:  q.Default(a),
		Required: q.Required,
		Validate: q.Check,
	}
	for _, c := range q.Choices {
		help := c.Help
		if !c.Available {
			help += " (not available yet)"
		}
		pq.Options = append(pq.Options, prompt.Option{Value: c.Value, Help: help})
	}
	return pq
}
