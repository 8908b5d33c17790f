// Package certinfo inspects a client certificate (PKCS#12, PEM or DER) and
// tells whether it fits Pro Santé Connect client authentication
// (tls_client_auth, RFC 8705) with an IGC-Santé organisation certificate.
//
// Without CA certificates to verify against, the IGC-Santé check matches the
// known IGC-Santé CA names and the signatures between the certificates of
// the file: it is not a verification against a pinned root. Options.CAs adds
// a real x509 verification (clientAuth usage) against CA certificates the
// user has.
package certinfo

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"time"
)

// DefaultExpiryWarning is how close to its end a certificate's validity
// gets a warning: the time to renew it with IGC-Santé.
const DefaultExpiryWarning = 30 * 24 * time.Hour

// Options are the inputs of Inspect besides the file itself.
type Options struct {
	// Password returns the PKCS#12 password. It is called only when the
	// file is PKCS#12, so a PEM file never asks for one. Nil means "".
	Password func() (string, error)
	// Key is a separate PEM private key file, nil for none.
	Key []byte
	// CAs is a PEM bundle of CA certificates to verify the chain against,
	// nil for none.
	CAs []byte
	// Now is the time the certificate is checked at; zero means time.Now.
	Now time.Time
	// ExpiryWarning overrides DefaultExpiryWarning when positive.
	ExpiryWarning time.Duration
}

// Report is what Inspect finds. Its JSON form is psc-init's stable
// `cert inspect --json` output: snake_case fields, times in RFC 3339 UTC.
type Report struct {
	// Format is pkcs12, pem or der.
	Format string `json:"format"`
	// CheckedAt is the time validity was checked at.
	CheckedAt time.Time `json:"checked_at"`
	// Certificate is the leaf: the one matching the private key, else the
	// first non-CA certificate of the file, else the first one.
	Certificate Certificate `json:"certificate"`
	// Chain lists every certificate of the file, in the file's order.
	Chain []ChainEntry `json:"chain"`
	// PrivateKey tells whether a key was given and matches the leaf.
	PrivateKey PrivateKey `json:"private_key"`
	// IGCSante tells whether the chain leads to an IGC-Santé CA.
	IGCSante IGCSante `json:"igc_sante"`
	// CAVerification is the result of the --ca verification, null without --ca.
	CAVerification *CAVerification `json:"ca_verification"`
	// PSCClientAuth is the verdict for PSC client authentication.
	PSCClientAuth Verdict `json:"psc_client_auth"`
}

// PrivateKey tells whether a private key was given and matches the leaf.
type PrivateKey struct {
	Present bool `json:"present"`
	// Matches is null when no key was given.
	Matches *bool `json:"matches"`
}

// CAVerification is the result of verifying the leaf against the --ca
// bundle with x509 (clientAuth usage, at CheckedAt).
type CAVerification struct {
	Verified bool `json:"verified"`
	// Error is x509's reason when not verified.
	Error string `json:"error,omitempty"`
}

// Inspect reads a certificate file and reports on it. Its errors are
// ErrUnrecognized, ErrWrongPassword, ErrNoCertificate, ErrNoPrivateKey,
// ErrEncryptedKey, ErrNoKeyInKeyFile, ErrKeyWithPKCS12, the Password
// callback's error, or a wrapped parse error.
func Inspect(data []byte, opts Options) (*Report, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(time.Second)
	m, err := load(data, opts)
	if err != nil {
		return nil, err
	}
	leaf := pickLeaf(m)
	links := linkCerts(m.certs)
	r := &Report{
		Format:      m.format,
		CheckedAt:   now,
		Certificate: describe(m.certs[leaf], now),
		Chain:       chainEntries(m.certs, links, leaf),
	}
	if m.key != nil {
		ok := keyMatches(m.key, m.certs[leaf])
		r.PrivateKey = PrivateKey{Present: true, Matches: &ok}
	}
	path, broken := pathFrom(m.certs, links, leaf)
	if opts.CAs != nil {
		verified, cv, err := verifyWithCAs(m.certs, leaf, opts.CAs, now)
		if err != nil {
			return nil, err
		}
		r.CAVerification = cv
		if verified != nil {
			path, broken = verified, nil
		}
	}
	r.IGCSante = classifyIGC(path)
	switch {
	case r.CAVerification != nil && r.CAVerification.Verified:
		r.IGCSante.Basis = "ca_file"
	case broken != nil && r.IGCSante.Status != IGCNone:
		r.IGCSante = done(IGCSante{Status: IGCNone, IssuingCA: r.IGCSante.IssuingCA, Top: r.IGCSante.Top, Basis: "names",
			Detail: "the signature of " + broken.Subject.String() + " does not verify with the certificate of its issuer in the file"})
	case r.IGCSante.Status != IGCNone && len(path) == 1:
		r.IGCSante.Detail = "matched by the issuer's name only: the file holds no CA certificate (verify with --ca)"
	case r.IGCSante.Status != IGCNone:
		r.IGCSante.Detail = "matched by CA names and by the signatures within the file, not against a pinned root (verify with --ca)"
	}
	warnWithin := opts.ExpiryWarning
	if warnWithin <= 0 {
		warnWithin = DefaultExpiryWarning
	}
	r.PSCClientAuth = verdict(r, m.certs[leaf], now, warnWithin)
	return r, nil
}

// pickLeaf returns the index of the certificate the report is about.
func pickLeaf(m material) int {
	if m.key != nil {
		for i, c := range m.certs {
			if keyMatches(m.key, c) {
				return i
			}
		}
	}
	for i, c := range m.certs {
		if !c.IsCA {
			return i
		}
	}
	return 0
}

// keyMatches reports whether key is the private key of c's public key.
func keyMatches(key crypto.PrivateKey, c *x509.Certificate) bool {
	signer, ok := key.(crypto.Signer)
	if !ok {
		return false
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(c.PublicKey)
}

// verifyWithCAs verifies the leaf with x509 against the PEM bundle: its
// self-signed certificates are the roots (all of them when none is), the
// others and the file's CA certificates are intermediates. It returns the
// verified path, leaf first, or nil.
func verifyWithCAs(certs []*x509.Certificate, leaf int, bundle []byte, now time.Time) ([]*x509.Certificate, *CAVerification, error) {
	var cas []*x509.Certificate
	for rest := bundle; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, nil, fmt.Errorf("parse certificate %d of the CA bundle: %w", len(cas)+1, err)
		}
		cas = append(cas, c)
	}
	if len(cas) == 0 {
		return nil, nil, ErrNoCACertificate
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	nRoots := 0
	for _, c := range cas {
		if c.CheckSignatureFrom(c) == nil {
			roots.AddCert(c)
			nRoots++
		} else {
			inter.AddCert(c)
		}
	}
	if nRoots == 0 {
		roots = inter
		inter = x509.NewCertPool()
	}
	for i, c := range certs {
		if i != leaf {
			inter.AddCert(c)
		}
	}
	chains, err := certs[leaf].Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	if err != nil {
		return nil, &CAVerification{Error: err.Error()}, nil
	}
	return chains[0], &CAVerification{Verified: true}, nil
}
