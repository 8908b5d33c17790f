package referential

import (
	"bytes"
	"slices"
	"testing"
)

func TestHistoryVersionsLoad(t *testing.T) {
	versions, err := Versions()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(versions, "1.0.0") {
		t.Fatalf("history holds %q, want 1.0.0 (the catalogue of psc-init 0.1.0)", versions)
	}
	for _, v := range versions {
		c, err := LoadVersion(v)
		if err != nil {
			t.Errorf("LoadVersion(%s): %v", v, err)
			continue
		}
		if len(c.Requirements) == 0 {
			t.Errorf("catalogue %s is empty", v)
		}
	}
	first, err := LoadVersion("1.0.0")
	if err != nil || len(first.Requirements) != 48 {
		t.Fatalf("catalogue 1.0.0: %d requirements, %v; want the 48 of psc-init 0.1.0", len(first.Requirements), err)
	}
}

// TestCurrentCatalogueIsKeptInHistory makes every catalogue version that a
// psc-init release can record in a manifest loadable by later releases.
func TestCurrentCatalogueIsKeptInHistory(t *testing.T) {
	current, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	kept, err := history.ReadFile("history/" + current.Version + ".yaml")
	if err != nil {
		t.Fatalf("catalogue %s is not in referential/history; copy referential/catalogue.yaml to referential/history/%s.yaml", current.Version, current.Version)
	}
	if !bytes.Equal(kept, catalogueYAML) {
		t.Fatalf("referential/history/%s.yaml differs from catalogue.yaml; copy catalogue.yaml over it while %s is unreleased, else give the catalogue a new version", current.Version, current.Version)
	}
}

func TestLoadVersionErrors(t *testing.T) {
	for _, v := range []string{"", "9.9.9", "../catalogue", "1.0"} {
		if _, err := LoadVersion(v); err == nil {
			t.Errorf("LoadVersion(%q) succeeded", v)
		}
	}
}

func TestCompare(t *testing.T) {
	req := func(id, summary string) Requirement {
		return Requirement{ID: id, Level: Must, Summary: summary, Source: "s", Tests: []string{"TestX"}}
	}
	from := Catalogue{Version: "1.0.0", Requirements: []Requirement{req("PSC-A-01", "a"), req("PSC-A-02", "b"), req("PSC-A-03", "c")}}
	to := Catalogue{Version: "1.1.0", Requirements: []Requirement{req("PSC-A-01", "a"), req("PSC-A-02", "b changed"), req("PSC-B-01", "new")}}
	to.Requirements[0].Tests = []string{"TestX"} // same content, new slice
	d := Compare(from, to)
	if !slices.Equal(d.Added, []string{"PSC-B-01"}) || !slices.Equal(d.Changed, []string{"PSC-A-02"}) ||
		!slices.Equal(d.Removed, []string{"PSC-A-03"}) || d.From != "1.0.0" || d.To != "1.1.0" || d.Empty() {
		t.Errorf("Compare = %+v", d)
	}
	if d := Compare(from, from); !d.Empty() {
		t.Errorf("Compare(c, c) = %+v, want empty", d)
	}
	current, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	old, err := LoadVersion("1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	d = Compare(old, current)
	if current.Version == "1.0.0" && !d.Empty() {
		t.Errorf("same version, different requirements: %+v", d)
	}
	if len(d.Added)+len(old.Requirements)-len(d.Removed) != len(current.Requirements) {
		t.Errorf("diff %+v does not account for %d → %d requirements", d, len(old.Requirements), len(current.Requirements))
	}
}
