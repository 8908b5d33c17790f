package cli

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/pscinit/psc-init/generator"
)

// gitTimeout bounds each git command upgrade runs.
const gitTimeout = 30 * time.Second

// stageConflicts records each conflicted file of up in the git index of the
// repository holding dir as an unmerged path (stage 1 base, 2 yours, 3
// theirs), the way git merge leaves conflicts, so `git status` lists them
// as "both modified" ("both added" without a base) and `git add` marks them
// resolved. It reports false, doing nothing, when dir is not in a git work
// tree or git is not installed.
func stageConflicts(ctx context.Context, dir string, up *generator.Upgrade) (bool, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return false, nil
	}
	prefix, err := git(ctx, dir, nil, "rev-parse", "--show-prefix")
	if err != nil {
		return false, nil // not a git work tree
	}
	prefix = strings.TrimSpace(prefix)
	var info strings.Builder
	for _, c := range up.Changes {
		if c.Action != generator.ActionConflict {
			continue
		}
		p := prefix + c.Path
		fmt.Fprintf(&info, "0 %s\t%s\n", strings.Repeat("0", 40), p)
		stages := []struct {
			n    int
			data []byte
			ok   bool
		}{{1, c.Base, c.HasBase}, {2, c.Old, true}, {3, c.Theirs, true}}
		for _, s := range stages {
			if !s.ok {
				continue
			}
			sha, err := git(ctx, dir, s.data, "hash-object", "-w", "--stdin")
			if err != nil {
				return false, err
			}
			fmt.Fprintf(&info, "100644 %s %d\t%s\n", strings.TrimSpace(sha), s.n, p)
		}
	}
	if _, err := git(ctx, dir, []byte(info.String()), "update-index", "--index-info"); err != nil {
		return false, err
	}
	return true, nil
}

// git runs git in dir with stdin and returns its standard output.
func git(ctx context.Context, dir string, stdin []byte, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
