package certtest

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// Password protects every PKCS#12 file of Files.
const Password = "psc-init-test"

// Files returns the certificate files psc-init's tests inspect, by name,
// made at now with the IGC-Santé-like test chain:
//
//	ca.pem            the test root, for --ca
//	good.p12          client certificate, key and chain (Modern2023 encryption)
//	legacy.p12        the same, with the LegacyRC2 encryption of older tools
//	good.pem          client certificate, chain and key in one PEM file
//	cert.pem, key.pem client certificate and chain; its key apart
//	other-key.pem     a key that matches nothing
//	expired.p12       expired yesterday
//	notyet.p12        valid from tomorrow
//	expiring.p12      expires in 10 days
//	noclientauth.p12  serverAuth only
//	foreign.p12       issued by a CA that is not IGC-Santé
//	corrupt.p12       good.p12 cut in half
//	password.txt      Password and a newline
func Files(now time.Time) (map[string][]byte, error) {
	root, org, err := IGCTestChain(now)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		"ca.pem":       PEMCerts(root.Cert),
		"password.txt": []byte(Password + "\n"),
	}
	good := DefaultLeaf(now)
	cert, key, err := org.Issue(good)
	if err != nil {
		return nil, err
	}
	chain := org.Chain
	for name, enc := range map[string]*pkcs12.Encoder{"good.p12": pkcs12.Modern2023, "legacy.p12": pkcs12.LegacyRC2} {
		if files[name], err = enc.Encode(key, cert, chain, Password); err != nil {
			return nil, fmt.Errorf("encode %s: %w", name, err)
		}
	}
	files["corrupt.p12"] = files["good.p12"][:len(files["good.p12"])/2]
	keyPEM, err := PEMKey(key)
	if err != nil {
		return nil, err
	}
	files["cert.pem"] = PEMCerts(append([]*x509.Certificate{cert}, chain...)...)
	files["key.pem"] = keyPEM
	files["good.pem"] = append(slices.Clone(files["cert.pem"]), keyPEM...)
	_, otherKey, err := org.Issue(good)
	if err != nil {
		return nil, err
	}
	if files["other-key.pem"], err = PEMKey(otherKey); err != nil {
		return nil, err
	}

	variants := map[string]func(*Leaf){
		"expired.p12":      func(l *Leaf) { l.NotBefore, l.NotAfter = now.AddDate(-1, 0, 0), now.AddDate(0, 0, -1) },
		"notyet.p12":       func(l *Leaf) { l.NotBefore = now.AddDate(0, 0, 1) },
		"expiring.p12":     func(l *Leaf) { l.NotAfter = now.AddDate(0, 0, 10) },
		"noclientauth.p12": func(l *Leaf) { l.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth} },
	}
	for name, change := range variants {
		l := DefaultLeaf(now)
		change(&l)
		if files[name], err = issueP12(org, l); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	foreign, err := NewRoot(pkix.Name{CommonName: "Example Corp Issuing CA", Organization: []string{"Example Corp"}}, now.AddDate(-1, 0, 0), now.AddDate(5, 0, 0))
	if err != nil {
		return nil, err
	}
	if files["foreign.p12"], err = issueP12(foreign, DefaultLeaf(now)); err != nil {
		return nil, fmt.Errorf("foreign.p12: %w", err)
	}
	return files, nil
}

func issueP12(ca *CA, l Leaf) ([]byte, error) {
	cert, key, err := ca.Issue(l)
	if err != nil {
		return nil, err
	}
	return pkcs12.Modern2023.Encode(key, cert, ca.Chain, Password)
}

// WriteFiles writes Files(now) into dir, which must exist.
func WriteFiles(dir string, now time.Time) error {
	files, err := Files(now)
	if err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}
