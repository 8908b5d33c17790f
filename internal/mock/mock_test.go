package mock

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8443": true,
		"localhost:0":    true,
		"[::1]:8443":     true,
		"127.0.0.2:8443": true,
		"0.0.0.0:8443":   false,
		":8443":          false,
		"10.0.0.1:8443":  false,
		"example.com:1":  false,
		"127.0.0.1":      false,
	} {
		err := CheckLoopback(addr)
		if (err == nil) != ok {
			t.Errorf("CheckLoopback(%q) = %v, want ok=%v", addr, err, ok)
		}
		if err != nil && !strings.Contains(err.Error(), ";") {
			t.Errorf("CheckLoopback(%q) error %q does not say how to fix it", addr, err)
		}
	}
}

func TestCheckRedirectURI(t *testing.T) {
	for raw, ok := range map[string]bool{
		"http://localhost:8080/auth/callback":  true,
		"http://127.0.0.1:3000/auth/callback":  true,
		"http://[::1]:3000/cb":                 true,
		"https://portal.example/auth/callback": true,
		"http://portal.example/auth/callback":  false,
		"/auth/callback":                       false,
		"https://portal.example/cb#frag":       false,
		"https://user:pw@portal.example/cb":    false,
		"ftp://localhost/cb":                   false,
	} {
		if err := CheckRedirectURI(raw); (err == nil) != ok {
			t.Errorf("CheckRedirectURI(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	if m, err := Start(Config{Addr: "0.0.0.0:0"}); err == nil {
		m.Close()
		t.Fatal("Start on 0.0.0.0 succeeded")
	}
}

// client trusts the mock's CA only.
func client(t *testing.T, m *Mock) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(m.CACertPEM()) {
		t.Fatal("the mock's CA is not PEM")
	}
	return &http.Client{
		Timeout:       5 * time.Second,
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func authorizeURL(m *Mock, redirect string) string {
	q := url.Values{
		"client_id":             {m.ClientID()},
		"redirect_uri":          {redirect},
		"response_type":         {"code"},
		"scope":                 {"openid scope_all"},
		"acr_values":            {"eidas1"},
		"state":                 {"state-0123456789"},
		"nonce":                 {"nonce-0123456789"},
		"code_challenge":        {strings.Repeat("A", 43)},
		"code_challenge_method": {"S256"},
	}
	return m.URL() + "/wallet/auth?" + q.Encode()
}

func TestMockServesPSCWithPicker(t *testing.T) {
	const redirect = "http://localhost:3000/auth/callback"
	m, err := Start(Config{
		Addr:                   "127.0.0.1:0",
		ClientID:               "my-service",
		RedirectURIs:           []string{redirect},
		PostLogoutRedirectURIs: []string{"http://localhost:3000/auth/logged-out"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	c := client(t, m)

	resp, err := c.Get(m.Issuer() + "/.well-known/wallet-openid-configuration")
	if err != nil {
		t.Fatalf("discovery over the mock's CA: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("discovery status = %d", resp.StatusCode)
	}

	resp, err = c.Get(authorizeURL(m, redirect))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `name="professional"`) {
		t.Errorf("registered redirect URI: status %d, want the login page; body %.200s", resp.StatusCode, body)
	}

	resp, err = c.Get(authorizeURL(m, "http://localhost:3000/elsewhere"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("unregistered redirect URI: status %d, Location %q; want 400 and no redirect", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestEnvAndCA(t *testing.T) {
	m, err := Start(Config{Addr: "127.0.0.1:0", ClientSecret: "dev-secret"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ca := filepath.Join(t.TempDir(), "nested", "ca.pem")
	if err := m.WriteCA(ca); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(ca); err != nil || string(data) != string(m.CACertPEM()) {
		t.Errorf("CA file = %q, %v", data, err)
	}
	if data, _ := os.ReadFile(ca); strings.Contains(string(data), "PRIVATE KEY") {
		t.Error("the CA file holds a private key")
	}
	want := []EnvVar{
		{"PSC_ISSUER", m.Issuer()},
		{"PSC_CLIENT_ID", "psc-init-bas-client"},
		{"PSC_CLIENT_SECRET", "dev-secret"},
		{"PSC_CA_FILE", ca},
		{"PSC_REDIRECT_URL", DefaultServiceOrigin + CallbackPath},
		{"PSC_POST_LOGOUT_REDIRECT_URL", DefaultServiceOrigin + LoggedOutPath},
	}
	got := m.Env(ca)
	if len(got) != len(want) {
		t.Fatalf("Env = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Env[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestShutdownStopsServing(t *testing.T) {
	m, err := Start(Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	c := client(t, m)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := m.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if resp, err := c.Get(m.Issuer() + "/.well-known/wallet-openid-configuration"); err == nil {
		resp.Body.Close()
		t.Error("the mock still answers after Shutdown")
	}
}
