package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aymanbagabas/go-udiff"
	"github.com/spf13/cobra"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/generator/add"
	"github.com/pscinit/psc-init/generator/write"
	"github.com/pscinit/psc-init/referential"
)

// upgradeOptions are the flags of `upgrade` that are not answers.
type upgradeOptions struct {
	dryRun bool
	check  bool
}

func newUpgradeCmd(e *env) *cobra.Command {
	var o upgradeOptions
	cmd := &cobra.Command{
		Use:   "upgrade [DIR]",
		Short: "Regenerate a service with this psc-init, merging your edits",
		Long: `Regenerate the service in DIR (default: the current directory) from the answers
recorded in .psc-init/manifest.json with this psc-init's templates and
requirement catalogue, and three-way merge the result with your files, the
base being what psc-init generated last time (.psc-init/base.txtar):

  - files you never changed are replaced, files only you changed are kept;
  - files both changed are merged line by line (Go files formatted first);
    overlapping changes become conflict markers (<<<<<<< yours, ||||||| base,
    =======, >>>>>>> psc-init vX), listed at the end with exit status 1 and,
    in a git repository, shown by git status as conflicts;
  - go.sum is regenerated (plus the lines you added), not merged;
  - files no longer generated are removed only if you never changed them;
    files you deleted are not re-created; your own seams (README.md,
    internal/web/app_routes.go) are never rewritten.

Answer flags (--framework, --session, ...) change recorded answers and are
merged the same way. Everything is computed in memory and applied all or
nothing, the manifest last. It prints the requirements added or changed
since the catalogue version the service was generated with.`,
		Example: `  psc-init upgrade --check      # in CI: exit 1 when behind, and say what changed
  psc-init upgrade --dry-run    # print the diff, write nothing
  psc-init upgrade
  psc-init upgrade --framework gin`,
		Args: upgradeArgs,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
	}
	cmd.Flags().SortFlags = false
	flags, err := addAnswerFlags(cmd)
	if err != nil {
		cmd.RunE = func(*cobra.Command, []string) error { return &failure{err: err} }
		return cmd
	}
	// An unset answer flag keeps the recorded answer, not the table's
	// default: say so instead of new's "(required)" and "(default …)".
	for _, q := range generator.Questions() {
		if f := cmd.Flags().Lookup(q.Flag); f != nil {
			help, _, _ := strings.Cut(q.Help, " (default")
			f.Usage = help + " (default: as recorded in " + generator.ManifestPath + ")"
			f.DefValue = ""
		}
	}
	cmd.Flags().BoolVar(&o.dryRun, "dry-run", false, "print the unified diff of what would change and write nothing")
	cmd.Flags().BoolVar(&o.check, "check", false, "write nothing; exit 1 when the service is behind this psc-init or its catalogue")
	cmd.MarkFlagsMutuallyExclusive("dry-run", "check")
	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		dir := "."
		if len(args) == 1 {
			dir = args[0]
		}
		return runUpgrade(cmd.Context(), o, dir, flags.answers(cmd), cmd.OutOrStdout())
	})
	return cmd
}

func upgradeArgs(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) > 1:
		return &usageError{err: fmt.Errorf("too many arguments (%q after DIR); run 'psc-init upgrade [DIR]'", args[1])}
	case len(args) == 1 && args[0] == "":
		return &usageError{err: errors.New("the service directory is empty; pass a path such as ./service or nothing for the current directory")}
	}
	return nil
}

// runUpgrade plans the upgrade in memory, then reports it (--check,
// --dry-run) or applies it.
func runUpgrade(ctx context.Context, o upgradeOptions, dir string, answers generator.Answers, out io.Writer) error {
	if err := checkGiven(answers); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("cannot open %s (%v); run psc-init upgrade in a service directory or pass it as DIR", dir, err)
	}
	defer root.Close()
	if err := recoverJournal(dir, o.check || o.dryRun, "psc-init upgrade", out); err != nil {
		return err
	}
	up, err := generator.PlanUpgrade(root.FS(), generator.UpgradeOptions{Answers: answers, RenderAdd: add.RenderForUpgrade})
	if err != nil {
		return err
	}
	printRequirements(out, up.Requirements)
	switch {
	case o.check:
		if !up.Behind() {
			fmt.Fprintf(out, "Up to date with psc-init %s (catalogue %s).\n", generator.Version, up.To.CatalogueVersion)
			return nil
		}
		printChanges(out, up, true)
		why := fmt.Sprintf("%d file(s) would change", len(up.Write)+len(up.Remove))
		if up.From.CatalogueVersion != up.To.CatalogueVersion {
			why += fmt.Sprintf(", catalogue %s → %s", up.From.CatalogueVersion, up.To.CatalogueVersion)
		}
		return fmt.Errorf("the service in %s is behind psc-init %s (%s); run psc-init upgrade", dir, generator.Version, why)
	case o.dryRun:
		if !up.Behind() {
			fmt.Fprintf(out, "Already up to date with psc-init %s; nothing would change.\n", generator.Version)
			return nil
		}
		printDiff(out, up)
		printChanges(out, up, true)
		return nil
	}
	if !up.Behind() {
		fmt.Fprintf(out, "Already up to date with psc-init %s; nothing to do.\n", generator.Version)
		return nil
	}
	if _, err := write.Apply(ctx, dir, up.Write, up.Remove); err != nil {
		return err
	}
	printChanges(out, up, false)
	if len(up.Conflicts) == 0 {
		if up.From.PSCInitVersion == generator.Version {
			fmt.Fprintf(out, "Updated %s (psc-init %s).\n", dir, generator.Version)
		} else {
			fmt.Fprintf(out, "Upgraded %s from psc-init %s to %s.\n", dir, up.From.PSCInitVersion, generator.Version)
		}
		return nil
	}
	var gitNote string
	if staged, err := stageConflicts(ctx, dir, up); err != nil {
		gitNote = fmt.Sprintf(" (git could not record them as conflicts: %v)", err)
	} else if staged {
		gitNote = " (git status shows them as conflicts)"
	}
	return fmt.Errorf("%d file(s) have conflicts%s: %s; fix the markers and run psc-init upgrade again",
		len(up.Conflicts), gitNote, strings.Join(up.Conflicts, ", "))
}

// printRequirements lists the catalogue changes since the service's version.
func printRequirements(out io.Writer, d referential.Diff) {
	if d.Empty() {
		return
	}
	fmt.Fprintf(out, "Requirement catalogue %s → %s:\n", d.From, d.To)
	for _, l := range []struct {
		what string
		ids  []string
	}{{"added", d.Added}, {"changed", d.Changed}, {"removed", d.Removed}} {
		if len(l.ids) > 0 {
			fmt.Fprintf(out, "  %s: %s\n", l.what, strings.Join(l.ids, ", "))
		}
	}
}

// printChanges lists every file upgrade writes, removes or keeps on purpose.
func printChanges(out io.Writer, up *generator.Upgrade, wouldBe bool) {
	verb := map[generator.Action]string{
		generator.ActionCreate: "created", generator.ActionUpdate: "updated", generator.ActionMerge: "merged",
		generator.ActionConflict: "CONFLICT", generator.ActionRemove: "removed", generator.ActionKeep: "kept",
	}
	if wouldBe {
		verb[generator.ActionCreate], verb[generator.ActionUpdate], verb[generator.ActionMerge] = "would create", "would update", "would merge"
		verb[generator.ActionRemove], verb[generator.ActionConflict] = "would remove", "would CONFLICT"
	}
	for _, c := range up.Changes {
		if c.Action == generator.ActionUnchanged || c.Action == generator.ActionKeep && c.Old != nil && !noLongerGenerated(up, c.Path) {
			// Files kept as the user has them are only worth a line when
			// psc-init stops generating them or the user deleted them.
			continue
		}
		line := fmt.Sprintf("  %-14s %s", verb[c.Action], c.Path)
		if c.Reason != "" {
			line += " (" + c.Reason + ")"
		}
		fmt.Fprintln(out, line)
	}
	if up.NoBase {
		fmt.Fprintf(out, "No %s: files you changed could not be merged line by line (written with conflict markers).\n", generator.BasePath)
	}
}

// noLongerGenerated reports whether path was generated before and is not now.
func noLongerGenerated(up *generator.Upgrade, path string) bool {
	_, before := up.From.File(path)
	_, now := up.To.File(path)
	return before && !now
}

// printDiff prints the unified diff of every file upgrade would write or
// remove; the base archive is summarised, being a copy of the new files.
func printDiff(out io.Writer, up *generator.Upgrade) {
	for _, f := range up.Write {
		if f.Path == generator.BasePath {
			fmt.Fprintf(out, "%s: updated with the new generated files\n", generator.BasePath)
			continue
		}
		before := up.Before(f.Path)
		fmt.Fprint(out, udiff.Unified("a/"+f.Path, "b/"+f.Path, string(before), string(f.Data)))
	}
	for _, p := range up.Remove {
		fmt.Fprint(out, udiff.Unified("a/"+p, "/dev/null", string(up.Before(p)), ""))
	}
}
