// Package referential holds the requirement catalogue that every generated service proves with its
// conformance tests. The catalogue is data (catalogue.yaml) so that it can be versioned, reviewed and
// diffed on its own; this package loads and checks it.
package referential

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"sort"

	"go.yaml.in/yaml/v3"
)

//go:embed catalogue.yaml
var catalogueYAML []byte

// Level says how binding a requirement is.
type Level string

// The two levels a requirement can have.
const (
	Must   Level = "MUST"
	Should Level = "SHOULD"
)

// Requirement is one entry of the catalogue.
type Requirement struct {
	// ID is stable and never reused, e.g. "PSC-TOK-06".
	ID string `yaml:"id" json:"id"`
	// Level is MUST or SHOULD.
	Level Level `yaml:"level" json:"level"`
	// Summary is one line saying what must hold.
	Summary string `yaml:"summary" json:"summary"`
	// Source names where the requirement comes from.
	Source string `yaml:"source" json:"source"`
	// Tests are the names of the generated conformance tests that prove it.
	Tests []string `yaml:"tests" json:"tests"`
	// When, if set, limits the requirement to the services generated with
	// one answer, written "key == value" (e.g. "client_auth == mtls"): only
	// those services contain its tests and list it in CONFORMANCE.md.
	When string `yaml:"when,omitempty" json:"when,omitempty"`
}

// Applies reports whether the requirement concerns a service generated
// with answers (keyed by answers-file key).
func (r Requirement) Applies(answers map[string]string) bool {
	if r.When == "" {
		return true
	}
	m := whenPattern.FindStringSubmatch(r.When)
	return m != nil && answers[m[1]] == m[2]
}

// For returns the catalogue restricted to the requirements that concern a
// service generated with answers; the version stays the catalogue's.
func (c Catalogue) For(answers map[string]string) Catalogue {
	out := Catalogue{Version: c.Version, Referentiel: c.Referentiel}
	for _, r := range c.Requirements {
		if r.Applies(answers) {
			out.Requirements = append(out.Requirements, r)
		}
	}
	return out
}

// Catalogue is a versioned list of requirements.
type Catalogue struct {
	// Version changes whenever a requirement is added, removed or changed.
	Version string `yaml:"version" json:"version"`
	// Referentiel names the PSC référentiel the catalogue follows.
	Referentiel string `yaml:"referentiel" json:"referentiel"`
	// Requirements are in catalogue order.
	Requirements []Requirement `yaml:"requirements" json:"requirements"`
}

var (
	idPattern   = regexp.MustCompile(`^PSC-[A-Z]+-[0-9]{2}$`)
	testPattern = regexp.MustCompile(`^Test[A-Z][A-Za-z0-9_]*$`)
	whenPattern = regexp.MustCompile(`^([a-z_]+) == ([a-z0-9]+)$`)
)

// Load returns the catalogue embedded in psc-init.
func Load() (Catalogue, error) {
	return Parse(catalogueYAML)
}

// Parse decodes and checks a catalogue: unknown fields, duplicate ids, bad levels and requirements
// without a test are errors.
func Parse(data []byte) (Catalogue, error) {
	var c Catalogue
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return Catalogue{}, fmt.Errorf("decode requirement catalogue: %w", err)
	}
	if err := c.check(); err != nil {
		return Catalogue{}, fmt.Errorf("requirement catalogue %s: %w", c.Version, err)
	}
	return c, nil
}

func (c Catalogue) check() error {
	var errs []error
	if c.Version == "" {
		errs = append(errs, errors.New("version is empty"))
	}
	if len(c.Requirements) == 0 {
		errs = append(errs, errors.New("no requirements"))
	}
	seen := make(map[string]bool, len(c.Requirements))
	for _, r := range c.Requirements {
		switch {
		case !idPattern.MatchString(r.ID):
			errs = append(errs, fmt.Errorf("id %q does not look like PSC-AREA-NN", r.ID))
		case seen[r.ID]:
			errs = append(errs, fmt.Errorf("id %s appears twice", r.ID))
		}
		seen[r.ID] = true
		if r.Level != Must && r.Level != Should {
			errs = append(errs, fmt.Errorf("%s: level %q is neither MUST nor SHOULD", r.ID, r.Level))
		}
		if r.Summary == "" || r.Source == "" {
			errs = append(errs, fmt.Errorf("%s: summary and source are required", r.ID))
		}
		if len(r.Tests) == 0 {
			errs = append(errs, fmt.Errorf("%s: no test proves it", r.ID))
		}
		if r.When != "" && !whenPattern.MatchString(r.When) {
			errs = append(errs, fmt.Errorf("%s: when %q is not \"key == value\"", r.ID, r.When))
		}
		for _, t := range r.Tests {
			if !testPattern.MatchString(t) {
				errs = append(errs, fmt.Errorf("%s: %q is not a Go test name", r.ID, t))
			}
		}
	}
	return errors.Join(errs...)
}

// TestNames returns every test named by the catalogue, sorted and without duplicates.
func (c Catalogue) TestNames() []string {
	set := map[string]bool{}
	for _, r := range c.Requirements {
		for _, t := range r.Tests {
			set[t] = true
		}
	}
	names := make([]string, 0, len(set))
	for t := range set {
		names = append(names, t)
	}
	sort.Strings(names)
	return names
}

// RequirementsProvedBy returns the ids of the requirements that name the given test.
func (c Catalogue) RequirementsProvedBy(test string) []string {
	var ids []string
	for _, r := range c.Requirements {
		for _, t := range r.Tests {
			if t == test {
				ids = append(ids, r.ID)
				break
			}
		}
	}
	return ids
}
