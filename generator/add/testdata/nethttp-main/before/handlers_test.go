package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCreateThenList(t *testing.T) {
	s := newStore()
	rec := httptest.NewRecorder()
	createAppointment(s)(rec, httptest.NewRequest(http.MethodPost, "/appointments", strings.NewReader(`{"patient":"P1","at":"2026-01-02T10:00:00Z"}`)))
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	listAppointments(s)(rec, httptest.NewRequest(http.MethodGet, "/appointments", nil))
	if !strings.Contains(rec.Body.String(), `"patient":"P1"`) {
		t.Fatalf("list: %s", rec.Body.String())
	}
}

func TestCreateRefusesEmptyPatient(t *testing.T) {
	rec := httptest.NewRecorder()
	createAppointment(newStore())(rec, httptest.NewRequest(http.MethodPost, "/appointments", strings.NewReader(`{}`)))
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("create: %d", rec.Code)
	}
}
