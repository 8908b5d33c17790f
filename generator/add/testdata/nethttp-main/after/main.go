// Command agenda serves the appointment book of a small clinic.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/clinic/agenda/internal/pscweb"
)

func main() {
	store := newStore()
	mux := http.NewServeMux() // every route of the service
	if err := pscweb.Mount(mux, pscweb.Options{}); err != nil {
		fmt.Fprintf(os.Stderr, "mount Pro Santé Connect login: %v\n", err)
		os.Exit(1)
	}
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
