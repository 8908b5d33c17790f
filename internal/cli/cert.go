package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pscinit/psc-init/internal/certinfo"
	"github.com/pscinit/psc-init/internal/prompt"
)

// certPasswordEnv is the variable the generated service reads its PKCS#12
// password from; cert inspect reads the same one.
const certPasswordEnv = "PSC_CLIENT_CERT_P12_PASSWORD"

// Bounds of the files cert inspect reads: certificate files are a few KiB.
const (
	maxCertFileSize     = 1 << 20
	maxPasswordFileSize = 4 << 10
)

// notFitError is returned when the certificate was read and does not fit
// PSC client authentication: exit code ExitNotFit, the report is printed.
type notFitError struct {
	file   string
	failed []certinfo.Check
}

func (e *notFitError) Error() string {
	names := make([]string, len(e.failed))
	for i, c := range e.failed {
		names[i] = c.Name
	}
	return fmt.Sprintf("%s does not fit PSC client authentication (failed: %s); see the verdict on standard output",
		e.file, strings.Join(names, ", "))
}

func newCertCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cert",
		Short: "Inspect IGC-Santé certificates for PSC client authentication (mTLS)",
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return &usageError{err: fmt.Errorf("unknown command %q for psc-init cert; run 'psc-init cert --help' to list its commands", args[0])}
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(newCertInspectCmd(e))
	return cmd
}

// certInspectOptions are the flags of cert inspect.
type certInspectOptions struct {
	passwordFile string
	keyFile      string
	caFile       string
	json         bool
}

func newCertInspectCmd(e *env) *cobra.Command {
	var o certInspectOptions
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Show a certificate and whether it fits PSC client authentication",
		Long: `Show the certificate in FILE (PKCS#12 .p12/.pfx, PEM, or DER .cer) and tell
whether it fits Pro Santé Connect client authentication (tls_client_auth):
clientAuth extended key usage, digitalSignature key usage, valid now (warning
within 30 days of expiry), RSA of 2048 bits or more or ECDSA P-256 or more,
issued by an IGC-Santé ORGANISATIONS CA, private key present and matching.

The IGC-Santé check matches the known IGC-Santé CA names (O=ASIP-SANTE,
AC IGC-SANTE <level> ORGANISATIONS under AC RACINE IGC-SANTE <level>, and the
TEST chain) and the signatures between the certificates of FILE: it does not
verify against a pinned root. Pass --ca with the IGC-Santé CA certificates to
verify the chain with x509 as well.

The PKCS#12 password comes from --password-file, else from the
` + certPasswordEnv + ` environment variable, else it is asked on the terminal.
It is never a flag value, which other users could read in the process list.

Exit codes: 0 fits (warnings allowed), 3 read but does not fit (the report is
printed, the failed checks are named on stderr), 1 cannot be read (missing
file, wrong password, not a certificate: one sentence on stderr, nothing on
stdout), 2 wrong command line.

--json prints one object: format, checked_at, certificate (subject, issuer,
serial, not_before, not_after, days_left, public_key, key_usages,
ext_key_usages, dns_names, email_addresses, ip_addresses, uris, is_ca,
sha256_fingerprint), chain, private_key, igc_sante (status production, test or
none), ca_verification (null without --ca), psc_client_auth (fits, checks with
name, result pass/warn/fail/skip and detail). Times are RFC 3339 UTC.`,
		Example: `  psc-init cert inspect portail.p12 --password-file p12-password.txt
  PSC_CLIENT_CERT_P12_PASSWORD=... psc-init cert inspect portail.p12 --json
  psc-init cert inspect cert.pem --key key.pem --ca igc-sante-ca.pem`,
		Args: certFileArg,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return runCertInspect(e, o, args[0], time.Now(), cmd.OutOrStdout())
		}),
	}
	cmd.Flags().StringVar(&o.passwordFile, "password-file", "", "file holding the PKCS#12 password (one line; default: $"+certPasswordEnv+", else asked)")
	cmd.Flags().StringVar(&o.keyFile, "key", "", "PEM private key of a PEM or DER certificate, to check it matches")
	cmd.Flags().StringVar(&o.caFile, "ca", "", "PEM bundle of CA certificates (IGC-Santé) to verify the chain against")
	cmd.Flags().BoolVar(&o.json, "json", false, "print a JSON object for scripts (see above)")
	cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return []cobra.Completion{"p12", "pfx", "pem", "crt", "cer", "der"}, cobra.ShellCompDirectiveFilterFileExt
	}
	for flag, exts := range map[string][]string{"key": {"pem", "key"}, "ca": {"pem", "crt"}} {
		if err := cmd.MarkFlagFilename(flag, exts...); err != nil {
			// Only a typo in the flag name gets here; report it when the
			// command runs instead of panicking.
			cmd.RunE = func(*cobra.Command, []string) error { return &failure{err: err} }
		}
	}
	return cmd
}

func certFileArg(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		return &usageError{err: errors.New("missing the certificate file; run 'psc-init cert inspect FILE' with a .p12, .pem or .cer file")}
	case len(args) > 1:
		return &usageError{err: fmt.Errorf("too many arguments (%q after FILE); inspect one file at a time", args[1])}
	case args[0] == "":
		return &usageError{err: errors.New("the certificate file name is empty; pass a path such as ./portail.p12")}
	}
	return nil
}

func runCertInspect(e *env, o certInspectOptions, file string, now time.Time, out io.Writer) error {
	data, err := readCertInput(file, "", maxCertFileSize)
	if err != nil {
		return err
	}
	opts := certinfo.Options{Now: now}
	if o.keyFile != "" {
		if opts.Key, err = readCertInput(o.keyFile, "--key", maxCertFileSize); err != nil {
			return err
		}
	}
	if o.caFile != "" {
		if opts.CAs, err = readCertInput(o.caFile, "--ca", maxCertFileSize); err != nil {
			return err
		}
	}
	pw := &certPassword{e: e, file: o.passwordFile, cert: file}
	opts.Password = pw.get
	report, err := certinfo.Inspect(data, opts)
	if err != nil {
		return certInspectError(err, file, o, pw)
	}
	if o.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(report); err != nil {
			return fmt.Errorf("write the JSON report: %w", err)
		}
	} else if err := writeCertReport(out, file, report); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	if !report.PSCClientAuth.Fits {
		return &notFitError{file: file, failed: report.PSCClientAuth.Failed()}
	}
	return nil
}

// readCertInput reads a small file; flag names which option gave the path
// ("" for the certificate itself), so the sentence says which file is wrong.
func readCertInput(path, flag string, limit int64) ([]byte, error) {
	what := path
	if flag != "" {
		what = path + " (" + flag + ")"
	}
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s does not exist; check the path", what)
	case err != nil:
		return nil, fmt.Errorf("cannot open %s (%v); check the path and its permissions", what, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s (%v); check it is a regular file", what, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d KiB, too large for this kind of file; check the path", what, limit>>10)
	}
	return data, nil
}

// certPassword obtains the PKCS#12 password, only when the file turns out
// to be PKCS#12: --password-file, else the environment, else a hidden
// prompt on the terminal. It remembers where the password came from, for
// the wrong-password sentence.
type certPassword struct {
	e    *env
	file string
	cert string
	from string
	err  error // reading the password file failed
}

func (p *certPassword) get() (string, error) {
	if p.file != "" {
		p.from = "--password-file " + p.file
		data, err := readCertInput(p.file, "--password-file", maxPasswordFileSize)
		if err != nil {
			p.err = err
			return "", err
		}
		return strings.TrimSuffix(strings.TrimSuffix(string(data), "\n"), "\r"), nil
	}
	if v, ok := os.LookupEnv(certPasswordEnv); ok {
		p.from = certPasswordEnv
		return v, nil
	}
	p.from = "the terminal"
	return p.e.passwordPrompter().Password(prompt.Question{
		Key:     "password",
		Message: "Password of " + p.cert + ":",
		Help:    "the password IGC-Santé gave with the PKCS#12 file; --password-file or " + certPasswordEnv + " give it without a prompt",
	})
}

// passwordPrompter asks on the terminal through stderr, so stdout keeps
// only the report (and can be piped); headless without a terminal.
func (e *env) passwordPrompter() prompt.Prompter {
	if e.prompter != nil {
		return e.prompter
	}
	if in, errOut, ok := prompt.Terminals(e.stdin, e.stderr); ok {
		return prompt.NewSurvey(in, errOut, e.stderr)
	}
	return prompt.Headless{}
}

// certInspectError turns certinfo's errors into one sentence with the fix.
func certInspectError(err error, file string, o certInspectOptions, pw *certPassword) error {
	switch {
	case errors.Is(err, prompt.ErrUnanswered):
		return fmt.Errorf("%s is a PKCS#12 file and needs its password, and there is no terminal to ask on; pass --password-file FILE or set %s", file, certPasswordEnv)
	case errors.Is(err, prompt.ErrInterrupted):
		return fmt.Errorf("interrupted before the password of %s was given; run psc-init cert inspect again", file)
	case errors.Is(err, certinfo.ErrWrongPassword):
		return fmt.Errorf("wrong password for %s (from %s); give the password delivered with the file", file, pw.from)
	case errors.Is(err, certinfo.ErrUnrecognized):
		return fmt.Errorf("%s is not a certificate file (PKCS#12, PEM or DER) or is damaged; pass the .p12/.pfx, .pem or .cer file as delivered", file)
	case errors.Is(err, certinfo.ErrNoCertificate):
		return fmt.Errorf("%s holds no certificate; pass the file with the BEGIN CERTIFICATE block (and the key with --key)", file)
	case errors.Is(err, certinfo.ErrNoPrivateKey):
		return fmt.Errorf("%s holds no private key; export the PKCS#12 file again with the certificate's private key", file)
	case errors.Is(err, certinfo.ErrEncryptedKey):
		return fmt.Errorf("the private key given with %s is encrypted, which psc-init does not read; inspect the PKCS#12 file instead", file)
	case errors.Is(err, certinfo.ErrNoKeyInKeyFile):
		return fmt.Errorf("%s (--key) holds no private key; pass the PEM file with the BEGIN PRIVATE KEY block", o.keyFile)
	case errors.Is(err, certinfo.ErrKeyWithPKCS12):
		return &usageError{err: fmt.Errorf("%s is a PKCS#12 file, which holds its own key; drop --key", file)}
	case errors.Is(err, certinfo.ErrNoCACertificate):
		return fmt.Errorf("%s (--ca) holds no PEM certificate; pass a PEM bundle of the IGC-Santé CA certificates", o.caFile)
	}
	if pw.err != nil && errors.Is(err, pw.err) {
		return err // the password file's own sentence
	}
	return fmt.Errorf("cannot read %s (%v); check it is a PKCS#12, PEM or DER certificate file", file, err)
}
