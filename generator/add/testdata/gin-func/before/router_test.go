package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	m.Run()
}

func TestAddThenList(t *testing.T) {
	r, err := newRouter(newInventory())
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/products", strings.NewReader(`{"name":"doliprane","quantity":3}`)))
	if rec.Code != http.StatusCreated {
		t.Fatalf("add: %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/products", nil))
	if !strings.Contains(rec.Body.String(), "doliprane") {
		t.Fatalf("list: %s", rec.Body)
	}
}

func TestRequestID(t *testing.T) {
	r, err := newRouter(newInventory())
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	req.Header.Set("X-Request-Id", "abc")
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	if rec.Header().Get("X-Request-Id") != "abc" {
		t.Fatalf("X-Request-Id: %q", rec.Header().Get("X-Request-Id"))
	}
}

func TestNoInventory(t *testing.T) {
	if _, err := newRouter(nil); err == nil {
		t.Fatal("newRouter(nil) succeeded")
	}
}
