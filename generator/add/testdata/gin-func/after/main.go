// Command stock serves the stock of a pharmacy.
package main

import (
	"log"
	"net/http"
	"time"
)

func main() {
	r, err := newRouter(newInventory())
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: ":8080", Handler: r, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
