package main

import (
	"encoding/json"
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pscinit/psc-init/internal/cli"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script from the actual output")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"psc-init": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI surface scripts in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Cmds:                map[string]func(ts *testscript.TestScript, neg bool, args []string){"jsonenum": jsonEnum, "certgen": certGen},
	})
}

// jsonEnum checks that FILE is a valid JSON Schema object whose property KEY
// has exactly the enum VALUES: jsonenum FILE KEY VALUES...
func jsonEnum(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: jsonenum FILE KEY VALUES...")
	}
	var schema struct {
		Properties map[string]struct {
			Enum []string `json:"enum"`
		} `json:"properties"`
	}
	if err := json.Unmarshal([]byte(ts.ReadFile(args[0])), &schema); err != nil {
		ts.Fatalf("%s is not valid JSON: %v", args[0], err)
	}
	prop, ok := schema.Properties[args[1]]
	if !ok {
		ts.Fatalf("%s has no property %s", args[0], args[1])
	}
	if !slices.Equal(prop.Enum, args[2:]) {
		ts.Fatalf("property %s enum = %q, want %q", args[1], prop.Enum, args[2:])
	}
}
