package main

import (
	"fmt"
	"net/http"

	"golang.org/x/oauth2"
)

// archive is the remote PACS archive the reports come from.
var archive = oauth2.Config{ClientID: "viewer", Endpoint: oauth2.Endpoint{TokenURL: "https://pacs.example.test/token"}}

func listReports(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "reports from %s\n", archive.Endpoint.TokenURL)
}

func showReport(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "report %s\n", r.PathValue("id"))
}
