package add

import (
	"slices"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

func sortChanges(cs []Change) {
	slices.SortFunc(cs, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
}

// Diff is the unified diff of every change of the plan, new files included
// (from /dev/null), in path order.
func (p *Plan) Diff() string {
	var b strings.Builder
	for _, c := range p.Changes {
		from := "a/" + c.Path
		if !c.Exists {
			from = "/dev/null"
		}
		b.WriteString(udiff.Unified(from, "b/"+c.Path, string(c.Old), string(c.New)))
	}
	return b.String()
}
