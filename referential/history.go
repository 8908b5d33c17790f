package referential

import (
	"embed"
	"fmt"
	"reflect"
	"regexp"
	"strings"
)

// history holds every catalogue version that a released psc-init recorded in
// a manifest, as history/<version>.yaml, so `psc-init upgrade` can say which
// requirements changed since the version a service was generated with.
//
//go:embed history/*.yaml
var history embed.FS

var versionPattern = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)

// LoadVersion returns the catalogue of the given version: the embedded
// current catalogue when the version is its own, otherwise the copy kept in
// history/.
func LoadVersion(version string) (Catalogue, error) {
	current, err := Load()
	if err != nil {
		return Catalogue{}, err
	}
	if version == current.Version {
		return current, nil
	}
	if !versionPattern.MatchString(version) {
		return Catalogue{}, fmt.Errorf("requirement catalogue version %q is not of the form 1.2.3", version)
	}
	data, err := history.ReadFile("history/" + version + ".yaml")
	if err != nil {
		return Catalogue{}, fmt.Errorf("requirement catalogue version %s is unknown to this psc-init (%v)", version, err)
	}
	c, err := Parse(data)
	if err != nil {
		return Catalogue{}, err
	}
	if c.Version != version {
		return Catalogue{}, fmt.Errorf("history/%s.yaml holds catalogue version %s", version, c.Version)
	}
	return c, nil
}

// Versions lists the catalogue versions kept in history/, sorted as stored.
func Versions() ([]string, error) {
	entries, err := history.ReadDir("history")
	if err != nil {
		return nil, fmt.Errorf("read catalogue history: %w", err)
	}
	var out []string
	for _, e := range entries {
		if v, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && v != "" {
			out = append(out, v)
		}
	}
	return out, nil
}

// Diff lists the requirement ids that differ between two catalogues.
type Diff struct {
	// From and To are the two catalogue versions.
	From, To string
	// Added are ids only in To, Changed ids in both whose entry differs in
	// any field, Removed ids only in From; each in To's (or From's) order.
	Added, Changed, Removed []string
}

// Empty reports whether the catalogues hold the same requirements.
func (d Diff) Empty() bool {
	return len(d.Added) == 0 && len(d.Changed) == 0 && len(d.Removed) == 0
}

// Compare returns the requirement changes from one catalogue to another.
func Compare(from, to Catalogue) Diff {
	d := Diff{From: from.Version, To: to.Version}
	old := make(map[string]Requirement, len(from.Requirements))
	for _, r := range from.Requirements {
		old[r.ID] = r
	}
	seen := make(map[string]bool, len(to.Requirements))
	for _, r := range to.Requirements {
		seen[r.ID] = true
		prev, ok := old[r.ID]
		switch {
		case !ok:
			d.Added = append(d.Added, r.ID)
		case !reflect.DeepEqual(prev, r):
			d.Changed = append(d.Changed, r.ID)
		}
	}
	for _, r := range from.Requirements {
		if !seen[r.ID] {
			d.Removed = append(d.Removed, r.ID)
		}
	}
	return d
}
