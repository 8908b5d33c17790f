package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/pscinit/psc-init/internal/mock"
)

// mockShutdownGrace bounds how long Ctrl-C waits for requests in progress.
const mockShutdownGrace = 5 * time.Second

// mockOptions are the flags of `mock`.
type mockOptions struct {
	addr           string
	port           int
	clientID       string
	clientSecret   string
	redirectURIs   []string
	postLogoutURIs []string
	caOut          string
}

func newMockCmd(e *env) *cobra.Command {
	var o mockOptions
	cmd := &cobra.Command{
		Use:   "mock",
		Short: "Serve a local Pro Santé Connect for development, on loopback",
		Long: `Serve a local Pro Santé Connect (PSC) over HTTPS on loopback, for developing a
generated service without ANS sandbox access, card or e-CPS. It is the fake PSC
of generated services (internal/psc/psctest): PSC's discovery path and
endpoints, signed tokens, userinfo with realistic PSC claims, RP-initiated
logout, and a login page where you pick a fictional professional (a doctor, a
pharmacist with two activities, a nurse) and a CPS card or e-CPS
authentication. It refuses redirect URIs that are not registered, as PSC does.

It prints the environment variables to give the service as export lines and
writes its development CA certificate (PSC_CA_FILE) to --ca-out, by default
psc-init/mock-ca.pem in your user cache directory ($XDG_CACHE_HOME or
~/.cache on Linux). The CA, the signing keys and, unless --client-secret is
given, the client secret are new at every start: restart the service too. The
client secret is a throw-away value of this mock, not a real secret. Browsers
do not trust the CA: accept the certificate warning once.

For development only: it logs anyone in. Ctrl-C stops it.`,
		Example: `  psc-init mock
  psc-init mock --port 9443 --redirect-uri http://localhost:3000/auth/callback \
      --post-logout-redirect-uri http://localhost:3000/auth/logged-out`,
		Args: noArgs,
	}
	f := cmd.Flags()
	f.SortFlags = false
	f.StringVar(&o.addr, "addr", mock.DefaultAddr, "loopback host:port to listen on")
	f.IntVar(&o.port, "port", 0, "port to listen on, on 127.0.0.1 (shorthand for --addr 127.0.0.1:PORT; 0 picks a free port)")
	f.StringVar(&o.clientID, "client-id", "", "client id of the service (default psc-init-bas-client)")
	f.StringVar(&o.clientSecret, "client-secret", "", "client secret (default: a random one, new at every start)")
	f.StringArrayVar(&o.redirectURIs, "redirect-uri", []string{mock.DefaultServiceOrigin + mock.CallbackPath}, "registered redirect URI, exact match (repeatable; the first goes in PSC_REDIRECT_URL)")
	f.StringArrayVar(&o.postLogoutURIs, "post-logout-redirect-uri", []string{mock.DefaultServiceOrigin + mock.LoggedOutPath}, "registered post-logout redirect URI (repeatable; the first goes in PSC_POST_LOGOUT_REDIRECT_URL)")
	f.StringVar(&o.caOut, "ca-out", "", "file to write the development CA certificate to (default <user cache dir>/psc-init/mock-ca.pem)")
	if err := cmd.MarkFlagFilename("ca-out", "pem"); err != nil {
		cmd.RunE = func(*cobra.Command, []string) error { return &failure{err: err} }
		return cmd
	}
	cmd.RunE = runE(func(cmd *cobra.Command, _ []string) error {
		addr, err := mockAddr(o, cmd.Flags().Changed("addr"), cmd.Flags().Changed("port"))
		if err != nil {
			return err
		}
		o.addr = addr
		// The command's context ends on SIGINT or SIGTERM (see Main).
		return runMock(cmd.Context(), o, cmd.OutOrStdout(), e.stderr)
	})
	return cmd
}

// mockAddr resolves --addr and --port into one loopback address, refusing
// anything else as a usage error.
func mockAddr(o mockOptions, addrSet, portSet bool) (string, error) {
	addr := o.addr
	if portSet {
		if addrSet {
			return "", &usageError{err: errors.New("--addr and --port both set the address; give only one")}
		}
		if o.port < 0 || o.port > 65535 {
			return "", &usageError{err: fmt.Errorf("port %d is out of range; use a port between 1 and 65535, or 0 for a free one", o.port)}
		}
		addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(o.port))
	}
	if err := mock.CheckLoopback(addr); err != nil {
		return "", &usageError{err: err}
	}
	for _, u := range append(append([]string(nil), o.redirectURIs...), o.postLogoutURIs...) {
		if err := mock.CheckRedirectURI(u); err != nil {
			return "", &usageError{err: err}
		}
	}
	return addr, nil
}

// defaultCAPath is <user cache dir>/psc-init/mock-ca.pem.
func defaultCAPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory to write the CA certificate to (%w); give a file with --ca-out", err)
	}
	return filepath.Join(dir, "psc-init", "mock-ca.pem"), nil
}

// runMock serves the mock until ctx ends, then stops it gracefully.
func runMock(ctx context.Context, o mockOptions, stdout, stderr io.Writer) error {
	caPath := o.caOut
	if caPath == "" {
		p, err := defaultCAPath()
		if err != nil {
			return err
		}
		caPath = p
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	m, err := mock.Start(mock.Config{
		Addr:                   o.addr,
		ClientID:               o.clientID,
		ClientSecret:           o.clientSecret,
		RedirectURIs:           o.redirectURIs,
		PostLogoutRedirectURIs: o.postLogoutURIs,
		Logger:                 logger,
	})
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.WriteCA(caPath); err != nil {
		return err
	}
	printMockEnv(stdout, m, caPath)

	<-ctx.Done()
	fmt.Fprintln(stderr, "Stopping the mock.")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), mockShutdownGrace)
	defer cancel()
	return m.Shutdown(shutdownCtx)
}

// printMockEnv prints the variables for the service as shell export lines,
// framed by comments so the whole output can be pasted into a shell.
func printMockEnv(w io.Writer, m *mock.Mock, caPath string) {
	fmt.Fprintf(w, "# Local Pro Santé Connect (psc-init mock) at %s: fictional professionals, for development only.\n", m.URL())
	fmt.Fprintln(w, "# Run the service with these variables; the client secret is a throw-away value of this mock, not a real secret:")
	for _, v := range m.Env(caPath) {
		fmt.Fprintf(w, "export %s=%s\n", v.Name, shellQuote(v.Value))
	}
	fmt.Fprintf(w, "# Browsers do not trust the mock's development CA: accept the certificate warning for %s once.\n", m.URL())
	fmt.Fprintln(w, "# Ctrl-C stops the mock.")
}
