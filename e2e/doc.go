// Package e2e holds psc-init's real-browser end-to-end test: for each
// framework it generates a service, builds and starts ./cmd/server against
// psc-init's local Pro Santé Connect (internal/mock) and drives headless
// Chromium through chromedp: home page, login button, PSC login page,
// activity choice, reload, logout, and /me answering 401 afterwards.
//
// The test needs Chromium (Debian: apt-get install chromium) and the go
// command. Environment:
//
//	E2E_CHROMIUM   path of the browser (default: chromium, chromium-browser or
//	               google-chrome on PATH)
//	E2E_ARTIFACTS  directory for the screenshots of every step (default: a
//	               temporary directory, printed in the test log and kept)
//	PSC_INIT_E2E=skip  skip the test when no browser is installed; refused
//	               under CI=true, where a missing browser fails the test
//
// `go test -short` skips it, like the golden build test.
package e2e
