package generator

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestNewPlan(t *testing.T) {
	plan, err := NewPlan(testSpec(t), testTemplates())
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	var paths []string
	byPath := map[string]PlanEntry{}
	for _, e := range plan {
		paths = append(paths, e.Path)
		byPath[e.Path] = e
	}
	want := []string{
		".gitignore",
		"README.md",
		"cmd/server/main.go",
		"go.mod",
		"go.sum",
		"internal/psc/psc.go",
		"internal/web/extra.go",
		"internal/web/page.html",
		"internal/web/web.go",
	}
	if !slices.Equal(paths, want) {
		t.Fatalf("plan paths = %q, want %q", paths, want)
	}
	if e := byPath["internal/web/web.go"]; e.Template != "frameworks/nethttp/internal/web/web.go.tmpl" {
		t.Errorf("web.go comes from %s, want the framework override", e.Template)
	}
	if e := byPath["internal/web/page.html"]; e.Mode != ModeCopy {
		t.Errorf("page.html mode = %v, want ModeCopy", e.Mode)
	}
	if e := byPath["go.mod"]; e.Mode != ModeTemplate || e.Template != "service/go.mod.tmpl" {
		t.Errorf("go.mod entry = %+v", e)
	}
	if e := byPath["README.md"]; e.Owner != OwnerUser {
		t.Errorf("README.md owner = %s, want user", e.Owner)
	}
	if e := byPath["internal/psc/psc.go"]; e.Owner != OwnerGenerator {
		t.Errorf("psc.go owner = %s, want generator", e.Owner)
	}
}

func TestPlanConditions(t *testing.T) {
	spec := testSpec(t)
	spec.Session = SessionRedis // bypasses availability on purpose: conditions are per value
	plan, err := NewPlan(spec, testTemplates())
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	found := map[string]string{}
	for _, e := range plan {
		found[e.Path] = e.Condition
	}
	for _, p := range []string{"internal/psc/store_redis.go", "internal/psc/store_redis_test.go"} {
		cond, ok := found[p]
		if !ok {
			t.Errorf("%s missing with session redis", p)
		} else if cond != "session == redis" {
			t.Errorf("%s condition = %q", p, cond)
		}
	}
	if cond := found["go.mod"]; cond != "" {
		t.Errorf("go.mod condition = %q, want always", cond)
	}
}

func TestPlanRefuses(t *testing.T) {
	tests := []struct {
		name string
		edit func(m fstest.MapFS)
		spec func(*Spec)
		want string
	}{
		{"verbatim go file", func(m fstest.MapFS) { m["service/x.go"] = &fstest.MapFile{Data: []byte("package x")} }, nil, "is a Go file copied verbatim; name it x.go.tmpl"},
		{"two sources", func(m fstest.MapFS) { m["service/README.md"] = &fstest.MapFile{Data: []byte("x")} }, nil, "both produce README.md"},
		{"missing framework", nil, func(s *Spec) { s.Framework = FrameworkGin }, `no templates for framework "gin"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := testTemplates()
			if tt.edit != nil {
				tt.edit(fsys)
			}
			spec := testSpec(t)
			if tt.spec != nil {
				tt.spec(&spec)
			}
			_, err := NewPlan(spec, fsys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewPlan error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
