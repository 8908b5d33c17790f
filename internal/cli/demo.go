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
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/generator/write"
	"github.com/pscinit/psc-init/internal/mock"
)

// Defaults and limits of `demo`.
const (
	demoModule       = "example.com/psc-demo"
	demoPort         = 8080
	demoMockAddr     = "127.0.0.1:0"
	demoHealthWait   = 60 * time.Second
	demoShutdownWait = 5 * time.Second
)

// demoOptions are the flags of `demo` that are not answers.
type demoOptions struct {
	answersFile string
	force       bool
	port        int
	mockAddr    string
}

func newDemoCmd(e *env) *cobra.Command {
	var o demoOptions
	cmd := &cobra.Command{
		Use:   "demo [DIR]",
		Short: "Generate a service and run it against a local Pro Santé Connect, in one command",
		Long: `Generate a service (module ` + demoModule + ` unless --module is given, the
other answers on their defaults), start the local Pro Santé Connect of
'psc-init mock' in this process, build the service with your Go toolchain (go
build; the first build downloads its modules through the Go proxy) and run it
on http://localhost:8080 against the mock. Open that URL, log in with the Pro
Santé Connect button and pick a fictional professional on the mock's page.

Without DIR the service goes to a temporary directory, removed when the demo
stops; with DIR it is kept there (DIR must be missing or empty, unless
--force). Ctrl-C stops the service (SIGTERM, waited for) and the mock.

Your browser does not trust the mock's development certificate: accept the
warning for 127.0.0.1 once.

Answers (flag, answers-file key, description [default]):
` + answersHelp(),
		Example: `  psc-init demo
  psc-init demo ./portal --framework gin --module example.com/clinic/portal`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return &usageError{err: fmt.Errorf("too many arguments (%q after DIR); run 'psc-init demo [DIR]' with flags", args[1])}
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
	}
	cmd.Flags().SortFlags = false
	flags, err := addAnswerFlags(cmd)
	if err != nil {
		cmd.RunE = func(*cobra.Command, []string) error { return &failure{err: err} }
		return cmd
	}
	// Unlike for new, the module is optional here: say its default.
	if q, ok := generator.QuestionByKey(generator.KeyModule); ok {
		if f := cmd.Flags().Lookup(q.Flag); f != nil {
			f.Usage = "Go module path of the generated service (default " + demoModule + ")"
		}
	}
	cmd.Flags().StringVar(&o.answersFile, "answers", "", "YAML answers file (keys: "+strings.Join(generator.Keys(), ", ")+")")
	cmd.Flags().BoolVar(&o.force, "force", false, "write into a non-empty DIR, replacing generated files and keeping the others")
	cmd.Flags().IntVar(&o.port, "port", demoPort, "port of the service on localhost")
	cmd.Flags().StringVar(&o.mockAddr, "mock-addr", demoMockAddr, "loopback host:port of the mock (port 0 picks a free one)")
	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		dir := ""
		if len(args) == 1 {
			if args[0] == "" {
				return &usageError{err: errors.New("the directory is empty; pass a path such as ./service, or nothing for a temporary directory")}
			}
			dir = args[0]
		}
		if o.port < 1 || o.port > 65535 {
			return &usageError{err: fmt.Errorf("port %d is out of range; use a port between 1 and 65535", o.port)}
		}
		if err := mock.CheckLoopback(o.mockAddr); err != nil {
			return &usageError{err: err}
		}
		return runDemo(cmd.Context(), o, dir, flags.answers(cmd), cmd.OutOrStdout(), e.stderr)
	})
	return cmd
}

// runDemo generates the service, starts the mock and the service, and
// waits for ctx (Ctrl-C) or the service to end.
func runDemo(ctx context.Context, o demoOptions, dir string, flagAnswers generator.Answers, stdout, stderr io.Writer) error {
	files, spec, err := demoFiles(o.answersFile, flagAnswers)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "psc-init-demo-")
	if err != nil {
		return fmt.Errorf("cannot create a temporary directory (%w); set TMPDIR to a writable directory", err)
	}
	defer os.RemoveAll(work)
	kept := dir != ""
	if !kept {
		dir = filepath.Join(work, "service")
	}
	res, err := write.NewDir(dir, files, o.force && kept)
	if err != nil {
		return err
	}
	where := res.Dir + " (kept)"
	if !kept {
		where = res.Dir + " (temporary, removed when the demo stops)"
	}
	fmt.Fprintf(stderr, "Generated %s (%s, %s sessions) in %s.\n", spec.Name, spec.Framework, spec.Session, where)

	port := strconv.Itoa(o.port)
	if err := mock.CheckPortFree(net.JoinHostPort("127.0.0.1", port)); err != nil {
		return err
	}
	origin := "http://localhost:" + port
	m, err := mock.Start(mock.Config{
		Addr:                   o.mockAddr,
		RedirectURIs:           []string{origin + mock.CallbackPath},
		PostLogoutRedirectURIs: []string{origin + mock.LoggedOutPath},
		Logger:                 slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
	})
	if err != nil {
		return err
	}
	defer m.Close()
	caFile := filepath.Join(work, "mock-ca.pem")
	if err := m.WriteCA(caFile); err != nil {
		return err
	}

	fmt.Fprintln(stderr, "Building the service with your Go toolchain (go build; the first build downloads its modules)...")
	bin, err := mock.BuildService(ctx, res.Dir, work, stderr)
	if err != nil {
		if ctx.Err() != nil {
			return errors.New("interrupted while building the service; nothing is left running")
		}
		return err
	}
	svc, err := mock.StartService(bin, mock.ServiceEnv(m, caFile, net.JoinHostPort("127.0.0.1", port)), origin, stderr)
	if err != nil {
		return err
	}
	healthCtx, cancel := context.WithTimeout(ctx, demoHealthWait)
	err = svc.WaitHealthy(healthCtx)
	cancel()
	if err != nil {
		stopErr := svc.Stop()
		if ctx.Err() != nil {
			return errors.Join(errors.New("interrupted while starting the service; nothing is left running"), stopErr)
		}
		return err
	}
	printDemoReady(stdout, origin, m, res.Dir, kept)

	select {
	case <-ctx.Done():
		fmt.Fprintln(stderr, "Stopping the service and the mock.")
		stopErr := svc.Stop()
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), demoShutdownWait)
		defer cancel()
		return errors.Join(stopErr, m.Shutdown(shutdownCtx))
	case <-svc.Exited():
		return fmt.Errorf("the service stopped unexpectedly (%v); its log is above", svc.Err())
	}
}

// demoFiles resolves the answers (file, then flags, then the demo module
// and defaults; never prompts) and generates the service in memory.
func demoFiles(answersFile string, flagAnswers generator.Answers) (generator.Files, generator.Spec, error) {
	answers := generator.Answers{}
	if answersFile != "" {
		fileAnswers, err := generator.LoadAnswersFile(answersFile)
		if err != nil {
			return nil, generator.Spec{}, err
		}
		answers = fileAnswers
	}
	answers = answers.Override(flagAnswers)
	if answers[generator.KeyModule] == "" {
		answers[generator.KeyModule] = demoModule
	}
	if err := checkGiven(answers); err != nil {
		return nil, generator.Spec{}, err
	}
	spec, err := generator.NewSpec(answers)
	if err != nil {
		return nil, generator.Spec{}, err
	}
	// The demo runs the service on plain http://localhost with a client
	// secret; these answers need material it does not have.
	if spec.TLS == generator.TLSDirect {
		return nil, generator.Spec{}, &usageError{err: errors.New("psc-init demo serves the service on plain http://localhost and cannot run --tls direct; leave --tls at proxy")}
	}
	if spec.ClientAuth == generator.ClientAuthMTLS {
		return nil, generator.Spec{}, &usageError{err: errors.New("psc-init demo cannot run --client-auth mtls (the service would need a client certificate); leave --client-auth at secret")}
	}
	files, err := generator.Generate(spec)
	if err != nil {
		return nil, generator.Spec{}, fmt.Errorf("cannot generate the service (%v); this is a psc-init bug, please report it", err)
	}
	return files, spec, nil
}

// printDemoReady tells the user what to open.
func printDemoReady(w io.Writer, origin string, m *mock.Mock, dir string, kept bool) {
	fmt.Fprintf(w, "\nOpen %s and log in with the Pro Santé Connect button.\n", origin)
	fmt.Fprintf(w, "  Pro Santé Connect mock: %s (fictional professionals; the pharmacist has two activities).\n", m.URL())
	fmt.Fprintf(w, "  Your browser does not trust the mock's development certificate: accept the warning for %s once.\n", m.URL())
	if kept {
		fmt.Fprintf(w, "  Service code: %s (go run ./cmd/dev runs it again without psc-init).\n", dir)
	}
	fmt.Fprintln(w, "Ctrl-C stops the service and the mock.")
}
