package certinfo

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"

	"software.sslmate.com/src/go-pkcs12"
)

// Formats of an inspected file (Report.Format).
const (
	FormatPKCS12 = "pkcs12" // .p12/.pfx: certificate, chain and key, password protected
	FormatPEM    = "pem"    // certificates, optionally with an unencrypted private key
	FormatDER    = "der"    // one DER certificate (.cer/.crt as IGC-Santé publishes them)
)

// Errors of Inspect; the CLI turns them into one sentence with the fix.
var (
	// ErrUnrecognized: the data is neither PKCS#12, PEM nor a DER certificate.
	ErrUnrecognized = errors.New("not a PKCS#12, PEM or DER certificate file")
	// ErrWrongPassword: the PKCS#12 password is wrong.
	ErrWrongPassword = errors.New("wrong PKCS#12 password")
	// ErrNoCertificate: the file holds no certificate.
	ErrNoCertificate = errors.New("no certificate in the file")
	// ErrNoPrivateKey: the PKCS#12 file holds no private key.
	ErrNoPrivateKey = errors.New("no private key in the PKCS#12 file")
	// ErrEncryptedKey: a PEM private key is encrypted, which psc-init does not read.
	ErrEncryptedKey = errors.New("the PEM private key is encrypted")
	// ErrNoKeyInKeyFile: the separate key file holds no private key.
	ErrNoKeyInKeyFile = errors.New("no private key in the key file")
	// ErrKeyWithPKCS12: a separate key was given for a PKCS#12 file.
	ErrKeyWithPKCS12 = errors.New("a separate key was given for a PKCS#12 file, which holds its own key")
	// ErrNoCACertificate: the CA bundle (Options.CAs) holds no PEM certificate.
	ErrNoCACertificate = errors.New("no PEM certificate in the CA bundle")
)

// material is what a file holds.
type material struct {
	format string
	certs  []*x509.Certificate // in the order of the file
	key    crypto.PrivateKey   // nil when none
}

// isPKCS12 reports whether data has the outer structure of a PFX PDU
// (version 3), without any password: a random DER file is not mistaken
// for one, and no password is asked for it.
func isPKCS12(data []byte) bool {
	var pfx struct {
		Version  int
		AuthSafe asn1.RawValue
		MacData  asn1.RawValue `asn1:"optional"`
	}
	rest, err := asn1.Unmarshal(data, &pfx)
	return err == nil && len(rest) == 0 && pfx.Version == 3
}

func load(data []byte, opts Options) (material, error) {
	if bytes.Contains(data, []byte("-----BEGIN ")) {
		return loadPEM(data, opts.Key)
	}
	if c, err := x509.ParseCertificate(data); err == nil {
		m := material{format: FormatDER, certs: []*x509.Certificate{c}}
		return m, addKeyFile(&m, opts.Key)
	}
	if !isPKCS12(data) {
		return material{}, ErrUnrecognized
	}
	if opts.Key != nil {
		return material{}, ErrKeyWithPKCS12
	}
	password := ""
	if opts.Password != nil {
		p, err := opts.Password()
		if err != nil {
			return material{}, err
		}
		password = p
	}
	key, leaf, cas, err := pkcs12.DecodeChain(data, password)
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		return material{}, ErrWrongPassword
	case err != nil && err.Error() == "pkcs12: private key missing":
		// go-pkcs12 has no sentinel for it; matching its text keeps the
		// clearer sentence, and any other wording falls through below.
		return material{}, ErrNoPrivateKey
	case err != nil:
		return material{}, fmt.Errorf("decode PKCS#12: %w", err)
	}
	return material{format: FormatPKCS12, certs: append([]*x509.Certificate{leaf}, cas...), key: key}, nil
}

func loadPEM(data, keyFile []byte) (material, error) {
	m := material{format: FormatPEM}
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		switch {
		case block.Type == "CERTIFICATE":
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return material{}, fmt.Errorf("parse certificate %d of the PEM file: %w", len(m.certs)+1, err)
			}
			m.certs = append(m.certs, c)
		case isKeyBlock(block):
			if m.key != nil {
				return material{}, errors.New("the PEM file holds several private keys; keep only the certificate's")
			}
			key, err := parseKeyBlock(block)
			if err != nil {
				return material{}, err
			}
			m.key = key
		}
	}
	if len(m.certs) == 0 {
		return material{}, ErrNoCertificate
	}
	return m, addKeyFile(&m, keyFile)
}

// addKeyFile adds the key of a separate PEM key file.
func addKeyFile(m *material, keyFile []byte) error {
	if keyFile == nil {
		return nil
	}
	if m.key != nil {
		return errors.New("the certificate file already holds a private key and a separate key was given; give only one")
	}
	for rest := keyFile; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return ErrNoKeyInKeyFile
		}
		if isKeyBlock(block) {
			key, err := parseKeyBlock(block)
			if err != nil {
				return err
			}
			m.key = key
			return nil
		}
	}
}

func isKeyBlock(b *pem.Block) bool {
	switch b.Type {
	case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
		return true
	}
	return false
}

func parseKeyBlock(b *pem.Block) (crypto.PrivateKey, error) {
	if b.Type == "ENCRYPTED PRIVATE KEY" || b.Headers["Proc-Type"] != "" {
		return nil, ErrEncryptedKey
	}
	var (
		key crypto.PrivateKey
		err error
	)
	switch b.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(b.Bytes)
	default:
		key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
	}
	if err != nil {
		return nil, fmt.Errorf("parse the %s block: %w", b.Type, err)
	}
	return key, nil
}
