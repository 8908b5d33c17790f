package certinfo

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/pscinit/psc-init/internal/certinfo/certtest"
)

// chainOf issues a default leaf under a root and intermediate with the
// given names and O, and returns the PEM of leaf, intermediate and root.
func chainOf(t *testing.T, rootCN, interCN, org string) []byte {
	t.Helper()
	name := func(cn string) pkix.Name {
		n := certtest.IGCName(cn)
		n.Organization = []string{org}
		return n
	}
	root, err := certtest.NewRoot(name(rootCN), now.AddDate(-1, 0, 0), now.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	ca := root
	if interCN != "" {
		if ca, err = root.NewIntermediate(name(interCN)); err != nil {
			t.Fatal(err)
		}
	}
	leaf, _, err := ca.Issue(certtest.DefaultLeaf(now))
	if err != nil {
		t.Fatal(err)
	}
	return certtest.PEMCerts(append([]*x509.Certificate{leaf}, ca.Chain...)...)
}

func TestIGCNames(t *testing.T) {
	tests := []struct {
		name, root, inter, org string
		status, population     string
		fits                   bool
		detail                 string
	}{
		{"production elementaire", "AC RACINE IGC-SANTE ELEMENTAIRE", "AC IGC-SANTE ELEMENTAIRE ORGANISATIONS", "ASIP-SANTE", IGCProduction, PopulationOrganisations, true, "not against a pinned root"},
		{"production fort", "AC RACINE IGC-SANTE FORT", "AC IGC-SANTE FORT ORGANISATIONS", "ASIP-SANTE", IGCProduction, PopulationOrganisations, true, ""},
		{"test standard", "TEST AC RACINE IGC-SANTE STANDARD", "TEST AC IGC-SANTE STANDARD ORGANISATIONS", "ASIP-SANTE", IGCTest, PopulationOrganisations, true, ""},
		{"personnes", "AC RACINE IGC-SANTE FORT", "AC IGC-SANTE FORT PERSONNES", "ASIP-SANTE", IGCProduction, PopulationPersonnes, false, ""},
		{"test under production", "AC RACINE IGC-SANTE ELEMENTAIRE", "TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS", "ASIP-SANTE", IGCNone, "", false, "mixes"},
		{"levels mixed", "AC RACINE IGC-SANTE FORT", "AC IGC-SANTE ELEMENTAIRE ORGANISATIONS", "ASIP-SANTE", IGCNone, "", false, "mixes"},
		{"issued by a root", "AC RACINE IGC-SANTE ELEMENTAIRE", "", "ASIP-SANTE", IGCNone, "", false, "root name"},
		{"look-alike O", "AC RACINE IGC-SANTE ELEMENTAIRE", "AC IGC-SANTE ELEMENTAIRE ORGANISATIONS", "ASIP-SANTE-NOT", IGCNone, "", false, "not a known IGC-Santé CA name"},
		{"look-alike CN", "AC RACINE IGC-SANTE ELEMENTAIRE", "AC IGC-SANTE ELEMENTAIRE ORGANISATIONS BIS", "ASIP-SANTE", IGCNone, "", false, "not a known IGC-Santé CA name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Inspect(chainOf(t, tt.root, tt.inter, tt.org), Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			igc := r.IGCSante
			if igc.Status != tt.status || igc.Population != tt.population || !strings.Contains(igc.Detail, tt.detail) {
				t.Errorf("igc = %+v; want status %s, population %q, detail containing %q", igc, tt.status, tt.population, tt.detail)
			}
			if r.PSCClientAuth.Fits != tt.fits {
				t.Errorf("fits = %v, want %v (failed %+v)", r.PSCClientAuth.Fits, tt.fits, r.PSCClientAuth.Failed())
			}
		})
	}
}

// A look-alike intermediate with the real name but another key: the leaf's
// signature does not verify with the certificate the file gives.
func TestIGCBrokenSignature(t *testing.T) {
	_, org, err := certtest.IGCTestChain(now)
	if err != nil {
		t.Fatal(err)
	}
	_, fake, err := certtest.IGCTestChain(now)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _, err := org.Issue(certtest.DefaultLeaf(now))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Inspect(certtest.PEMCerts(leaf, fake.Cert), Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if r.Chain[0].IssuerSignature != SignatureInvalid || r.Chain[0].SignedBy != nil {
		t.Errorf("chain = %+v, want the leaf's signature invalid", r.Chain)
	}
	if r.IGCSante.Status != IGCNone || !strings.Contains(r.IGCSante.Detail, "does not verify") || r.PSCClientAuth.Fits {
		t.Errorf("igc = %+v, fits %v", r.IGCSante, r.PSCClientAuth.Fits)
	}
}

// The JSON form is a documented interface: snake_case keys, RFC 3339 UTC times.
func TestReportJSON(t *testing.T) {
	r := inspect(t, "good.p12", Options{Password: password(certtest.Password)})
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal(data, &obj); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"format", "checked_at", "certificate", "chain", "private_key", "igc_sante", "ca_verification", "psc_client_auth"} {
		if _, ok := obj[key]; !ok {
			t.Errorf("JSON has no %s: %s", key, data)
		}
	}
	snake := regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if !snake.MatchString(k) {
					t.Errorf("key %q is not snake_case", k)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(obj)
	cert := obj["certificate"].(map[string]any)
	if obj["checked_at"] != "2026-06-01T12:00:00Z" || cert["not_after"] != "2027-06-01T12:00:00Z" || cert["days_left"] != 365.0 {
		t.Errorf("checked_at %v, not_after %v, days_left %v", obj["checked_at"], cert["not_after"], cert["days_left"])
	}
	if cert["ip_addresses"] == nil || obj["ca_verification"] != nil {
		t.Errorf("empty lists must be [] and absent verification null: %s", data)
	}
	verdict := obj["psc_client_auth"].(map[string]any)
	if verdict["fits"] != true || len(verdict["checks"].([]any)) == 0 {
		t.Errorf("psc_client_auth = %v", verdict)
	}
}
