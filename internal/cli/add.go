package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/spf13/cobra"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/generator/add"
)

// addOptions are the flags of `add`.
type addOptions struct {
	dryRun      bool
	allowDirty  bool
	dir         string
	session     string
	environment string
}

func newAddCmd(e *env) *cobra.Command {
	var o addOptions
	cmd := &cobra.Command{
		Use:   "add [REPO]",
		Short: "Add Pro Santé Connect login to an existing Go service",
		Long: `Add Pro Santé Connect login to the Go module in REPO (default: the current
directory).

psc-init reads go.mod, detects the web framework (net/http, gin v1, echo v5,
fiber v3) and finds where the router is constructed from the type-checked
code. It writes the PSC core and the framework adapter as new packages
(internal/psc and internal/pscweb, or under --dir), adds their requirements to
go.mod and go.sum, and inserts one call of pscweb.Mount right after the router
is constructed: one existing file changes by a few lines and imports. When
there is no safe place for that call it prints the lines to add instead.

Without --dry-run the git tree must be clean (unless --allow-dirty); the
changes are written atomically, then go build, go vet and go test run on the
whole module, and every change is rolled back if one of them fails. The
journal .psc-init/apply-journal.json makes this hold even if psc-init is
killed: the next psc-init add (or upgrade) first undoes a change whose checks
had not passed, and says so. Running add again changes nothing.`,
		Example: `  psc-init add --dry-run
  psc-init add
  psc-init add ./service --dir internal/auth --session redis`,
		Args: repoArg,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
	}
	cmd.Flags().SortFlags = false
	cmd.Flags().BoolVar(&o.dryRun, "dry-run", false, "print the full diff of the changes and write nothing")
	cmd.Flags().BoolVar(&o.allowDirty, "allow-dirty", false, "run even if the git tree has uncommitted changes")
	cmd.Flags().StringVar(&o.dir, "dir", "internal", "parent directory of the new packages psc and pscweb")
	cmd.Flags().StringVar(&o.session, "session", string(generator.SessionMemory), "session store of the PSC core: memory, sqlite, redis, postgres")
	cmd.Flags().StringVar(&o.environment, "env", string(generator.EnvironmentBAS), "PSC environment written as the default issuer: bas or prod")
	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		repo := "."
		if len(args) == 1 {
			repo = args[0]
		}
		return runAdd(cmd.Context(), o, repo, cmd.OutOrStdout())
	})
	return cmd
}

func repoArg(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) > 1:
		return &usageError{err: fmt.Errorf("too many arguments (%q after REPO); run 'psc-init add [REPO]' with flags only", args[1])}
	case len(args) == 1 && args[0] == "":
		return &usageError{err: errors.New("the repository directory is empty; pass a path such as . or ./service")}
	}
	return nil
}

// runAdd is the whole flow of `add`: plan, then print the diff or apply.
func runAdd(ctx context.Context, o addOptions, repo string, out io.Writer) error {
	if err := checkAddFlags(o); err != nil {
		return err
	}
	if err := recoverJournal(repo, o.dryRun, "psc-init add without --dry-run", out); err != nil {
		return err
	}
	plan, err := add.NewPlan(ctx, add.Options{
		Dir:         repo,
		PackagesDir: o.dir,
		Session:     generator.Session(o.session),
		Environment: generator.Environment(o.environment),
	})
	if err != nil {
		return err
	}
	fw := string(plan.Module.Framework)
	if plan.Module.FrameworkModule != "" {
		fw += " (" + plan.Module.FrameworkModule + ")"
	}
	fmt.Fprintf(out, "Module %s, go %s, framework %s.\n", plan.Module.Path, plan.Module.GoVersion, fw)
	for _, a := range plan.AuthImports {
		fmt.Fprintf(out, "Existing session or authentication code: %s; make sure it does not guard /auth/ nor replace the PSC session.\n", a)
	}
	if len(plan.Changes) == 0 {
		if len(plan.AlreadyWired) > 0 {
			fmt.Fprintf(out, "PSC login is already added (Mount called at %s); nothing changed.\n", plan.AlreadyWired[0])
			return nil
		}
		fmt.Fprint(out, "The PSC packages are already added; nothing changed. They are not wired yet:\n")
		fmt.Fprint(out, plan.Instructions)
		return nil
	}
	if o.dryRun {
		fmt.Fprint(out, plan.Diff())
		fmt.Fprintf(out, "Dry run: %d files would change; nothing written.\n", len(plan.Changes))
		printWiring(out, plan)
		return nil
	}
	if !o.allowDirty {
		if err := add.CheckClean(ctx, repo); err != nil {
			return err
		}
	}
	// Apply's errors say what was written or rolled back, and what to do.
	if err := plan.Apply(ctx, repo, add.DefaultVerify()); err != nil {
		return err
	}
	created, changed := 0, 0
	for _, c := range plan.Changes {
		if c.Exists {
			changed++
		} else {
			created++
		}
	}
	fmt.Fprintf(out, "Added PSC login: %d files created, %d changed; go build, go vet and go test pass.\n", created, changed)
	printWiring(out, plan)
	name := path.Base(plan.Layout.AdapterDir())
	fmt.Fprintf(out, "Next: register https://your.host/auth/callback and https://your.host/auth/logged-out with ANS; set PSC_CLIENT_ID, PSC_CLIENT_SECRET_FILE, PSC_REDIRECT_URL and PSC_POST_LOGOUT_REDIRECT_URL (the login answers 503 while PSC_CLIENT_ID is unset); link your pages to /auth/login; guard your routes with %s.New(...).Protect (see %s/mount.go).\n",
		name, plan.Layout.AdapterDir())
	return nil
}

func checkAddFlags(o addOptions) error {
	for _, q := range generator.Questions() {
		var v string
		switch q.Key {
		case generator.KeySession:
			v = o.session
		case generator.KeyEnvironment:
			v = o.environment
		default:
			continue
		}
		if err := q.Check(v); err != nil {
			return &usageError{err: err}
		}
	}
	return nil
}

func printWiring(out io.Writer, plan *add.Plan) {
	switch {
	case plan.Wiring != nil:
		s := plan.Wiring.Site
		fmt.Fprintf(out, "Wired: %s.Mount(%s, ...) after %s is constructed at %s:%d (in %s).\n",
			path.Base(plan.Layout.AdapterDir()), s.Var, s.Var, s.File, s.Line, s.Func)
	case plan.Instructions != "":
		fmt.Fprint(out, plan.Instructions)
	}
}
