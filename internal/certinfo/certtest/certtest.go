// Package certtest makes certificates for tests, at test time: a CA named
// like IGC-Santé's test chain (TEST AC RACINE IGC-SANTE ELEMENTAIRE →
// TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS) issuing client certificates
// with chosen properties, and the files psc-init's tests inspect.
package certtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"
)

// IGCName returns a DN shaped like the IGC-Santé test chain's:
// CN=cn, OU=IGC-SANTE TEST, OU=0002 187512751, O=ASIP-SANTE, C=FR.
func IGCName(cn string) pkix.Name {
	return pkix.Name{
		CommonName:         cn,
		OrganizationalUnit: []string{"IGC-SANTE TEST", "0002 187512751"},
		Organization:       []string{"ASIP-SANTE"},
		Country:            []string{"FR"},
	}
}

// CA is a certificate authority that issues certificates.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
	// Chain is the CA's certificate followed by its issuers', root last.
	Chain  []*x509.Certificate
	serial int64
}

// NewRoot makes a self-signed root CA valid from notBefore to notAfter.
func NewRoot(name pkix.Name, notBefore, notAfter time.Time) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate root key: %w", err)
	}
	tmpl := caTemplate(name, 1, notBefore, notAfter)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("create root certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse root certificate: %w", err)
	}
	return &CA{Cert: cert, Key: key, Chain: []*x509.Certificate{cert}, serial: 1}, nil
}

// NewIntermediate makes a CA signed by ca, with ca's validity.
func (ca *CA) NewIntermediate(name pkix.Name) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate intermediate key: %w", err)
	}
	ca.serial++
	tmpl := caTemplate(name, ca.serial, ca.Cert.NotBefore, ca.Cert.NotAfter)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, key.Public(), ca.Key)
	if err != nil {
		return nil, fmt.Errorf("create intermediate certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse intermediate certificate: %w", err)
	}
	return &CA{Cert: cert, Key: key, Chain: append([]*x509.Certificate{cert}, ca.Chain...), serial: 1000 * ca.serial}, nil
}

func caTemplate(name pkix.Name, serial int64, notBefore, notAfter time.Time) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               name,
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
}

// IGCTestChain makes the root TEST AC RACINE IGC-SANTE ELEMENTAIRE and its
// intermediate TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS, valid ten years
// around now.
func IGCTestChain(now time.Time) (root, org *CA, err error) {
	root, err = NewRoot(IGCName("TEST AC RACINE IGC-SANTE ELEMENTAIRE"), now.AddDate(-5, 0, 0), now.AddDate(5, 0, 0))
	if err != nil {
		return nil, nil, err
	}
	org, err = root.NewIntermediate(IGCName("TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS"))
	if err != nil {
		return nil, nil, err
	}
	return root, org, nil
}

// Leaf describes a certificate to issue. Zero fields take the values of
// DefaultLeaf.
type Leaf struct {
	Subject     pkix.Name
	NotBefore   time.Time
	NotAfter    time.Time
	KeyUsage    x509.KeyUsage
	ExtKeyUsage []x509.ExtKeyUsage
	DNSNames    []string
	// Key is the leaf's key; nil makes an ECDSA P-256 key.
	Key crypto.Signer
}

// DefaultLeaf is a good ORG AUTH_CLI-like client certificate valid from a
// day before now to a year after.
func DefaultLeaf(now time.Time) Leaf {
	return Leaf{
		Subject: pkix.Name{
			CommonName:         "portail.clinique.example",
			OrganizationalUnit: []string{"318751275100020"},
			Organization:       []string{"CLINIQUE EXEMPLE"},
			Country:            []string{"FR"},
		},
		NotBefore:   now.AddDate(0, 0, -1),
		NotAfter:    now.AddDate(1, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		DNSNames:    []string{"portail.clinique.example"},
	}
}

// Issue makes a certificate described by l, signed by ca.
func (ca *CA) Issue(l Leaf) (*x509.Certificate, crypto.Signer, error) {
	key := l.Key
	if key == nil {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, nil, fmt.Errorf("generate leaf key: %w", err)
		}
		key = k
	}
	ca.serial++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(ca.serial),
		Subject:               l.Subject,
		NotBefore:             l.NotBefore,
		NotAfter:              l.NotAfter,
		KeyUsage:              l.KeyUsage,
		ExtKeyUsage:           l.ExtKeyUsage,
		DNSNames:              l.DNSNames,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, key.Public(), ca.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("create leaf certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("parse leaf certificate: %w", err)
	}
	return cert, key, nil
}

// PEMCerts encodes certificates as PEM, in order.
func PEMCerts(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// PEMKey encodes a private key as PKCS#8 PEM.
func PEMKey(key crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("marshal key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}
