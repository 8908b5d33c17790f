package certinfo

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"strings"
)

// IGC-Santé statuses of a chain (IGCSante.Status).
const (
	IGCProduction = "production" // names of the production IGC-Santé CAs
	IGCTest       = "test"       // names of the IGC-Santé test chain ("TEST " prefix)
	IGCNone       = "none"       // not IGC-Santé, or a chain that is not consistent
)

// IGC-Santé populations of an intermediate CA (IGCSante.Population).
const (
	PopulationOrganisations = "ORGANISATIONS" // organisation certificates: services, servers
	PopulationPersonnes     = "PERSONNES"     // personal certificates: CPS cards
)

// igcOrganization is the O of every IGC-Santé CA DN (psc-reference §6.3).
const igcOrganization = "ASIP-SANTE"

// igcLevels are the assurance levels of the IGC-Santé hierarchies.
var igcLevels = []string{"ELEMENTAIRE", "STANDARD", "FORT"}

// igcCA is one known IGC-Santé CA name.
type igcCA struct {
	test       bool
	root       bool
	level      string
	population string // "" for roots
}

// igcCAByName maps the CN of every known IGC-Santé CA (roots
// "AC RACINE IGC-SANTE <LEVEL>", intermediates
// "AC IGC-SANTE <LEVEL> <POPULATION>", and the same names prefixed with
// "TEST " for the test chain) to what the name says. It is built once per
// call: a small table, no package state to mutate.
func igcCAByName() map[string]igcCA {
	m := map[string]igcCA{}
	for _, test := range []bool{false, true} {
		prefix := ""
		if test {
			prefix = "TEST "
		}
		for _, level := range igcLevels {
			m[prefix+"AC RACINE IGC-SANTE "+level] = igcCA{test: test, root: true, level: level}
			for _, pop := range []string{PopulationOrganisations, PopulationPersonnes} {
				m[prefix+"AC IGC-SANTE "+level+" "+pop] = igcCA{test: test, level: level, population: pop}
			}
		}
	}
	return m
}

// lookupIGC returns what an IGC-Santé CA DN says, when name is one: its CN
// is in the table and its O is ASIP-SANTE.
func lookupIGC(table map[string]igcCA, name pkix.Name) (igcCA, bool) {
	ca, ok := table[strings.TrimSpace(name.CommonName)]
	if !ok || len(name.Organization) != 1 || strings.TrimSpace(name.Organization[0]) != igcOrganization {
		return igcCA{}, false
	}
	return ca, true
}

// IGCSante tells whether the chain of the certificate leads to an IGC-Santé
// CA. Without --ca it is a match of CA names (and of signatures between the
// certificates of the file), not a verification against a pinned root.
type IGCSante struct {
	// Status is "production", "test" or "none".
	Status string `json:"status"`
	// Label is the human form of Status.
	Label string `json:"label"`
	// IssuingCA is the CN of the certificate's issuer.
	IssuingCA string `json:"issuing_ca"`
	// Level is ELEMENTAIRE, STANDARD or FORT ("" when not IGC-Santé).
	Level string `json:"level"`
	// Population of the issuing CA: ORGANISATIONS or PERSONNES ("" when
	// not issued by an IGC-Santé intermediate).
	Population string `json:"population"`
	// Top is the DN the chain ends at: the subject of a self-signed root
	// in the file, else the issuer of the last certificate found.
	Top string `json:"top"`
	// Basis says what the status rests on: "names" (CA names and the
	// signatures inside the file) or "ca_file" (x509 verification against
	// the --ca bundle, then names).
	Basis string `json:"basis"`
	// Detail explains a "none" status, or how far the chain was checked.
	Detail string `json:"detail"`
}

// labels of IGCSante.Status.
func igcLabel(status string) string {
	switch status {
	case IGCProduction:
		return "IGC-Santé (production)"
	case IGCTest:
		return "IGC-Santé (test chain)"
	}
	return "not IGC-Santé"
}

// classifyIGC matches the CA names along path (leaf first, each certificate
// signed by the next). Every issuer on the path must be a known IGC-Santé
// CA name with O=ASIP-SANTE, all of the same kind (test or production) and
// level; the leaf's issuer must be an intermediate.
func classifyIGC(path []*x509.Certificate) IGCSante {
	leaf := path[0]
	last := path[len(path)-1]
	res := IGCSante{Status: IGCNone, IssuingCA: leaf.Issuer.CommonName, Top: last.Issuer.String(), Basis: "names"}
	table := igcCAByName()
	var first igcCA
	for i, c := range path {
		ca, ok := lookupIGC(table, c.Issuer)
		if !ok {
			if i == 0 {
				res.Detail = "the issuer is not a known IGC-Santé CA name (O=ASIP-SANTE, CN AC IGC-SANTE …)"
			} else {
				res.Detail = "the chain goes through " + c.Issuer.String() + ", which is not a known IGC-Santé CA name"
			}
			return done(res)
		}
		if i == 0 {
			first = ca
			res.Level = ca.level
			res.Population = ca.population
			continue
		}
		if ca.test != first.test || ca.level != first.level {
			res.Detail = "the chain mixes IGC-Santé CA names of different hierarchies (" + leaf.Issuer.CommonName + " under " + c.Issuer.CommonName + ")"
			res.Level, res.Population = "", ""
			return done(res)
		}
	}
	if first.root {
		res.Detail = "the certificate is issued directly by an IGC-Santé root name, which issues only CA certificates"
		res.Level, res.Population = "", ""
		return done(res)
	}
	res.Status = IGCProduction
	if first.test {
		res.Status = IGCTest
	}
	return done(res)
}

func done(r IGCSante) IGCSante {
	r.Label = igcLabel(r.Status)
	return r
}
