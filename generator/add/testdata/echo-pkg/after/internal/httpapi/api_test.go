package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestResults(t *testing.T) {
	e, err := New(Config{MaxResults: 10})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/results?n=99", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"count":10`) {
		t.Fatalf("results: %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/results/r42", nil))
	if !strings.Contains(rec.Body.String(), `"id":"r42"`) {
		t.Fatalf("result: %s", rec.Body)
	}
}

func TestNewRefusesZeroMax(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Fatal("New accepted MaxResults 0")
	}
}
