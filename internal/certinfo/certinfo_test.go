package certinfo

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/pscinit/psc-init/internal/certinfo/certtest"
)

// now is the test clock: every file of certtest is made relative to it.
var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// files makes the certtest files once for the package's tests.
var files = sync.OnceValues(func() (map[string][]byte, error) { return certtest.Files(now) })

func file(t *testing.T, name string) []byte {
	t.Helper()
	fs, err := files()
	if err != nil {
		t.Fatalf("make test certificates: %v", err)
	}
	data, ok := fs[name]
	if !ok {
		t.Fatalf("no test file %s", name)
	}
	return data
}

func password(p string) func() (string, error) { return func() (string, error) { return p, nil } }

func inspect(t *testing.T, name string, opts Options) *Report {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = now
	}
	r, err := Inspect(file(t, name), opts)
	if err != nil {
		t.Fatalf("Inspect(%s): %v", name, err)
	}
	return r
}

// check returns the result of the named check.
func check(t *testing.T, r *Report, name string) Check {
	t.Helper()
	for _, c := range r.PSCClientAuth.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %s in %+v", name, r.PSCClientAuth.Checks)
	return Check{}
}

func TestGoodPKCS12(t *testing.T) {
	for _, name := range []string{"good.p12", "legacy.p12"} {
		t.Run(name, func(t *testing.T) {
			r := inspect(t, name, Options{Password: password(certtest.Password)})
			if r.Format != FormatPKCS12 || !r.PSCClientAuth.Fits {
				t.Fatalf("format %s, fits %v, failed %+v", r.Format, r.PSCClientAuth.Fits, r.PSCClientAuth.Failed())
			}
			c := r.Certificate
			if c.Subject != "CN=portail.clinique.example,OU=318751275100020,O=CLINIQUE EXEMPLE,C=FR" {
				t.Errorf("subject = %q", c.Subject)
			}
			if !strings.HasPrefix(c.Issuer, "CN=TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS,") {
				t.Errorf("issuer = %q", c.Issuer)
			}
			if c.DaysLeft != 365 || !c.NotAfter.Equal(now.AddDate(1, 0, 0)) || c.NotAfter.Location() != time.UTC {
				t.Errorf("not after %v, days left %d; want a year (365 days)", c.NotAfter, c.DaysLeft)
			}
			if c.PublicKey.String() != "ECDSA P-256" || strings.Join(c.KeyUsages, ",") != "digitalSignature" ||
				strings.Join(c.ExtKeyUsages, ",") != "clientAuth" || strings.Join(c.DNSNames, ",") != "portail.clinique.example" {
				t.Errorf("key %s, usages %q %q, SANs %q", c.PublicKey, c.KeyUsages, c.ExtKeyUsages, c.DNSNames)
			}
			if c.Serial == "" || len(c.SHA256Fingerprint) != 95 {
				t.Errorf("serial %q, fingerprint %q", c.Serial, c.SHA256Fingerprint)
			}
			if !r.PrivateKey.Present || !*r.PrivateKey.Matches {
				t.Errorf("private key = %+v", r.PrivateKey)
			}
			if len(r.Chain) != 3 || !r.Chain[0].Leaf || *r.Chain[0].SignedBy != 1 || *r.Chain[1].SignedBy != 2 ||
				r.Chain[2].IssuerSignature != SignatureSelfSigned || r.Chain[2].SignedBy != nil {
				t.Errorf("chain = %+v", r.Chain)
			}
			igc := r.IGCSante
			if igc.Status != IGCTest || igc.Label != "IGC-Santé (test chain)" || igc.Level != "ELEMENTAIRE" ||
				igc.Population != PopulationOrganisations || igc.Basis != "names" || !strings.Contains(igc.Detail, "not against a pinned root") {
				t.Errorf("igc = %+v", igc)
			}
			if got := check(t, r, CheckIGCProduction); got.Result != ResultWarn || !strings.Contains(got.Detail, "sandbox") {
				t.Errorf("production check = %+v, want a warning that a test certificate is for the sandbox", got)
			}
		})
	}
}

func TestPEM(t *testing.T) {
	r := inspect(t, "good.pem", Options{})
	if r.Format != FormatPEM || !r.PSCClientAuth.Fits || !r.PrivateKey.Present || !*r.PrivateKey.Matches {
		t.Errorf("good.pem: format %s, fits %v, key %+v", r.Format, r.PSCClientAuth.Fits, r.PrivateKey)
	}
	r = inspect(t, "cert.pem", Options{Key: file(t, "key.pem")})
	if !r.PSCClientAuth.Fits || !*r.PrivateKey.Matches {
		t.Errorf("cert.pem --key key.pem: fits %v, key %+v", r.PSCClientAuth.Fits, r.PrivateKey)
	}
	r = inspect(t, "cert.pem", Options{})
	if r.PrivateKey.Present || r.PrivateKey.Matches != nil || check(t, r, CheckPrivateKey).Result != ResultSkip || !r.PSCClientAuth.Fits {
		t.Errorf("cert.pem without key: key %+v, check %+v", r.PrivateKey, check(t, r, CheckPrivateKey))
	}
	r = inspect(t, "cert.pem", Options{Key: file(t, "other-key.pem")})
	if r.PSCClientAuth.Fits || *r.PrivateKey.Matches || check(t, r, CheckPrivateKey).Result != ResultFail {
		t.Errorf("cert.pem --key other-key.pem: fits %v, key %+v", r.PSCClientAuth.Fits, r.PrivateKey)
	}
	if !r.Chain[0].Leaf {
		t.Errorf("leaf without a matching key = %+v, want the first non-CA certificate", r.Chain)
	}
}

func TestPEMChainOrderDoesNotMatter(t *testing.T) {
	// Root first, leaf last: the leaf is the certificate of the key.
	blocks := splitPEM(t, file(t, "cert.pem"))
	reversed := append(append(append([]byte{}, blocks[2]...), blocks[1]...), blocks[0]...)
	r, err := Inspect(reversed, Options{Now: now, Key: file(t, "key.pem")})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Chain[2].Leaf || *r.Chain[2].SignedBy != 1 || *r.Chain[1].SignedBy != 0 || !r.PSCClientAuth.Fits {
		t.Errorf("chain = %+v, fits %v", r.Chain, r.PSCClientAuth.Fits)
	}
}

func splitPEM(t *testing.T, data []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return out
		}
		out = append(out, pem.EncodeToMemory(b))
	}
}

func TestDER(t *testing.T) {
	b, _ := pem.Decode(file(t, "cert.pem"))
	r, err := Inspect(b.Bytes, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != FormatDER || len(r.Chain) != 1 || r.IGCSante.Status != IGCTest ||
		!strings.Contains(r.IGCSante.Detail, "issuer's name only") || r.Chain[0].IssuerSignature != SignatureIssuerNotGiven {
		t.Errorf("DER: format %s, chain %+v, igc %+v", r.Format, r.Chain, r.IGCSante)
	}
}

func TestUnreadable(t *testing.T) {
	asked := 0
	counting := func() (string, error) { asked++; return certtest.Password, nil }
	certOnly := splitPEM(t, file(t, "cert.pem"))[0]
	certOnlyP12 := trustStoreOf(t, certOnly)
	encKey := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{0x30, 0}})
	tests := []struct {
		name string
		data []byte
		opts Options
		want error
	}{
		{"wrong password", file(t, "good.p12"), Options{Password: password("nope")}, ErrWrongPassword},
		{"legacy wrong password", file(t, "legacy.p12"), Options{Password: password("nope")}, ErrWrongPassword},
		{"corrupt", file(t, "corrupt.p12"), Options{Password: counting}, ErrUnrecognized},
		{"empty", nil, Options{Password: counting}, ErrUnrecognized},
		{"text", []byte("hello\n"), Options{Password: counting}, ErrUnrecognized},
		{"PEM without certificate", file(t, "key.pem"), Options{}, ErrNoCertificate},
		{"p12 without key", certOnlyP12, Options{Password: password(certtest.Password)}, ErrNoPrivateKey},
		{"encrypted key", append(certOnly, encKey...), Options{}, ErrEncryptedKey},
		{"key file without key", file(t, "cert.pem"), Options{Key: certOnly}, ErrNoKeyInKeyFile},
		{"key with p12", file(t, "good.p12"), Options{Key: file(t, "key.pem"), Password: counting}, ErrKeyWithPKCS12},
		{"CA bundle without certificate", file(t, "good.pem"), Options{CAs: []byte("nothing")}, ErrNoCACertificate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = now
			r, err := Inspect(tt.data, tt.opts)
			if !errors.Is(err, tt.want) || r != nil {
				t.Errorf("Inspect = %v, %v; want error %v", r, err, tt.want)
			}
		})
	}
	if asked != 0 {
		t.Errorf("password asked %d times for files that are not PKCS#12", asked)
	}
	boom := errors.New("no terminal")
	if _, err := Inspect(file(t, "good.p12"), Options{Password: func() (string, error) { return "", boom }}); !errors.Is(err, boom) {
		t.Errorf("password callback error = %v, want it returned", err)
	}
}

// trustStoreOf encodes a PKCS#12 file holding one certificate and no key.
func trustStoreOf(t *testing.T, certPEM []byte) []byte {
	t.Helper()
	b, _ := pem.Decode(certPEM)
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	data, err := pkcs12.Modern2023.EncodeTrustStore([]*x509.Certificate{c}, certtest.Password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestVerdictFailures(t *testing.T) {
	tests := []struct {
		file, check, result, detail string
		fits                        bool
	}{
		{"expired.p12", CheckValidNow, ResultFail, "expired on 2026-05-31T12:00:00Z", false},
		{"notyet.p12", CheckValidNow, ResultFail, "not valid yet: valid from 2026-06-02T12:00:00Z", false},
		{"expiring.p12", CheckExpiry, ResultWarn, "expires within 30 days (10 days left)", true},
		{"noclientauth.p12", CheckClientAuthEKU, ResultFail, "lacks clientAuth", false},
		{"foreign.p12", CheckIGCOrganisation, ResultFail, "not issued by an IGC-Santé CA", false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := inspect(t, tt.file, Options{Password: password(certtest.Password)})
			c := check(t, r, tt.check)
			if c.Result != tt.result || !strings.Contains(c.Detail, tt.detail) || r.PSCClientAuth.Fits != tt.fits {
				t.Errorf("check %+v, fits %v; want %s containing %q, fits %v", c, r.PSCClientAuth.Fits, tt.result, tt.detail, tt.fits)
			}
			failed := len(r.PSCClientAuth.Failed())
			if tt.fits != (failed == 0) {
				t.Errorf("%d failed checks with fits %v", failed, tt.fits)
			}
		})
	}
	if r := inspect(t, "expired.p12", Options{Password: password(certtest.Password)}); r.Certificate.DaysLeft != -1 {
		t.Errorf("expired days left = %d, want -1", r.Certificate.DaysLeft)
	}
	if r := inspect(t, "foreign.p12", Options{Password: password(certtest.Password)}); r.IGCSante.Status != IGCNone || r.IGCSante.Label != "not IGC-Santé" {
		t.Errorf("foreign igc = %+v", r.IGCSante)
	}
	// A custom warning window.
	r := inspect(t, "good.p12", Options{Password: password(certtest.Password), ExpiryWarning: 400 * 24 * time.Hour})
	if c := check(t, r, CheckExpiry); c.Result != ResultWarn || !r.PSCClientAuth.Fits {
		t.Errorf("400-day window: %+v", c)
	}
}

func TestKeyStrengthAndUsage(t *testing.T) {
	_, org, err := certtest.IGCTestChain(now)
	if err != nil {
		t.Fatal(err)
	}
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	rsa2048, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*certtest.Leaf)
		check  string
		result string
		detail string
	}{
		{"rsa 1024", func(l *certtest.Leaf) { l.Key = rsa1024 }, CheckKeyStrength, ResultFail, "RSA 1024 bits: RSA keys need at least 2048 bits"},
		{"rsa 2048", func(l *certtest.Leaf) { l.Key = rsa2048 }, CheckKeyStrength, ResultPass, "RSA 2048 bits"},
		{"p224", func(l *certtest.Leaf) { l.Key = p224 }, CheckKeyStrength, ResultFail, "ECDSA P-224: ECDSA keys need P-256"},
		{"p384", func(l *certtest.Leaf) { l.Key = p384 }, CheckKeyStrength, ResultPass, "ECDSA P-384"},
		{"no digitalSignature", func(l *certtest.Leaf) { l.KeyUsage = 0x4 }, CheckDigitalSig, ResultFail, "lacks digitalSignature"},
		{"no key usage", func(l *certtest.Leaf) { l.KeyUsage = 0 }, CheckDigitalSig, ResultFail, "no key usage extension"},
		{"no EKU", func(l *certtest.Leaf) { l.ExtKeyUsage = nil }, CheckClientAuthEKU, ResultFail, "no extended key usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := certtest.DefaultLeaf(now)
			tt.change(&l)
			cert, key, err := org.Issue(l)
			if err != nil {
				t.Fatal(err)
			}
			keyPEM, err := certtest.PEMKey(key)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Inspect(append(certtest.PEMCerts(append([]*x509.Certificate{cert}, org.Chain...)...), keyPEM...), Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			c := check(t, r, tt.check)
			if c.Result != tt.result || !strings.Contains(c.Detail, tt.detail) {
				t.Errorf("check = %+v, want %s containing %q", c, tt.result, tt.detail)
			}
			if (tt.result == ResultPass) != r.PSCClientAuth.Fits {
				t.Errorf("fits = %v, failed %+v", r.PSCClientAuth.Fits, r.PSCClientAuth.Failed())
			}
		})
	}
}

func TestCAFile(t *testing.T) {
	ca := file(t, "ca.pem")
	r := inspect(t, "good.p12", Options{Password: password(certtest.Password), CAs: ca})
	if r.CAVerification == nil || !r.CAVerification.Verified || r.IGCSante.Basis != "ca_file" ||
		r.IGCSante.Status != IGCTest || check(t, r, CheckCAVerification).Result != ResultPass || !r.PSCClientAuth.Fits {
		t.Errorf("good.p12 --ca: verification %+v, igc %+v", r.CAVerification, r.IGCSante)
	}
	// The leaf alone: the intermediate is missing, x509 cannot build the path.
	leafOnly := splitPEM(t, file(t, "cert.pem"))[0]
	r, err := Inspect(leafOnly, Options{Now: now, CAs: ca})
	if err != nil {
		t.Fatal(err)
	}
	if r.CAVerification.Verified || r.PSCClientAuth.Fits || check(t, r, CheckCAVerification).Result != ResultFail {
		t.Errorf("leaf alone --ca: verification %+v", r.CAVerification)
	}
	r = inspect(t, "foreign.p12", Options{Password: password(certtest.Password), CAs: ca})
	if r.CAVerification.Verified || r.CAVerification.Error == "" || r.IGCSante.Basis != "names" {
		t.Errorf("foreign.p12 --ca: verification %+v, igc %+v", r.CAVerification, r.IGCSante)
	}
	if r := inspect(t, "good.p12", Options{Password: password(certtest.Password)}); r.CAVerification != nil {
		t.Errorf("verification without --ca = %+v, want nil", r.CAVerification)
	}
}
