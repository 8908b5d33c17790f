package generator

import (
	"testing"
	"testing/fstest"
)

// testTemplates is a small template tree shaped like package templates.
func testTemplates() fstest.MapFS {
	return fstest.MapFS{
		"service/go.mod.tmpl":                           {Data: []byte("module {{ .Module }}\n\ngo {{ .GoVersion }}\n\n{{ .GoModRequire -}}\n")},
		"service/go.sum.tmpl":                           {Data: []byte("{{ .GoSum }}")},
		"service/gitignore.tmpl":                        {Data: []byte("/server\n")},
		"service/README.md.tmpl":                        {Data: []byte("# {{ .Name }}\n")},
		"service/cmd/server/main.go.tmpl":               {Data: []byte("package main\nfunc main(){println({{ goString .Name }})}\n")},
		"service/internal/web/page.html":                {Data: []byte("<p>{{ .NotForGenerator }}</p>\n")},
		"service/internal/web/web.go.tmpl":              {Data: []byte("package web\n\n// Shared is replaced by the framework.\nconst Shared = true\n")},
		"service/internal/psc/store_redis.go.tmpl":      {Data: []byte("package psc\n\nconst Redis = true\n")},
		"service/internal/psc/store_redis_test.go.tmpl": {Data: []byte("package psc\n")},
		"service/internal/psc/psc.go.tmpl":              {Data: []byte("package psc\n\nconst Issuer = {{ goString .Issuer }}\n")},
		"frameworks/nethttp/internal/web/web.go.tmpl":   {Data: []byte("package web\n\n// Framework is {{ .Framework }}.\nconst Framework = {{ goString (print .Framework) }}\n")},
		"frameworks/nethttp/internal/web/extra.go.tmpl": {Data: []byte("package web\n")},
		"deps/nethttp-memory-secret/require.txt":        {Data: []byte("require golang.org/x/oauth2 v0.38.0\n")},
		"deps/nethttp-memory-secret/go.sum":             {Data: []byte("golang.org/x/oauth2 v0.38.0 h1:x=\n")},
	}
}

func testSpec(t *testing.T) Spec {
	t.Helper()
	spec, err := NewSpec(Answers{KeyModule: "example.com/clinic/portal"})
	if err != nil {
		t.Fatalf("NewSpec: %v", err)
	}
	return spec
}
