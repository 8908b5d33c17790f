// Command agenda serves the appointment book of a small clinic.
package main

import (
	"log"
	"net/http"
	"time"
)

func main() {
	store := newStore()
	mux := http.NewServeMux() // every route of the service
	mux.HandleFunc("GET /{$}", home)
	mux.HandleFunc("GET /appointments", listAppointments(store))
	mux.HandleFunc("POST /appointments", createAppointment(store))

	srv := &http.Server{
		Addr:              ":8080",
		Handler:           logRequests(mux),
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Fatal(srv.ListenAndServe())
}
