package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"
)

// appointment is one booked slot.
type appointment struct {
	Patient string    `json:"patient"`
	At      time.Time `json:"at"`
}

// store keeps the appointments in memory.
type store struct {
	mu    sync.Mutex
	items []appointment
}

func newStore() *store { return &store{} }

func home(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "Agenda du cabinet")
}

func listAppointments(s *store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s.items)
	}
}

func createAppointment(s *store) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var a appointment
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&a); err != nil || a.Patient == "" {
			http.Error(w, "bad appointment", http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.items = append(s.items, a)
		s.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
	}
}

// logRequests logs the method and path of every request.
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s %s", r.Method, r.URL.Path)
		next.ServeHTTP(w, r)
	})
}
