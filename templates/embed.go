// Package templates holds the embedded source of every generated service.
//
// Layout (see generator/plan.go for how it is read):
//   - service/ is the skeleton shared by every framework;
//   - frameworks/<framework>/ holds only what differs for one framework: a file
//     with the same output path replaces the shared one, other files are added;
//   - deps/<framework>-<session>-<client_auth>/ holds the exact require block
//     (require.txt) and go.sum of the generated go.mod, maintained with
//     `go run ./internal/tools/syncdeps`.
//
// Files ending in ".tmpl" are rendered with text/template; every other file is
// copied byte for byte. Go sources must end in ".go.tmpl" so that this module
// never compiles them.
package templates

import "embed"

// FS is the embedded template tree rooted at this directory.
//
//go:embed all:service all:frameworks all:deps
var FS embed.FS
