package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestOnlyInvoicesAreServed pins the routes: anything else is 404. Adding a
// login under /auth/ breaks it, which is what the rollback test needs.
func TestOnlyInvoicesAreServed(t *testing.T) {
	mux, err := newMux("EUR")
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{"/invoices": http.StatusOK, "/auth/login": http.StatusNotFound} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Errorf("GET %s: %d, want %d", path, rec.Code, want)
		}
	}
}
