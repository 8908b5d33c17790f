// Command billing serves the invoices of a clinic.
package main

import (
	"errors"
	"log"
	"net/http"
	"time"
)

func main() {
	mux, err := newMux("EUR")
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

// newMux builds the routes of the service.
func newMux(currency string) (*http.ServeMux, error) {
	if currency == "" {
		return nil, errors.New("no currency")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /invoices", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("invoices in " + currency))
	})
	return mux, nil
}
