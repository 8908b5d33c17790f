package main

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestMockMatchesTemplates is the drift test: internal/mock/psctest must be
// exactly what the templates render today.
func TestMockMatchesTemplates(t *testing.T) {
	want, err := render()
	if err != nil {
		t.Fatal(err)
	}
	got, err := read(filepath.Join("..", "..", "mock", "psctest"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range sortedNames(want) {
		if !bytes.Equal(got[name], want[name]) {
			t.Errorf("internal/mock/psctest/%s differs from the templates; run go generate ./internal/mock", name)
		}
	}
	for _, name := range sortedNames(got) {
		if _, ok := want[name]; !ok {
			t.Errorf("internal/mock/psctest/%s is not rendered from the templates any more; run go generate ./internal/mock", name)
		}
	}
}

func TestRenderedGoFilesSayDoNotEdit(t *testing.T) {
	files, err := render()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if filepath.Ext(name) == ".go" && !bytes.HasPrefix(data, []byte(header+"\n")) {
			t.Errorf("%s does not start with %q", name, header)
		}
		if !mockFile(name) {
			t.Errorf("%s is a test file or the testing helper", name)
		}
	}
}
