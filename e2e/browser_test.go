package e2e

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/chromedp"
)

// findChromium returns the browser to drive, or fails the test with how to
// install one. PSC_INIT_E2E=skip skips instead, outside CI only.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("E2E_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "no Chromium found for the real-browser test: install it (Debian: apt-get install chromium) or set E2E_CHROMIUM to the browser's path"
	if os.Getenv("PSC_INIT_E2E") == "skip" && os.Getenv("CI") != "true" {
		t.Skip(msg + " (skipped: PSC_INIT_E2E=skip)")
	}
	t.Fatal(msg + "; PSC_INIT_E2E=skip skips this test outside CI")
	return ""
}

// artifactsDir is E2E_ARTIFACTS or a kept temporary directory.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("E2E_ARTIFACTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "psc-init-e2e-"); err != nil {
			t.Fatalf("create the screenshot directory: %v", err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("create the screenshot directory: %v", err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// spkiHash is Chromium's pin format: base64 of the SHA-256 of the
// certificate's SubjectPublicKeyInfo.
func spkiHash(caPEM []byte) (string, error) {
	block, _ := pem.Decode(caPEM)
	if block == nil {
		return "", errors.New("the mock's CA is not PEM")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return "", fmt.Errorf("parse the mock's CA: %w", err)
	}
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}

// newBrowser starts headless Chromium with a fresh profile that trusts the
// mock's development CA, and nothing more: the pin replaces no other check
// (no --ignore-certificate-errors).
func newBrowser(t *testing.T, chromium string, caPEM []byte) context.Context {
	t.Helper()
	pin, err := spkiHash(caPEM)
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1024, 768),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("ignore-certificate-errors-spki-list", pin),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first run starts the browser and binds it to the context it is
	// given: give it this long-lived one, not a step's.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	return ctx
}

// byRole selects the elements whose computed accessibility role and name
// are exactly role and name: what a screen reader announces, not markup.
func byRole(role, name string) chromedp.QueryOption {
	return chromedp.ByFunc(func(ctx context.Context, t *chromedp.Target, n *chromedp.Node) ([]cdp.NodeID, error) {
		res, err := cdp.Call(ctx, t, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{
			NodeID: n.NodeID, Role: role, AccessibleName: name,
		})
		if err != nil {
			return nil, err
		}
		var backend []cdp.BackendNodeID
		for _, ax := range res.Nodes {
			if !ax.Ignored && ax.BackendDOMNodeID != 0 {
				backend = append(backend, ax.BackendDOMNodeID)
			}
		}
		if len(backend) == 0 {
			return nil, nil
		}
		pushed, err := cdp.Call(ctx, t, dom.PushNodesByBackendIDsToFrontend, dom.PushNodesByBackendIDsToFrontendParams{BackendNodeIDs: backend})
		return pushed.NodeIDs, err
	})
}

// accessibleName returns the computed accessible name of the element sel
// selects.
func accessibleName(ctx context.Context, sel chromedp.CSS) (string, error) {
	return chromedp.Run(ctx, chromedp.QueryAfter(sel, func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) (string, error) {
		fetch := false
		res, err := cdp.Call(ctx, t, accessibility.GetPartialAXTree, accessibility.GetPartialAXTreeParams{
			NodeID: nodes[0].NodeID, FetchRelatives: &fetch,
		})
		if err != nil {
			return "", err
		}
		for _, ax := range res.Nodes {
			if ax.Name != nil && ax.BackendDOMNodeID == nodes[0].BackendNodeID {
				var name string
				if err := json.Unmarshal([]byte(ax.Name.Value), &name); err != nil {
					return "", fmt.Errorf("decode the accessible name: %w", err)
				}
				return strings.Join(strings.Fields(name), " "), nil
			}
		}
		return "", fmt.Errorf("%s has no accessible name", sel)
	}))
}

// waitPath polls the page's URL until its path is path, and returns it.
func waitPath(ctx context.Context, path string) (string, error) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	last := ""
	for {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil {
			last = loc
			if u, err := url.Parse(loc); err == nil && u.Path == path {
				return loc, nil
			}
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("the browser never reached %s (last at %s): %w", path, last, ctx.Err())
		case <-tick.C:
		}
	}
}

// screenshot saves the whole page as dir/name.png.
func screenshot(ctx context.Context, dir, name string) error {
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return fmt.Errorf("screenshot %s: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		return fmt.Errorf("save screenshot %s: %w", name, err)
	}
	return nil
}
