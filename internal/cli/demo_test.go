package cli

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/internal/mock"
)

// TestDemoRunsAndStopsCleanly runs the whole demo (generate, mock, go
// build, service) and stops it as Ctrl-C does: nothing may be left running
// or on disk.
func TestDemoRunsAndStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated service with the go command; run without -short")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	port, err := mock.FreeLoopbackPort()
	if err != nil {
		t.Fatal(err)
	}
	origin := "http://localhost:" + strconv.Itoa(port)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- runDemo(ctx, demoOptions{port: port, mockAddr: "127.0.0.1:0"}, "", generator.Answers{}, &stdout, &stderr)
	}()

	deadline := time.After(5 * time.Minute)
	for !strings.Contains(stdout.String(), "Open "+origin+" ") {
		select {
		case err := <-done:
			t.Fatalf("runDemo returned before the service was ready: %v\n%s", err, stderr.String())
		case <-deadline:
			t.Fatalf("the demo was not ready after 5 minutes:\n%s", stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	client := &http.Client{
		Timeout:       5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Get(origin + "/auth/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "https://127.0.0.1:") || !strings.Contains(loc, "/wallet/auth?") {
		t.Errorf("login: %d to %q, want a redirect to the mock's wallet", resp.StatusCode, loc)
	}

	cancel() // Ctrl-C
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("runDemo after Ctrl-C = %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the demo did not stop within 30s of Ctrl-C")
	}
	if resp, err := client.Get(origin + "/healthz"); err == nil {
		resp.Body.Close()
		t.Error("the service still answers after Ctrl-C")
	}
	if entries, err := os.ReadDir(tmp); err != nil || len(entries) != 0 {
		t.Errorf("temporary files left after Ctrl-C: %v %v", entries, err)
	}
}
