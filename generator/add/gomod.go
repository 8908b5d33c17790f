package add

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/templates"
)

// depsSet returns the require block and go.sum of the generated service of
// spec's framework, session store and client authentication.
func depsSet(spec generator.Spec) (require, sum []byte, err error) {
	dir := path.Join("deps", fmt.Sprintf("%s-%s-%s", spec.Framework, spec.Session, spec.ClientAuth))
	if require, err = fs.ReadFile(templates.FS, path.Join(dir, "require.txt")); err != nil {
		return nil, nil, fmt.Errorf("no dependency set %s in this psc-init build (%w); reinstall psc-init", dir, err)
	}
	if sum, err = fs.ReadFile(templates.FS, path.Join(dir, "go.sum")); err != nil {
		return nil, nil, fmt.Errorf("no go.sum for %s in this psc-init build (%w); reinstall psc-init", dir, err)
	}
	return require, sum, nil
}

// EditGoMod adds the PSC packages' requirements to the repository's go.mod
// (raising a version only when the repository's is lower, keeping its
// comments and layout) and their checksums to go.sum. It returns the new
// contents, equal to the old ones when nothing is missing.
func EditGoMod(mod Module, require, sum []byte) (newMod, newSum []byte, err error) {
	want, err := modfile.Parse("require.txt", append([]byte("module psc-init/deps\n\n"), require...), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("dependency set of this psc-init build is invalid (%w); reinstall psc-init", err)
	}
	// Parse go.mod as read, to edit it keeping its comments and layout.
	f, err := modfile.Parse("go.mod", mod.raw, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot parse go.mod: %w", err)
	}
	have := map[string]*modfile.Require{}
	for _, r := range f.Require {
		have[r.Mod.Path] = r
	}
	changed := false
	reqs := make([]*modfile.Require, 0, len(f.Require)+len(want.Require))
	for _, r := range f.Require {
		reqs = append(reqs, &modfile.Require{Mod: r.Mod, Indirect: r.Indirect})
	}
	for _, w := range want.Require {
		old, ok := have[w.Mod.Path]
		switch {
		case !ok:
			reqs = append(reqs, &modfile.Require{Mod: w.Mod, Indirect: w.Indirect})
			changed = true
		case semver.Compare(old.Mod.Version, w.Mod.Version) < 0:
			for _, r := range reqs {
				if r.Mod.Path == w.Mod.Path {
					r.Mod.Version = w.Mod.Version
					r.Indirect = r.Indirect && w.Indirect
				}
			}
			changed = true
		case old.Indirect && !w.Indirect:
			// The PSC packages import it directly now.
			for _, r := range reqs {
				if r.Mod.Path == w.Mod.Path {
					r.Indirect = false
				}
			}
			changed = true
		}
	}
	newMod = mod.raw
	if changed {
		f.SetRequireSeparateIndirect(reqs)
		f.Cleanup()
		if newMod, err = f.Format(); err != nil {
			return nil, nil, fmt.Errorf("format go.mod: %w", err)
		}
	}
	return newMod, mergeSum(mod.sum, sum), nil
}

// mergeSum returns the union of two go.sum files, sorted as the go command
// writes them; old is returned unchanged when it already holds every line.
func mergeSum(old, add []byte) []byte {
	lines := map[string]bool{}
	for _, l := range strings.Split(string(old), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines[l] = true
		}
	}
	missing := false
	for _, l := range strings.Split(string(add), "\n") {
		if l = strings.TrimSpace(l); l != "" && !lines[l] {
			lines[l] = true
			missing = true
		}
	}
	if !missing {
		return old
	}
	sorted := make([]string, 0, len(lines))
	for l := range lines {
		sorted = append(sorted, l)
	}
	slices.Sort(sorted)
	var b bytes.Buffer
	for _, l := range sorted {
		b.WriteString(l + "\n")
	}
	return b.Bytes()
}
