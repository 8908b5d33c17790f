package certinfo

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"slices"
	"time"
)

// Results of a Check.
const (
	ResultPass = "pass"
	ResultWarn = "warn" // does not prevent the certificate from fitting
	ResultFail = "fail"
	ResultSkip = "skip" // could not be checked with what was given
)

// Names of the checks, stable for scripts.
const (
	CheckValidNow        = "valid_now"
	CheckExpiry          = "expiry"
	CheckClientAuthEKU   = "client_auth_eku"
	CheckDigitalSig      = "digital_signature"
	CheckKeyStrength     = "key_strength"
	CheckIGCOrganisation = "igc_sante_organisations"
	CheckIGCProduction   = "igc_sante_production"
	CheckPrivateKey      = "private_key"
	CheckCAVerification  = "ca_verification"
)

// Check is one reason of the verdict.
type Check struct {
	Name   string `json:"name"`
	Result string `json:"result"`
	Detail string `json:"detail"`
}

// Verdict says whether the certificate fits PSC client authentication
// (tls_client_auth): Fits is true when no check failed; warnings and
// skipped checks do not change it.
type Verdict struct {
	Fits   bool    `json:"fits"`
	Checks []Check `json:"checks"`
}

// Failed returns the checks that failed.
func (v Verdict) Failed() []Check {
	var out []Check
	for _, c := range v.Checks {
		if c.Result == ResultFail {
			out = append(out, c)
		}
	}
	return out
}

func verdict(r *Report, leaf *x509.Certificate, now time.Time, warnWithin time.Duration) Verdict {
	checks := []Check{
		checkValidNow(leaf, now),
		checkExpiry(leaf, now, warnWithin),
		checkClientAuth(leaf),
		checkDigitalSignature(leaf),
		checkKeyStrength(r.Certificate.PublicKey, leaf),
	}
	checks = append(checks, checkIGC(r.IGCSante)...)
	checks = append(checks, checkPrivateKey(r))
	if r.CAVerification != nil {
		c := Check{Name: CheckCAVerification, Result: ResultPass, Detail: "verified against the --ca certificates for client authentication"}
		if !r.CAVerification.Verified {
			c = Check{Name: CheckCAVerification, Result: ResultFail, Detail: "does not verify against the --ca certificates: " + r.CAVerification.Error}
		}
		checks = append(checks, c)
	}
	v := Verdict{Fits: true, Checks: checks}
	for _, c := range checks {
		if c.Result == ResultFail {
			v.Fits = false
		}
	}
	return v
}

func checkValidNow(c *x509.Certificate, now time.Time) Check {
	const layout = time.RFC3339
	switch {
	case now.Before(c.NotBefore):
		return Check{CheckValidNow, ResultFail, "not valid yet: valid from " + c.NotBefore.UTC().Format(layout)}
	case now.After(c.NotAfter):
		return Check{CheckValidNow, ResultFail, "expired on " + c.NotAfter.UTC().Format(layout)}
	}
	return Check{CheckValidNow, ResultPass, "valid until " + c.NotAfter.UTC().Format(layout)}
}

func checkExpiry(c *x509.Certificate, now time.Time, warnWithin time.Duration) Check {
	days := int(warnWithin.Hours() / 24)
	switch left := c.NotAfter.Sub(now); {
	case now.Before(c.NotBefore) || left < 0:
		return Check{CheckExpiry, ResultSkip, "not valid now"}
	case left < warnWithin:
		return Check{CheckExpiry, ResultWarn, fmt.Sprintf("expires within %d days (%d days left): renew it with IGC-Santé now", days, int(left.Hours()/24))}
	}
	return Check{CheckExpiry, ResultPass, fmt.Sprintf("more than %d days left", days)}
}

func checkClientAuth(c *x509.Certificate) Check {
	if slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageClientAuth) {
		return Check{CheckClientAuthEKU, ResultPass, "extended key usage includes clientAuth"}
	}
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return Check{CheckClientAuthEKU, ResultFail, "no extended key usage: an IGC-Santé ORG AUTH_CLI certificate carries clientAuth"}
	}
	return Check{CheckClientAuthEKU, ResultFail, "extended key usage lacks clientAuth: use an IGC-Santé ORG AUTH_CLI (client authentication) certificate"}
}

func checkDigitalSignature(c *x509.Certificate) Check {
	if c.KeyUsage&x509.KeyUsageDigitalSignature != 0 {
		return Check{CheckDigitalSig, ResultPass, "key usage includes digitalSignature"}
	}
	if c.KeyUsage == 0 {
		return Check{CheckDigitalSig, ResultFail, "no key usage extension: TLS client authentication needs digitalSignature"}
	}
	return Check{CheckDigitalSig, ResultFail, "key usage lacks digitalSignature, which TLS client authentication needs"}
}

func checkKeyStrength(pk PublicKey, c *x509.Certificate) Check {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() >= 2048 {
			return Check{CheckKeyStrength, ResultPass, pk.String()}
		}
		return Check{CheckKeyStrength, ResultFail, pk.String() + ": RSA keys need at least 2048 bits"}
	case *ecdsa.PublicKey:
		if k.Curve.Params().BitSize >= 256 {
			return Check{CheckKeyStrength, ResultPass, pk.String()}
		}
		return Check{CheckKeyStrength, ResultFail, pk.String() + ": ECDSA keys need P-256 or a larger curve"}
	}
	return Check{CheckKeyStrength, ResultFail, pk.String() + ": use an RSA (2048 bits or more) or ECDSA (P-256 or more) key"}
}

func checkIGC(igc IGCSante) []Check {
	switch {
	case igc.Status == IGCNone:
		return []Check{
			{CheckIGCOrganisation, ResultFail, "not issued by an IGC-Santé CA: " + igc.Detail},
			{CheckIGCProduction, ResultSkip, "not IGC-Santé"},
		}
	case igc.Population != PopulationOrganisations:
		return []Check{
			{CheckIGCOrganisation, ResultFail, "issued by " + igc.IssuingCA + ", a CA of personal certificates: PSC client authentication needs an organisation certificate (AC IGC-SANTE … ORGANISATIONS)"},
			{CheckIGCProduction, ResultSkip, "not an organisation certificate"},
		}
	}
	org := Check{CheckIGCOrganisation, ResultPass, "issued by " + igc.IssuingCA}
	if igc.Status == IGCTest {
		return []Check{org, {CheckIGCProduction, ResultWarn, "an IGC-Santé test certificate: for the PSC sandbox (BAS), not production"}}
	}
	return []Check{org, {CheckIGCProduction, ResultPass, "an IGC-Santé production certificate"}}
}

func checkPrivateKey(r *Report) Check {
	switch {
	case !r.PrivateKey.Present:
		return Check{CheckPrivateKey, ResultSkip, "no private key given: pass --key FILE, or inspect the .p12, to check that it matches"}
	case !*r.PrivateKey.Matches:
		return Check{CheckPrivateKey, ResultFail, "the private key does not match the certificate"}
	}
	return Check{CheckPrivateKey, ResultPass, "the private key matches the certificate"}
}
