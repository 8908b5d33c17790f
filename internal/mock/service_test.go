package mock

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv makes the test binary play a generated service (see TestMain).
const helperEnv = "PSC_INIT_MOCK_TEST_SERVICE"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "serve":
		os.Exit(fakeService())
	case "crash":
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// fakeService answers /healthz on LISTEN_ADDR until SIGTERM, like
// cmd/server.
func fakeService() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	srv := &http.Server{
		Addr:              os.Getenv("LISTEN_ADDR"),
		ReadHeaderTimeout: time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/healthz" {
				http.NotFound(w, r)
			}
		}),
	}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return 1
	}
	return 0
}

func startHelper(t *testing.T, mode string) *Service {
	t.Helper()
	port, err := FreeLoopbackPort()
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	env := append(os.Environ(), helperEnv+"="+mode, "LISTEN_ADDR="+addr)
	svc, err := StartService(os.Args[0], env, "http://"+addr, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Stop() })
	return svc
}

func TestServiceWaitsForHealthAndStopsOnSIGTERM(t *testing.T) {
	svc := startHelper(t, "serve")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := svc.WaitHealthy(ctx); err != nil {
		t.Fatal(err)
	}
	if err := svc.Stop(); err != nil {
		t.Fatalf("Stop = %v, want a clean stop on SIGTERM", err)
	}
	select {
	case <-svc.Exited():
	default:
		t.Fatal("Stop returned before the process ended")
	}
	if svc.Err() != nil {
		t.Errorf("exit = %v, want 0 after SIGTERM", svc.Err())
	}
}

func TestServiceThatDiesIsReported(t *testing.T) {
	svc := startHelper(t, "crash")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := svc.WaitHealthy(ctx)
	if err == nil || !strings.Contains(err.Error(), "stopped before answering") {
		t.Fatalf("WaitHealthy = %v, want the early exit reported", err)
	}
}

func TestCheckPortFree(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := CheckPortFree(ln.Addr().String()); err == nil || !strings.Contains(err.Error(), "already in use") {
		t.Errorf("CheckPortFree(taken) = %v", err)
	}
}
