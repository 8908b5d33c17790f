package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestShowReport(t *testing.T) {
	rec := httptest.NewRecorder()
	routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/reports/r7", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "report r7") {
		t.Fatalf("GET /reports/r7: %d %s", rec.Code, rec.Body)
	}
}
