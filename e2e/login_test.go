package e2e

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/pscinit/psc-init/generator"
	"github.com/pscinit/psc-init/generator/write"
	"github.com/pscinit/psc-init/internal/mock"
	"github.com/pscinit/psc-init/internal/mock/psctest"
)

// Timeouts: a build may download modules on a cold cache; each browser
// step gets its own deadline so a failure names the step.
const (
	buildTimeout  = 5 * time.Minute
	healthTimeout = time.Minute
	stepTimeout   = 20 * time.Second
)

// The names the pages must expose to assistive technology.
const (
	loginButtonName = "S'identifier avec Pro Santé Connect"
	infoLinkName    = "Qu'est-ce que Pro Santé Connect ?"
)

func TestBrowserLogin(t *testing.T) {
	if testing.Short() {
		t.Skip("the real-browser test builds four services and drives Chromium; run it without -short")
	}
	chromium := findChromium(t)
	artifacts := artifactsDir(t)
	for _, fw := range []generator.Framework{generator.FrameworkNetHTTP, generator.FrameworkGin, generator.FrameworkEcho, generator.FrameworkFiber} {
		t.Run(string(fw), func(t *testing.T) {
			dir := filepath.Join(artifacts, string(fw))
			if err := mkdir(dir); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			env := startStack(t, fw)
			built := time.Since(start)
			browse(t, newBrowser(t, chromium, env.mock.CACertPEM()), env, dir)
			t.Logf("%s: generate and build %s, browser flow %s", fw, built.Round(time.Millisecond), (time.Since(start) - built).Round(time.Millisecond))
		})
	}
}

// stack is a generated service running against the mock.
type stack struct {
	mock   *mock.Mock
	origin string
}

// startStack generates a service with framework fw, builds it and starts
// it against a fresh mock; both stop when the test ends.
func startStack(t *testing.T, fw generator.Framework) stack {
	t.Helper()
	spec, err := generator.NewSpec(generator.Answers{generator.KeyModule: "example.com/e2e/portal", generator.KeyFramework: string(fw)})
	if err != nil {
		t.Fatal(err)
	}
	files, err := generator.Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	res, err := write.NewDir(filepath.Join(t.TempDir(), "svc"), files, false)
	if err != nil {
		t.Fatal(err)
	}
	port, err := mock.FreeLoopbackPort()
	if err != nil {
		t.Fatal(err)
	}
	origin := "http://localhost:" + strconv.Itoa(port)
	m, err := mock.Start(mock.Config{
		Addr:                   "127.0.0.1:0",
		RedirectURIs:           []string{origin + mock.CallbackPath},
		PostLogoutRedirectURIs: []string{origin + mock.LoggedOutPath},
		Logger:                 slog.New(slog.NewTextHandler(testWriter{t}, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	work := t.TempDir()
	caFile := filepath.Join(work, "ca.pem")
	if err := m.WriteCA(caFile); err != nil {
		t.Fatal(err)
	}

	var buildLog bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	bin, err := mock.BuildService(ctx, res.Dir, work, &buildLog)
	if err != nil {
		t.Fatalf("%v\n%s", err, buildLog.String())
	}
	log := &syncBuffer{}
	svc, err := mock.StartService(bin, mock.ServiceEnv(m, caFile, "127.0.0.1:"+strconv.Itoa(port)), origin, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := svc.Stop(); err != nil {
			t.Error(err)
		}
		if t.Failed() {
			t.Logf("service log:\n%s", log.String())
		}
	})
	hctx, hcancel := context.WithTimeout(context.Background(), healthTimeout)
	defer hcancel()
	if err := svc.WaitHealthy(hctx); err != nil {
		t.Fatal(err)
	}
	return stack{mock: m, origin: origin}
}

// browse is the user's journey; every step is checked and photographed.
func browse(t *testing.T, ctx context.Context, env stack, shots string) {
	step := func(name string, f func(ctx context.Context) error) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, stepTimeout)
		defer cancel()
		if err := f(sctx); err != nil {
			_ = screenshot(ctx, shots, "failed-"+name)
			t.Fatalf("step %s: %v", name, err)
		}
		if err := screenshot(sctx, shots, name); err != nil {
			t.Fatal(err)
		}
	}
	pharmacist := psctest.Pharmacist()
	fullName := pharmacist.GivenName + " " + pharmacist.FamilyName
	chosen := pharmacist.Activities[1].Name

	step("01-home", func(ctx context.Context) error {
		if err := chromedp.Do(ctx,
			chromedp.Navigate(env.origin+"/"),
			chromedp.WaitVisible("login button", byRole("link", loginButtonName)),
		); err != nil {
			return err
		}
		href, err := chromedp.Run(ctx, chromedp.AttributeValue("info link", "href", byRole("link", infoLinkName)))
		if err != nil {
			return err
		}
		if !strings.HasPrefix(href.Value, "https://esante.gouv.fr/") {
			return errorf("the %q link goes to %q, want ANS's page", infoLinkName, href.Value)
		}
		return nil
	})
	step("02-psc-login-page", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, chromedp.Click("login button", byRole("link", loginButtonName))); err != nil {
			return err
		}
		loc, err := waitPath(ctx, "/wallet/auth")
		if err != nil {
			return err
		}
		if !strings.HasPrefix(loc, env.mock.URL()+"/") {
			return errorf("login went to %s, want the mock at %s", loc, env.mock.URL())
		}
		radio := chromedp.CSS(`input[name="professional"][value="1"]`)
		if err := chromedp.Do(ctx, chromedp.WaitVisible(radio)); err != nil {
			return err
		}
		name, err := accessibleName(ctx, radio)
		if err != nil {
			return err
		}
		if !strings.Contains(name, fullName) || !strings.Contains(name, "2 activités") {
			return errorf("the second choice is announced as %q, want the pharmacist %s with 2 activités", name, fullName)
		}
		return chromedp.Do(ctx,
			chromedp.Click(radio),
			chromedp.Click(chromedp.CSS(`input[name="auth_mode"][value="MOBILE"]`)),
		)
	})
	step("03-activity-choice", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, chromedp.Click("submit", byRole("button", "Se connecter"))); err != nil {
			return err
		}
		if _, err := waitPath(ctx, "/auth/activity"); err != nil {
			return err
		}
		radio := chromedp.CSS(`input[name="activity"][value="1"]`)
		if err := chromedp.Do(ctx, chromedp.WaitVisible(radio)); err != nil {
			return err
		}
		name, err := accessibleName(ctx, radio)
		if err != nil {
			return err
		}
		if !strings.Contains(name, chosen) {
			return errorf("the second activity is announced as %q, want %s", name, chosen)
		}
		return chromedp.Do(ctx, chromedp.Click(radio))
	})
	loggedIn := func(ctx context.Context) error {
		if err := chromedp.Do(ctx, chromedp.WaitVisible("logout button", byRole("button", "Se déconnecter"))); err != nil {
			return err
		}
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		if err != nil {
			return err
		}
		// e-CPS: the authentication mode picked on the mock, carried by
		// PSC's authMode claim.
		if !strings.Contains(text, fullName) || !strings.Contains(text, chosen) || !strings.Contains(text, "e-CPS") {
			return errorf("the home page shows %q, want %s, %s and e-CPS", text, fullName, chosen)
		}
		return expectMe(ctx, env.origin, http.StatusOK)
	}
	step("04-logged-in", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, chromedp.Click("continue", byRole("button", "Continuer"))); err != nil {
			return err
		}
		if _, err := waitPath(ctx, "/"); err != nil {
			return err
		}
		return loggedIn(ctx)
	})
	step("05-reloaded", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			return err
		}
		return loggedIn(ctx)
	})
	step("06-logged-out", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, chromedp.Click("logout button", byRole("button", "Se déconnecter"))); err != nil {
			return err
		}
		loc, err := waitPath(ctx, mock.LoggedOutPath)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(loc, env.origin+"/") {
			return errorf("logout ended at %s, want the service's page", loc)
		}
		h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
		if err != nil {
			return err
		}
		if !strings.Contains(h1, "déconnecté") {
			return errorf("the logged-out page says %q", h1)
		}
		if got := env.mock.Server().Count(psctest.EndpointEndSession); got != 1 {
			return errorf("the mock's end_session endpoint was called %d times, want 1", got)
		}
		return expectMe(ctx, env.origin, http.StatusUnauthorized)
	})
}

// expectMe asks /me, as a JSON client with the browser's cookies for the
// service, and checks the status.
func expectMe(ctx context.Context, origin string, want int) error {
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{origin + "/"}})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, origin+"/me", nil)
	if err != nil {
		return err
	}
	// A JSON client, as the page's own scripts would be: it gets 401, not
	// the login redirect a navigation gets.
	req.Header.Set("Accept", "application/json")
	for _, c := range res.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	client := &http.Client{
		Timeout:       5 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != want {
		return errorf("/me with the browser's %d cookies answered %d, want %d", len(res.Cookies), resp.StatusCode, want)
	}
	return nil
}
