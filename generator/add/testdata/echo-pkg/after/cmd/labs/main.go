// Command labs serves laboratory results.
package main

import (
	"log/slog"
	"net/http"
	"os"
	"time"

	"example.com/lab/results/internal/httpapi"
)

func main() {
	e, err := httpapi.New(httpapi.Config{MaxResults: 50})
	if err != nil {
		slog.Error("start", "error", err)
		os.Exit(1)
	}
	srv := &http.Server{Addr: ":8080", Handler: e, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		slog.Error("serve", "error", err)
		os.Exit(1)
	}
}
