package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is written by runMock's goroutine and read by the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// exports parses the `export NAME=VALUE` lines printed by the mock.
func exports(out string) map[string]string {
	env := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "export "); ok {
			name, value, _ := strings.Cut(rest, "=")
			env[name] = strings.Trim(value, "'")
		}
	}
	return env
}

func TestMockPrintsEnvServesAndStops(t *testing.T) {
	caPath := filepath.Join(t.TempDir(), "ca.pem")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- runMock(ctx, mockOptions{
			addr:           "127.0.0.1:0",
			clientSecret:   "not-a-real-secret",
			redirectURIs:   []string{"http://localhost:3000/auth/callback"},
			postLogoutURIs: []string{"http://localhost:3000/auth/logged-out"},
			caOut:          caPath,
		}, &stdout, &stderr)
	}()

	var env map[string]string
	deadline := time.Now().Add(10 * time.Second)
	for {
		env = exports(stdout.String())
		if len(env) == 6 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("runMock returned early: %v; stderr %s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no export lines after 10s; stdout %q", stdout.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	want := map[string]string{
		"PSC_CLIENT_ID":                "psc-init-bas-client",
		"PSC_CLIENT_SECRET":            "not-a-real-secret",
		"PSC_CA_FILE":                  caPath,
		"PSC_REDIRECT_URL":             "http://localhost:3000/auth/callback",
		"PSC_POST_LOGOUT_REDIRECT_URL": "http://localhost:3000/auth/logged-out",
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q", k, env[k], v)
		}
	}
	if !strings.HasPrefix(env["PSC_ISSUER"], "https://127.0.0.1:") || !strings.HasSuffix(env["PSC_ISSUER"], "/auth/realms/esante-wallet") {
		t.Errorf("PSC_ISSUER = %q", env["PSC_ISSUER"])
	}
	if !strings.Contains(stdout.String(), "not a real secret") {
		t.Errorf("the output does not say the secret is a throw-away: %s", stdout.String())
	}

	// The service side: trust PSC_CA_FILE and fetch discovery.
	pem, err := os.ReadFile(caPath)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("PSC_CA_FILE is not a PEM certificate")
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	resp, err := client.Get(env["PSC_ISSUER"] + "/.well-known/wallet-openid-configuration")
	if err != nil {
		t.Fatalf("discovery with PSC_CA_FILE: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("discovery status = %d", resp.StatusCode)
	}

	cancel() // Ctrl-C
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("runMock after Ctrl-C = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runMock did not stop within 10s of Ctrl-C")
	}
	if _, err := client.Get(env["PSC_ISSUER"] + "/.well-known/wallet-openid-configuration"); err == nil {
		t.Error("the mock still answers after Ctrl-C")
	}
}

func TestMockAddr(t *testing.T) {
	base := mockOptions{addr: "127.0.0.1:8443", redirectURIs: []string{"http://localhost:8080/auth/callback"}}
	tests := []struct {
		name             string
		o                mockOptions
		addrSet, portSet bool
		want, err        string
	}{
		{name: "default", o: base, want: "127.0.0.1:8443"},
		{name: "port", o: mockOptions{addr: base.addr, port: 9443}, portSet: true, want: "127.0.0.1:9443"},
		{name: "both", o: mockOptions{addr: "localhost:1", port: 2}, addrSet: true, portSet: true, err: "give only one"},
		{name: "range", o: mockOptions{addr: base.addr, port: 70000}, portSet: true, err: "out of range"},
		{name: "public", o: mockOptions{addr: "0.0.0.0:8443"}, addrSet: true, err: "not on loopback"},
		{name: "http redirect", o: mockOptions{addr: base.addr, redirectURIs: []string{"http://portal.example/cb"}}, err: "must use https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mockAddr(tt.o, tt.addrSet, tt.portSet)
			if tt.err != "" {
				var u *usageError
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.As(err, &u) {
					t.Fatalf("mockAddr = %q, %v; want a usage error with %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("mockAddr = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
