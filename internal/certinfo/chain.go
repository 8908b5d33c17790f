package certinfo

import (
	"bytes"
	"crypto/x509"
	"time"
)

// Issuer signature statuses of a ChainEntry.
const (
	SignatureVerified       = "verified"           // signed by another certificate of the file
	SignatureSelfSigned     = "self_signed"        // a root: its own signature verifies
	SignatureIssuerNotGiven = "issuer_not_in_file" // no certificate of the file has its issuer's name
	SignatureInvalid        = "invalid"            // a certificate with the issuer's name is there but did not sign it
)

// ChainEntry is one certificate of the file, in the order of the file.
type ChainEntry struct {
	Index     int       `json:"index"`
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	Serial    string    `json:"serial"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	IsCA      bool      `json:"is_ca"`
	// Leaf is true for the certificate the report is about.
	Leaf bool `json:"leaf"`
	// IssuerSignature is verified, self_signed, issuer_not_in_file or invalid.
	IssuerSignature string `json:"issuer_signature"`
	// SignedBy is the index of the certificate that signed this one, null
	// when none of the file did (or for a self-signed root).
	SignedBy *int `json:"signed_by"`
}

// link is what chain analysis found for one certificate.
type link struct {
	status   string
	signedBy int // -1 for none
}

// linkCerts finds, for every certificate, which other certificate of the
// same file signed it. Only signatures count: a certificate whose issuer
// name matches but whose signature does not verify is reported invalid.
func linkCerts(certs []*x509.Certificate) []link {
	links := make([]link, len(certs))
	for i, c := range certs {
		links[i] = link{status: SignatureIssuerNotGiven, signedBy: -1}
		if bytes.Equal(c.RawIssuer, c.RawSubject) {
			links[i].status = SignatureInvalid
			if c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil {
				links[i].status = SignatureSelfSigned
			}
			continue
		}
		for j, p := range certs {
			if i == j || !bytes.Equal(c.RawIssuer, p.RawSubject) {
				continue
			}
			if c.CheckSignatureFrom(p) == nil {
				links[i] = link{status: SignatureVerified, signedBy: j}
				break
			}
			links[i].status = SignatureInvalid
		}
	}
	return links
}

// pathFrom follows the verified signatures from the certificate at leaf
// up to a root or to the last certificate of the file that is signed by
// another one. It also reports the first broken link, if any.
func pathFrom(certs []*x509.Certificate, links []link, leaf int) (path []*x509.Certificate, broken *x509.Certificate) {
	seen := map[int]bool{}
	for i := leaf; i >= 0 && !seen[i]; i = links[i].signedBy {
		seen[i] = true
		path = append(path, certs[i])
		if links[i].status == SignatureInvalid {
			broken = certs[i]
		}
	}
	return path, broken
}

func chainEntries(certs []*x509.Certificate, links []link, leaf int) []ChainEntry {
	out := make([]ChainEntry, len(certs))
	for i, c := range certs {
		e := ChainEntry{
			Index:           i,
			Subject:         c.Subject.String(),
			Issuer:          c.Issuer.String(),
			Serial:          serialHex(c),
			NotBefore:       c.NotBefore.UTC(),
			NotAfter:        c.NotAfter.UTC(),
			IsCA:            c.IsCA,
			Leaf:            i == leaf,
			IssuerSignature: links[i].status,
		}
		if j := links[i].signedBy; j >= 0 {
			e.SignedBy = &j
		}
		out[i] = e
	}
	return out
}
