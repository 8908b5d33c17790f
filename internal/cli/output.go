package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/generator/write"
)

// equivalentCommand is the non-interactive command giving the same service:
// every answer (defaults included) in table order, shell-quoted.
func equivalentCommand(dir string, spec generator.Spec, force bool) string {
	answers := spec.Answers()
	parts := []string{"psc-init", "new", shellQuote(dir)}
	for _, q := range generator.Questions() {
		if v := answers[q.Key]; v != "" {
			parts = append(parts, "--"+q.Flag, shellQuote(v))
		}
	}
	if force {
		parts = append(parts, "--force")
	}
	parts = append(parts, "--yes")
	return strings.Join(parts, " ")
}

// shellQuote quotes s for POSIX shells when it has anything but safe characters.
func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// printResult tells what was written and what to do next.
func printResult(out io.Writer, spec generator.Spec, res write.Result) {
	fmt.Fprintf(out, "Generated %s (module %s) in %s: %d files created", spec.Name, spec.Module, res.Dir, len(res.Created))
	if len(res.Replaced) > 0 || len(res.Unchanged) > 0 {
		fmt.Fprintf(out, ", %d replaced, %d unchanged", len(res.Replaced), len(res.Unchanged))
	}
	dir := shellQuote(res.Dir)
	fmt.Fprintf(out, ".\nNext:\n  cd %s && go run ./cmd/dev    # log in now against the embedded fake PSC, at http://localhost:8080\n", dir)
	fmt.Fprintf(out, "  cd %s && go test ./...       # the PSC conformance suite\n", dir)
}
