package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pscinit/psc-init/internal/certinfo"
	"github.com/pscinit/psc-init/internal/certinfo/certtest"
	"github.com/pscinit/psc-init/internal/prompt"
)

// certFiles writes certtest's files in a temporary directory and returns
// the path of one by name. The CLI checks validity at the real time: the
// files are made relative to it, with days of margin.
func certFiles(t *testing.T) func(name string) string {
	t.Helper()
	dir := t.TempDir()
	if err := certtest.WriteFiles(dir, time.Now()); err != nil {
		t.Fatalf("make test certificates: %v", err)
	}
	return func(name string) string { return filepath.Join(dir, name) }
}

func TestCertInspectExitCodes(t *testing.T) {
	certFile := certFiles(t)
	pw := func() string { return certFile("password.txt") }
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // a line it contains, "" for empty stdout
		stderr string // its prefix
	}{
		{"good p12", []string{certFile("good.p12"), "--password-file", pw()}, ExitOK,
			"PSC client authentication (tls_client_auth): fits\n", ""},
		{"legacy p12", []string{certFile("legacy.p12"), "--password-file", pw()}, ExitOK, "IGC-Santé:       IGC-Santé (test chain), issuing CA TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS (ELEMENTAIRE, ORGANISATIONS)\n", ""},
		{"pem", []string{certFile("good.pem")}, ExitOK, "Private key:     present, matches the certificate\n", ""},
		{"pem and key", []string{certFile("cert.pem"), "--key", certFile("key.pem")}, ExitOK, "File:            " + certFile("cert.pem") + " (PEM)\n", ""},
		{"pem alone", []string{certFile("cert.pem")}, ExitOK, "Private key:     none given\n", ""},
		{"ca", []string{certFile("good.p12"), "--password-file", pw(), "--ca", certFile("ca.pem")}, ExitOK,
			"CA verification: verified against --ca for client authentication\n", ""},
		{"expiring", []string{certFile("expiring.p12"), "--password-file", pw()}, ExitOK, "  warn  expiry", ""},
		{"expired", []string{certFile("expired.p12"), "--password-file", pw()}, ExitNotFit,
			"PSC client authentication (tls_client_auth): does NOT fit\n", "psc-init: " + certFile("expired.p12") + " does not fit PSC client authentication (failed: valid_now); see the verdict on standard output\n"},
		{"not yet valid", []string{certFile("notyet.p12"), "--password-file", pw()}, ExitNotFit, "  FAIL  valid_now", "psc-init: " + certFile("notyet.p12") + " does not fit PSC client authentication (failed: valid_now)"},
		{"no clientAuth", []string{certFile("noclientauth.p12"), "--password-file", pw()}, ExitNotFit, "Ext. key usage:  serverAuth\n", "psc-init: " + certFile("noclientauth.p12") + " does not fit PSC client authentication (failed: client_auth_eku)"},
		{"foreign", []string{certFile("foreign.p12"), "--password-file", pw()}, ExitNotFit, "IGC-Santé:       not IGC-Santé\n", ""},
		{"key not matching", []string{certFile("cert.pem"), "--key", certFile("other-key.pem")}, ExitNotFit, "Private key:     present, does NOT match the certificate\n", ""},
		{"ca not verifying", []string{certFile("foreign.p12"), "--password-file", pw(), "--ca", certFile("ca.pem")}, ExitNotFit, "CA verification: FAILED: x509:", ""},

		{"wrong password", []string{certFile("good.p12"), "--password-file", certFile("ca.pem")}, ExitFailure, "",
			"psc-init: wrong password for " + certFile("good.p12") + " (from --password-file " + certFile("ca.pem") + "); give the password delivered with the file\n"},
		{"corrupt", []string{certFile("corrupt.p12"), "--password-file", pw()}, ExitFailure, "", "psc-init: " + certFile("corrupt.p12") + " is not a certificate file (PKCS#12, PEM or DER) or is damaged;"},
		{"not a certificate", []string{certFile("password.txt")}, ExitFailure, "", "psc-init: " + certFile("password.txt") + " is not a certificate file"},
		{"key file as certificate", []string{certFile("key.pem")}, ExitFailure, "", "psc-init: " + certFile("key.pem") + " holds no certificate;"},
		{"missing file", []string{certFile("nope.p12")}, ExitFailure, "", "psc-init: " + certFile("nope.p12") + " does not exist; check the path\n"},
		{"missing password file", []string{certFile("good.p12"), "--password-file", certFile("nope.txt")}, ExitFailure, "", "psc-init: " + certFile("nope.txt") + " (--password-file) does not exist; check the path\n"},
		{"missing key file", []string{certFile("cert.pem"), "--key", certFile("nope.pem")}, ExitFailure, "", "psc-init: " + certFile("nope.pem") + " (--key) does not exist"},
		{"key without key", []string{certFile("cert.pem"), "--key", certFile("ca.pem")}, ExitFailure, "", "psc-init: " + certFile("ca.pem") + " (--key) holds no private key;"},
		{"ca without certificate", []string{certFile("cert.pem"), "--ca", certFile("key.pem")}, ExitFailure, "", "psc-init: " + certFile("key.pem") + " (--ca) holds no PEM certificate;"},
		{"no password, no terminal", []string{certFile("good.p12")}, ExitFailure, "",
			"psc-init: " + certFile("good.p12") + " is a PKCS#12 file and needs its password, and there is no terminal to ask on; pass --password-file FILE or set PSC_CLIENT_CERT_P12_PASSWORD\n"},

		{"key with p12", []string{certFile("good.p12"), "--password-file", pw(), "--key", certFile("key.pem")}, ExitUsage, "", "psc-init: " + certFile("good.p12") + " is a PKCS#12 file, which holds its own key; drop --key\n"},
		{"no file", nil, ExitUsage, "", "psc-init: missing the certificate file;"},
		{"two files", []string{"a.p12", "b.p12"}, ExitUsage, "", `psc-init: too many arguments ("b.p12" after FILE)`},
		{"password flag", []string{certFile("good.p12"), "--password", "x"}, ExitUsage, "", "psc-init: unknown flag: --password;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, nil, append([]string{"cert", "inspect"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if tt.stdout == "" && stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout = %s\nwant it to contain %q", stdout, tt.stdout)
			}
			if !strings.HasPrefix(stderr, tt.stderr) || (tt.code == ExitOK) != (stderr == "") {
				t.Errorf("stderr = %q, want it to start with %q", stderr, tt.stderr)
			}
			if strings.Count(stderr, "\n") > 1 {
				t.Errorf("stderr has several lines: %q", stderr)
			}
			if strings.Contains(stdout+stderr, certtest.Password) {
				t.Errorf("the password appears in the output")
			}
		})
	}
}

func TestCertInspectPasswordSources(t *testing.T) {
	certFile := certFiles(t)
	p12 := certFile("good.p12")
	t.Run("environment", func(t *testing.T) {
		t.Setenv(certPasswordEnv, certtest.Password)
		p := &prompt.Scripted{}
		if code, _, stderr := runCLI(t, p, "cert", "inspect", p12); code != ExitOK || len(p.Asked) != 0 {
			t.Errorf("exit code %d (stderr %q), asked %q; want the variable used without a prompt", code, stderr, p.Asked)
		}
		t.Setenv(certPasswordEnv, "wrong")
		if code, _, stderr := runCLI(t, p, "cert", "inspect", p12); code != ExitFailure || !strings.Contains(stderr, "(from "+certPasswordEnv+")") {
			t.Errorf("wrong variable: exit code %d, stderr %q", code, stderr)
		}
		// --password-file wins over the variable.
		if code, _, stderr := runCLI(t, p, "cert", "inspect", p12, "--password-file", certFile("password.txt")); code != ExitOK {
			t.Errorf("--password-file with a wrong variable: exit code %d, stderr %q", code, stderr)
		}
	})
	t.Run("password file with CRLF", func(t *testing.T) {
		crlf := filepath.Join(t.TempDir(), "pw.txt")
		if err := os.WriteFile(crlf, []byte(certtest.Password+"\r\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if code, _, stderr := runCLI(t, nil, "cert", "inspect", p12, "--password-file", crlf); code != ExitOK {
			t.Errorf("exit code %d, stderr %q", code, stderr)
		}
	})
	t.Run("prompt", func(t *testing.T) {
		p := &prompt.Scripted{Answers: map[string]string{"password": certtest.Password}}
		code, stdout, stderr := runCLI(t, p, "cert", "inspect", p12)
		if code != ExitOK || strings.Join(p.Asked, ",") != "password" || strings.Contains(stdout, certtest.Password) {
			t.Errorf("exit code %d (stderr %q), asked %q", code, stderr, p.Asked)
		}
		p = &prompt.Scripted{Answers: map[string]string{"password": "typo"}}
		if code, _, stderr := runCLI(t, p, "cert", "inspect", p12); code != ExitFailure || !strings.Contains(stderr, "(from the terminal)") {
			t.Errorf("wrong typed password: exit code %d, stderr %q", code, stderr)
		}
	})
	t.Run("PEM never asks", func(t *testing.T) {
		p := &prompt.Scripted{}
		if code, _, _ := runCLI(t, p, "cert", "inspect", certFile("good.pem")); code != ExitOK || len(p.Asked) != 0 {
			t.Errorf("exit code %d, asked %q", code, p.Asked)
		}
	})
}

func TestCertInspectJSON(t *testing.T) {
	certFile := certFiles(t)
	pw := certFile("password.txt")
	for _, tt := range []struct {
		file string
		code int
		fits bool
	}{{"good.p12", ExitOK, true}, {"expired.p12", ExitNotFit, false}} {
		code, stdout, stderr := runCLI(t, nil, "cert", "inspect", certFile(tt.file), "--password-file", pw, "--json")
		if code != tt.code {
			t.Fatalf("%s: exit code %d, stderr %q", tt.file, code, stderr)
		}
		var r certinfo.Report
		dec := json.NewDecoder(strings.NewReader(stdout))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("%s: stdout is not the JSON report (%v): %s", tt.file, err, stdout)
		}
		if r.Format != "pkcs12" || r.PSCClientAuth.Fits != tt.fits || r.IGCSante.Status != "test" || len(r.Chain) != 3 ||
			r.CheckedAt.Location() != time.UTC || r.Certificate.Subject == "" {
			t.Errorf("%s: report = %+v", tt.file, r)
		}
	}
}

func TestCertUsage(t *testing.T) {
	code, stdout, _ := runCLI(t, nil, "cert")
	if code != ExitOK || !strings.Contains(stdout, "inspect") {
		t.Errorf("psc-init cert: exit code %d, stdout %q; want the help listing inspect", code, stdout)
	}
	code, _, stderr := runCLI(t, nil, "cert", "check")
	if code != ExitUsage || !strings.HasPrefix(stderr, `psc-init: unknown command "check" for psc-init cert;`) {
		t.Errorf("psc-init cert check: exit code %d, stderr %q", code, stderr)
	}
}

func TestEscapeControls(t *testing.T) {
	got := escapeControls("CN=evil\x1b[2J\u009b,O=x\nnext\té")
	if want := `CN=evil\x1b[2J\u009b,O=x` + "\n" + `next\té`; got != want {
		t.Errorf("escapeControls = %q, want %q", got, want)
	}
}

func TestCertInspectEscapesNames(t *testing.T) {
	_, org, err := certtest.IGCTestChain(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	l := certtest.DefaultLeaf(time.Now())
	l.Subject.CommonName = "evil\x1b]0;pwned\x07"
	cert, _, err := org.Issue(l)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "evil.pem")
	if err := os.WriteFile(path, certtest.PEMCerts(cert), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, nil, "cert", "inspect", path)
	if code != ExitOK || strings.ContainsAny(stdout, "\x1b\x07") || !strings.Contains(stdout, `evil\x1b]0\;pwned\a`) {
		t.Errorf("exit code %d (stderr %q), stdout %q; want the control characters escaped", code, stderr, stdout)
	}
}
