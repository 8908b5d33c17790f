package referential

import (
	"strings"
	"testing"
)

func TestEmbeddedCatalogueIsValid(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Requirements) < 40 {
		t.Errorf("catalogue has %d requirements; it must cover rp-security.md and psc-reference §2 and §10", len(c.Requirements))
	}
	// The protocol musts of the référentiel that every service must prove, by id.
	for _, id := range []string{"PSC-AUTHZ-02", "PSC-AUTHZ-03", "PSC-AUTHZ-04", "PSC-AUTHZ-05", "PSC-TOK-06", "PSC-SES-03", "PSC-SES-04", "PSC-LO-02"} {
		found := false
		for _, r := range c.Requirements {
			found = found || r.ID == id
		}
		if !found {
			t.Errorf("requirement %s missing", id)
		}
	}
}

func TestParseRejectsBadCatalogues(t *testing.T) {
	cases := map[string]struct{ yaml, want string }{
		"duplicate id": {
			"version: 1\nrequirements:\n- {id: PSC-A-01, level: MUST, summary: s, source: x, tests: [TestA]}\n- {id: PSC-A-01, level: MUST, summary: s, source: x, tests: [TestB]}\n",
			"appears twice",
		},
		"no test":       {"version: 1\nrequirements:\n- {id: PSC-A-01, level: MUST, summary: s, source: x}\n", "no test proves it"},
		"bad level":     {"version: 1\nrequirements:\n- {id: PSC-A-01, level: MAY, summary: s, source: x, tests: [TestA]}\n", "neither MUST nor SHOULD"},
		"unknown field": {"version: 1\nrequirements:\n- {id: PSC-A-01, levle: MUST}\n", "levle"},
		"bad test name": {"version: 1\nrequirements:\n- {id: PSC-A-01, level: MUST, summary: s, source: x, tests: [checkA]}\n", "not a Go test name"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Parse error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestTestNamesAndReverseLookup(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	names := c.TestNames()
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Fatalf("TestNames not sorted and unique at %d: %q, %q", i, names[i-1], names[i])
		}
	}
	ids := c.RequirementsProvedBy("TestAuthorizationRequestParameters")
	if strings.Join(ids, ",") != "PSC-AUTHZ-01,PSC-AUTHZ-02,PSC-AUTHZ-03" {
		t.Fatalf("RequirementsProvedBy = %v", ids)
	}
}
