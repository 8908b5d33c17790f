package mock

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
)

// Timeouts of a service run.
const (
	// stopGrace is how long a service has to stop after SIGTERM before it
	// is killed.
	stopGrace = 10 * time.Second
	// healthPoll is the interval between two /healthz probes.
	healthPoll = 100 * time.Millisecond
	// healthRequestTimeout bounds one /healthz probe.
	healthRequestTimeout = 2 * time.Second
)

// BuildService builds ./cmd/server of the generated service in dir into a
// binary under outDir, with the go command on PATH (the user's toolchain;
// the first build downloads the service's modules). The go command's
// output goes to log. It returns the binary's path.
func BuildService(ctx context.Context, dir, outDir string, log io.Writer) (string, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("the go command is not on PATH; the service is built with your Go toolchain: install Go 1.26 or later from https://go.dev/dl")
	}
	bin := filepath.Join(outDir, "server")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	// Plain flags (no -trimpath), so the dependencies come from the build
	// cache that `go test` and `go build` of generated services fill.
	cmd := exec.CommandContext(ctx, goCmd, "build", "-o", bin, "./cmd/server")
	cmd.Dir = dir
	cmd.Stdout = log
	cmd.Stderr = log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/server failed in %s (%w); its output is above", dir, err)
	}
	return bin, nil
}

// ServiceEnv is the environment of a service run against m: the current
// environment, then LISTEN_ADDR, the memory session store and the PSC
// variables, which win over inherited ones.
func ServiceEnv(m *Mock, caFile, listenAddr string) []string {
	env := append(os.Environ(), "LISTEN_ADDR="+listenAddr, "SESSION_STORE=memory")
	for _, v := range m.Env(caFile) {
		env = append(env, v.Name+"="+v.Value)
	}
	return env
}

// Service is a generated service's binary running as a child process.
type Service struct {
	cmd    *exec.Cmd
	origin string
	exited chan struct{} // closed when the process has been waited for
	err    error         // the process's exit error, once exited is closed
}

// StartService starts bin with env; origin is where it answers
// (http://host:port). Its output goes to log.
func StartService(bin string, env []string, origin string, log io.Writer) (*Service, error) {
	cmd := exec.Command(bin)
	cmd.Env = env
	cmd.Stdout = log
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start the service %s: %w", bin, err)
	}
	s := &Service{cmd: cmd, origin: origin, exited: make(chan struct{})}
	go func() {
		s.err = cmd.Wait()
		close(s.exited)
	}()
	return s, nil
}

// Exited is closed when the service process has ended.
func (s *Service) Exited() <-chan struct{} { return s.exited }

// Err is the process's exit error; valid once Exited is closed.
func (s *Service) Err() error { return s.err }

// WaitHealthy polls origin/healthz until it answers 200, the process ends
// or ctx ends.
func (s *Service) WaitHealthy(ctx context.Context) error {
	client := &http.Client{Timeout: healthRequestTimeout}
	tick := time.NewTicker(healthPoll)
	defer tick.Stop()
	for {
		if s.healthy(ctx, client) {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("the service stopped before answering %s/healthz (%v); its log is above", s.origin, s.err)
		case <-ctx.Done():
			return fmt.Errorf("the service did not answer %s/healthz in time (%w); its log is above", s.origin, ctx.Err())
		case <-tick.C:
		}
	}
}

func (s *Service) healthy(ctx context.Context, client *http.Client) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.origin+"/healthz", nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Stop sends SIGTERM (a kill where signals do not exist), waits up to
// stopGrace for the service to end, then kills it. It returns nil when the
// service stopped on the signal.
func (s *Service) Stop() error {
	select {
	case <-s.exited:
		return nil
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		_ = s.cmd.Process.Kill()
	}
	timer := time.NewTimer(stopGrace)
	defer timer.Stop()
	select {
	case <-s.exited:
		return nil
	case <-timer.C:
		_ = s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("the service did not stop within %s of SIGTERM and was killed", stopGrace)
	}
}

// FreeLoopbackPort returns a port free on 127.0.0.1 right now, for a
// service whose redirect URIs must be known before it starts.
func FreeLoopbackPort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		return 0, errors.New("find a free port: not a TCP address")
	}
	return addr.Port, nil
}

// CheckPortFree reports, as one sentence, that addr is taken.
func CheckPortFree(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s is already in use (%w); stop what listens there or choose another port with --port", addr, err)
	}
	return ln.Close()
}
