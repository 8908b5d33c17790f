package certinfo

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"math"
	"strings"
	"time"
)

// Certificate describes the leaf certificate.
type Certificate struct {
	Subject string `json:"subject"`
	Issuer  string `json:"issuer"`
	// Serial is the serial number in uppercase hexadecimal, as
	// `openssl x509 -serial` prints it.
	Serial    string    `json:"serial"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	// DaysLeft is the number of whole days until NotAfter (negative once
	// expired).
	DaysLeft  int       `json:"days_left"`
	PublicKey PublicKey `json:"public_key"`
	// KeyUsages are RFC 5280 names (digitalSignature, keyEncipherment…).
	KeyUsages []string `json:"key_usages"`
	// ExtKeyUsages are RFC 5280 names (clientAuth, serverAuth…), or the OID
	// of usages Go does not name.
	ExtKeyUsages   []string `json:"ext_key_usages"`
	DNSNames       []string `json:"dns_names"`
	EmailAddresses []string `json:"email_addresses"`
	IPAddresses    []string `json:"ip_addresses"`
	URIs           []string `json:"uris"`
	IsCA           bool     `json:"is_ca"`
	// SHA256Fingerprint is the SHA-256 of the DER certificate, colon-separated
	// uppercase hex, as `openssl x509 -fingerprint -sha256` prints it.
	SHA256Fingerprint string `json:"sha256_fingerprint"`
}

// PublicKey describes the certificate's key.
type PublicKey struct {
	// Type is RSA, ECDSA, Ed25519 or unknown.
	Type string `json:"type"`
	// Bits is the RSA modulus or curve size.
	Bits int `json:"bits"`
	// Curve is the ECDSA curve name (P-256…), "" otherwise.
	Curve string `json:"curve,omitempty"`
}

// String returns "ECDSA P-256", "RSA 2048 bits" or the type alone.
func (k PublicKey) String() string {
	switch {
	case k.Curve != "":
		return k.Type + " " + k.Curve
	case k.Bits > 0:
		return fmt.Sprintf("%s %d bits", k.Type, k.Bits)
	}
	return k.Type
}

func describe(c *x509.Certificate, now time.Time) Certificate {
	d := Certificate{
		Subject:           c.Subject.String(),
		Issuer:            c.Issuer.String(),
		Serial:            serialHex(c),
		NotBefore:         c.NotBefore.UTC(),
		NotAfter:          c.NotAfter.UTC(),
		DaysLeft:          int(math.Floor(c.NotAfter.Sub(now).Hours() / 24)),
		PublicKey:         publicKey(c),
		KeyUsages:         keyUsages(c.KeyUsage),
		ExtKeyUsages:      extKeyUsages(c),
		DNSNames:          nonNil(c.DNSNames),
		EmailAddresses:    nonNil(c.EmailAddresses),
		IPAddresses:       []string{},
		URIs:              []string{},
		IsCA:              c.IsCA,
		SHA256Fingerprint: fingerprint(c.Raw),
	}
	for _, ip := range c.IPAddresses {
		d.IPAddresses = append(d.IPAddresses, ip.String())
	}
	for _, u := range c.URIs {
		d.URIs = append(d.URIs, u.String())
	}
	return d
}

// nonNil keeps JSON arrays as [] rather than null, for scripts.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func serialHex(c *x509.Certificate) string {
	if c.SerialNumber == nil {
		return ""
	}
	s := strings.ToUpper(c.SerialNumber.Text(16))
	if len(s)%2 == 1 {
		s = "0" + s
	}
	return s
}

func fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

func publicKey(c *x509.Certificate) PublicKey {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return PublicKey{Type: "RSA", Bits: k.N.BitLen()}
	case *ecdsa.PublicKey:
		p := k.Curve.Params()
		return PublicKey{Type: "ECDSA", Bits: p.BitSize, Curve: p.Name}
	case ed25519.PublicKey:
		return PublicKey{Type: "Ed25519", Bits: 256}
	}
	return PublicKey{Type: "unknown"}
}

// keyUsageNames are the RFC 5280 names of the key usage bits, in bit order.
var keyUsageNames = []struct {
	bit  x509.KeyUsage
	name string
}{
	{x509.KeyUsageDigitalSignature, "digitalSignature"},
	{x509.KeyUsageContentCommitment, "nonRepudiation"},
	{x509.KeyUsageKeyEncipherment, "keyEncipherment"},
	{x509.KeyUsageDataEncipherment, "dataEncipherment"},
	{x509.KeyUsageKeyAgreement, "keyAgreement"},
	{x509.KeyUsageCertSign, "keyCertSign"},
	{x509.KeyUsageCRLSign, "cRLSign"},
	{x509.KeyUsageEncipherOnly, "encipherOnly"},
	{x509.KeyUsageDecipherOnly, "decipherOnly"},
}

func keyUsages(ku x509.KeyUsage) []string {
	out := []string{}
	for _, n := range keyUsageNames {
		if ku&n.bit != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

// extKeyUsageNames are the RFC 5280 (and common) names of Go's extended
// key usages.
var extKeyUsageNames = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny:                            "any",
	x509.ExtKeyUsageServerAuth:                     "serverAuth",
	x509.ExtKeyUsageClientAuth:                     "clientAuth",
	x509.ExtKeyUsageCodeSigning:                    "codeSigning",
	x509.ExtKeyUsageEmailProtection:                "emailProtection",
	x509.ExtKeyUsageIPSECEndSystem:                 "ipsecEndSystem",
	x509.ExtKeyUsageIPSECTunnel:                    "ipsecTunnel",
	x509.ExtKeyUsageIPSECUser:                      "ipsecUser",
	x509.ExtKeyUsageTimeStamping:                   "timeStamping",
	x509.ExtKeyUsageOCSPSigning:                    "OCSPSigning",
	x509.ExtKeyUsageMicrosoftServerGatedCrypto:     "msSGC",
	x509.ExtKeyUsageNetscapeServerGatedCrypto:      "nsSGC",
	x509.ExtKeyUsageMicrosoftCommercialCodeSigning: "msCodeCom",
	x509.ExtKeyUsageMicrosoftKernelCodeSigning:     "msKernelCodeSigning",
}

func extKeyUsages(c *x509.Certificate) []string {
	out := []string{}
	for _, u := range c.ExtKeyUsage {
		if n, ok := extKeyUsageNames[u]; ok {
			out = append(out, n)
		} else {
			out = append(out, fmt.Sprintf("unknown(%d)", u))
		}
	}
	for _, oid := range c.UnknownExtKeyUsage {
		out = append(out, oid.String())
	}
	return out
}
