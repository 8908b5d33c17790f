// Command psc-init generates Go web services that log health professionals
// in through Pro Santé Connect. See `psc-init --help`.
package main

import (
	"os"

	"github.com/pscinit/psc-init/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
