// Command viewer serves radiology reports.
package main

import (
	"log"
	"net/http"
	"time"
)

func main() {
	srv := &http.Server{Addr: ":8080", Handler: routes(), ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

// routes builds the router; it returns no error, so psc-init cannot tell
// how a failure to mount the login should be handled here.
func routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /reports", listReports)
	mux.HandleFunc("GET /reports/{id}", showReport)
	return mux
}
