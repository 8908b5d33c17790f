// Package mock is psc-init's local Pro Santé Connect for development: the
// fake PSC of generated services (package psctest, rendered from the same
// templates by internal/tools/syncmock) with its login page, served over
// HTTPS on loopback. `psc-init mock`, `psc-init demo` and the end-to-end
// test use it; service.go builds and runs a generated service against it.
package mock

//go:generate go run ../tools/syncmock -out psctest

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/pscinit/psc-init/internal/mock/psctest"
)

// DefaultAddr is where `psc-init mock` listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8443"

// DefaultServiceOrigin is where a generated service listens by default
// (LISTEN_ADDR :8080), as the browser reaches it.
const DefaultServiceOrigin = "http://localhost:8080"

// Paths of a generated service that PSC redirects the browser to.
const (
	CallbackPath  = "/auth/callback"
	LoggedOutPath = "/auth/logged-out"
)

// Permissions of the CA certificate file and of a directory created for
// it: the certificate is public.
const (
	caFileMode = 0o644
	caDirMode  = 0o755
)

// Config configures a Mock. Zero values take the defaults shown.
type Config struct {
	// Addr is the loopback host:port to listen on; default DefaultAddr.
	// Port 0 picks a free port.
	Addr string
	// ClientID is the one client the mock knows; default psctest's.
	ClientID string
	// ClientSecret defaults to a random secret, new at every start.
	ClientSecret string
	// RedirectURIs are registered exactly, as at PSC; default the generated
	// service's callback at DefaultServiceOrigin.
	RedirectURIs []string
	// PostLogoutRedirectURIs likewise; default its logged-out page.
	PostLogoutRedirectURIs []string
	// Logger receives the reason codes of refused requests; default discards.
	Logger *slog.Logger
}

// Mock is a running local PSC. Stop it with Shutdown or Close.
type Mock struct {
	srv        *psctest.Server
	redirect   string
	postLogout string
}

// Start checks cfg and starts the mock. Every error is one sentence that
// says what to change.
func Start(cfg Config) (*Mock, error) {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if err := CheckLoopback(cfg.Addr); err != nil {
		return nil, err
	}
	if len(cfg.RedirectURIs) == 0 {
		cfg.RedirectURIs = []string{DefaultServiceOrigin + CallbackPath}
	}
	if len(cfg.PostLogoutRedirectURIs) == 0 {
		cfg.PostLogoutRedirectURIs = []string{DefaultServiceOrigin + LoggedOutPath}
	}
	for _, u := range append(append([]string(nil), cfg.RedirectURIs...), cfg.PostLogoutRedirectURIs...) {
		if err := CheckRedirectURI(u); err != nil {
			return nil, err
		}
	}
	srv, err := psctest.NewServer(psctest.Options{
		Addr:                   cfg.Addr,
		ClientID:               cfg.ClientID,
		ClientSecret:           cfg.ClientSecret,
		RedirectURIs:           cfg.RedirectURIs,
		PostLogoutRedirectURIs: cfg.PostLogoutRedirectURIs,
		Picker:                 true,
		Logger:                 cfg.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("cannot start the mock on %s (%w); choose a free port with --port or --addr", cfg.Addr, err)
	}
	return &Mock{
		srv:        srv,
		redirect:   cfg.RedirectURIs[0],
		postLogout: cfg.PostLogoutRedirectURIs[0],
	}, nil
}

// CheckLoopback refuses an address other than loopback: the mock hands out
// logins to anyone who reaches it.
func CheckLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q is not host:port; use 127.0.0.1:8443", addr)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("address %q is not on loopback; the mock logs anyone in, so it listens on this machine only (use 127.0.0.1:PORT or localhost:PORT)", addr)
}

// CheckRedirectURI accepts what a generated service accepts for
// PSC_REDIRECT_URL: an absolute https URL, or http on loopback, without
// fragment or credentials.
func CheckRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("redirect URI %q is not an absolute URL without fragment; use e.g. http://localhost:8080/auth/callback", raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if h := u.Hostname(); strings.EqualFold(h, "localhost") || isLoopbackIP(h) {
			return nil
		}
	}
	return fmt.Errorf("redirect URI %q must use https; http is accepted only for localhost, 127.0.0.1 or [::1]", raw)
}

func isLoopbackIP(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Issuer is the PSC_ISSUER of the mock.
func (m *Mock) Issuer() string { return m.srv.Issuer() }

// URL is the mock's origin, https://127.0.0.1:PORT.
func (m *Mock) URL() string { return m.srv.URL() }

// ClientID is the registered client id.
func (m *Mock) ClientID() string { return m.srv.ClientID() }

// ClientSecret is the client secret: a throw-away value for this mock, not
// a real secret.
func (m *Mock) ClientSecret() string { return m.srv.ClientSecret() }

// CACertPEM is the development CA that signed the mock's certificate.
func (m *Mock) CACertPEM() []byte { return m.srv.CACertPEM() }

// Server is the underlying fake PSC, for tests that inspect it.
func (m *Mock) Server() *psctest.Server { return m.srv }

// WriteCA writes the development CA certificate (never its key) to path,
// creating its directory.
func (m *Mock) WriteCA(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), caDirMode); err != nil {
		return fmt.Errorf("cannot create the directory of %s (%w); choose another path with --ca-out", path, err)
	}
	if err := os.WriteFile(path, m.srv.CACertPEM(), caFileMode); err != nil {
		return fmt.Errorf("cannot write the CA certificate to %s (%w); choose another path with --ca-out", path, err)
	}
	return nil
}

// EnvVar is one environment variable for the service.
type EnvVar struct{ Name, Value string }

// Env lists the variables that point a generated service at the mock, in
// the order the README gives them; caFile is where WriteCA wrote the CA.
func (m *Mock) Env(caFile string) []EnvVar {
	return []EnvVar{
		{"PSC_ISSUER", m.Issuer()},
		{"PSC_CLIENT_ID", m.ClientID()},
		{"PSC_CLIENT_SECRET", m.ClientSecret()},
		{"PSC_CA_FILE", caFile},
		{"PSC_REDIRECT_URL", m.redirect},
		{"PSC_POST_LOGOUT_REDIRECT_URL", m.postLogout},
	}
}

// Shutdown lets requests in progress finish until ctx ends, then stops.
func (m *Mock) Shutdown(ctx context.Context) error {
	if err := m.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("stop the mock: %w", err)
	}
	return nil
}

// Close stops the mock at once.
func (m *Mock) Close() { m.srv.Close() }
