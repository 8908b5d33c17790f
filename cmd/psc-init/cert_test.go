package main

import (
	"os"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pscinit/psc-init/internal/certinfo/certtest"
)

// certGen writes the test certificates of certtest.Files (a test chain
// named like IGC-Santé's, made now) into DIR: certgen DIR.
func certGen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: certgen DIR")
	}
	dir := ts.MkAbs(args[0])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		ts.Fatalf("certgen: %v", err)
	}
	if err := certtest.WriteFiles(dir, time.Now()); err != nil {
		ts.Fatalf("certgen: %v", err)
	}
}
