package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/pscinit/psc-init/internal/certinfo"
)

// certFormatName is the human name of a certinfo format.
func certFormatName(f string) string {
	switch f {
	case certinfo.FormatPKCS12:
		return "PKCS#12"
	case certinfo.FormatPEM:
		return "PEM"
	case certinfo.FormatDER:
		return "DER"
	}
	return f
}

// writeCertReport prints the report for people; --json is for scripts.
func writeCertReport(out io.Writer, file string, r *certinfo.Report) error {
	var b strings.Builder
	c := r.Certificate
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-17s%s\n", label+":", fmt.Sprintf(format, args...))
	}
	line("File", "%s (%s)", file, certFormatName(r.Format))
	line("Subject", "%s", c.Subject)
	line("Issuer", "%s", c.Issuer)
	line("Serial", "%s", c.Serial)
	line("Valid", "%s to %s (%s)", c.NotBefore.Format(time.RFC3339), c.NotAfter.Format(time.RFC3339), certDaysLeft(c.DaysLeft))
	line("Public key", "%s", c.PublicKey)
	line("Key usage", "%s", certList(c.KeyUsages))
	line("Ext. key usage", "%s", certList(c.ExtKeyUsages))
	line("SANs", "%s", certList(certSANs(c)))
	line("SHA-256", "%s", c.SHA256Fingerprint)
	line("Private key", "%s", certKeyStatus(r.PrivateKey))

	b.WriteString("Chain (as given in the file):\n")
	for _, e := range r.Chain {
		role := ""
		switch {
		case e.Leaf:
			role = " (leaf)"
		case e.IsCA:
			role = " (CA)"
		}
		fmt.Fprintf(&b, "  [%d] %s%s\n      issuer %s: %s\n", e.Index, e.Subject, role, e.Issuer, certSignatureStatus(e))
	}

	igc := r.IGCSante
	summary := igc.Label
	if igc.Status != certinfo.IGCNone {
		summary += fmt.Sprintf(", issuing CA %s (%s, %s)", igc.IssuingCA, igc.Level, igc.Population)
	}
	line("IGC-Santé", "%s", summary)
	if igc.Detail != "" {
		fmt.Fprintf(&b, "%-17s%s\n", "", igc.Detail)
	}
	if v := r.CAVerification; v != nil {
		if v.Verified {
			line("CA verification", "verified against --ca for client authentication")
		} else {
			line("CA verification", "FAILED: %s", v.Error)
		}
	}

	verdict := "fits"
	if !r.PSCClientAuth.Fits {
		verdict = "does NOT fit"
	}
	fmt.Fprintf(&b, "PSC client authentication (tls_client_auth): %s\n", verdict)
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, ch := range r.PSCClientAuth.Checks {
		result := ch.Result
		if result == certinfo.ResultFail {
			result = "FAIL"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", result, ch.Name, ch.Detail)
	}
	_ = tw.Flush() // writes to a strings.Builder cannot fail
	_, err := io.WriteString(out, escapeControls(b.String()))
	return err
}

// escapeControls shows control characters other than newlines as Go
// escapes: names in a certificate are untrusted and must not drive the
// terminal.
func escapeControls(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r != '\n' && unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func certDaysLeft(n int) string {
	switch {
	case n < 0:
		return "expired"
	case n == 1:
		return "1 day left"
	}
	return fmt.Sprintf("%d days left", n)
}

func certList(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func certSANs(c certinfo.Certificate) []string {
	var out []string
	for _, group := range []struct {
		kind  string
		names []string
	}{{"DNS", c.DNSNames}, {"email", c.EmailAddresses}, {"IP", c.IPAddresses}, {"URI", c.URIs}} {
		for _, n := range group.names {
			out = append(out, group.kind+":"+n)
		}
	}
	return out
}

func certKeyStatus(k certinfo.PrivateKey) string {
	switch {
	case !k.Present:
		return "none given"
	case *k.Matches:
		return "present, matches the certificate"
	}
	return "present, does NOT match the certificate"
}

func certSignatureStatus(e certinfo.ChainEntry) string {
	switch e.IssuerSignature {
	case certinfo.SignatureVerified:
		return fmt.Sprintf("signed by [%d]", *e.SignedBy)
	case certinfo.SignatureSelfSigned:
		return "self-signed root"
	case certinfo.SignatureInvalid:
		return "signature does NOT verify with the issuer's certificate in the file"
	}
	return "issuer's certificate not in the file"
}
