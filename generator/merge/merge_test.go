package merge

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var testLabels = Labels{Yours: "yours", Base: "base", Theirs: "psc-init v0.2.0"}

// lines joins its arguments as "\n"-terminated lines.
func lines(ls ...string) string {
	if len(ls) == 0 {
		return ""
	}
	return strings.Join(ls, "\n") + "\n"
}

type mergeCase struct {
	name                string
	base, yours, theirs string
	want                string
	conflicts           int
}

func mergeCases() []mergeCase {
	base := lines("package a", "", "func A() {}", "", "func B() {}", "", "func C() {}", "", "func D() {}")
	return []mergeCase{
		{name: "all equal", base: base, yours: base, theirs: base, want: base},
		{name: "only yours", base: base,
			yours:  strings.Replace(base, "func A() {}", "func A() { mine() }", 1),
			theirs: base,
			want:   strings.Replace(base, "func A() {}", "func A() { mine() }", 1)},
		{name: "only theirs", base: base, yours: base,
			theirs: strings.Replace(base, "func D() {}", "func D() { new() }", 1),
			want:   strings.Replace(base, "func D() {}", "func D() { new() }", 1)},
		{name: "far apart", base: base,
			yours:  strings.Replace(base, "func A() {}", "func A() { mine() }", 1),
			theirs: strings.Replace(base, "func D() {}", "func D() { new() }", 1),
			want: lines("package a", "", "func A() { mine() }", "", "func B() {}", "", "func C() {}", "",
				"func D() { new() }")},
		{name: "same change both sides", base: base,
			yours:  strings.Replace(base, "func B() {}", "func B() { same() }", 1),
			theirs: strings.Replace(base, "func B() {}", "func B() { same() }", 1),
			want:   strings.Replace(base, "func B() {}", "func B() { same() }", 1)},
		{name: "overlap", base: base,
			yours:  strings.Replace(base, "func B() {}", "func B() { mine() }", 1),
			theirs: strings.Replace(base, "func B() {}", "func B() { new() }", 1),
			want: lines("package a", "", "func A() {}", "",
				"<<<<<<< yours", "func B() { mine() }", "||||||| base", "func B() {}", "=======", "func B() { new() }",
				">>>>>>> psc-init v0.2.0", "", "func C() {}", "", "func D() {}"),
			conflicts: 1},
		{name: "touching changes conflict", base: lines("a", "b", "c", "d"),
			yours:  lines("a", "B", "c", "d"),
			theirs: lines("a", "b", "C", "d"),
			want: lines("a", "<<<<<<< yours", "B", "c", "||||||| base", "b", "c", "=======", "b", "C",
				">>>>>>> psc-init v0.2.0", "d"),
			conflicts: 1},
		{name: "one line apart merges", base: lines("a", "b", "c", "d", "e"),
			yours:  lines("a", "B", "c", "d", "e"),
			theirs: lines("a", "b", "c", "D", "e"),
			want:   lines("a", "B", "c", "D", "e")},
		{name: "both insert at the same place", base: lines("a", "b"),
			yours:  lines("a", "mine", "b"),
			theirs: lines("a", "new", "b"),
			want: lines("a", "<<<<<<< yours", "mine", "||||||| base", "=======", "new",
				">>>>>>> psc-init v0.2.0", "b"),
			conflicts: 1},
		{name: "you delete what they change", base: lines("a", "b", "c"),
			yours:  lines("a", "c"),
			theirs: lines("a", "B", "c"),
			want: lines("a", "<<<<<<< yours", "||||||| base", "b", "=======", "B",
				">>>>>>> psc-init v0.2.0", "c"),
			conflicts: 1},
		{name: "both delete the same line", base: lines("a", "b", "c"),
			yours: lines("a", "c"), theirs: lines("a", "c"), want: lines("a", "c")},
		{name: "empty base", base: "", yours: lines("x"), theirs: lines("y"),
			want:      lines("<<<<<<< yours", "x", "||||||| base", "=======", "y", ">>>>>>> psc-init v0.2.0"),
			conflicts: 1},
		{name: "empty base identical", base: "", yours: lines("x", "y"), theirs: lines("x", "y"),
			want: lines("x", "y")},
		{name: "no final newline", base: "a\nb", yours: "a\nB", theirs: "a\nb2",
			want:      lines("a", "<<<<<<< yours", "B", "||||||| base", "b", "=======", "b2", ">>>>>>> psc-init v0.2.0"),
			conflicts: 1},
		{name: "two conflicts and a clean change", base: lines("1", "2", "3", "4", "5", "6", "7", "8", "9"),
			yours:  lines("1", "two", "3", "4", "5", "6", "seven", "8", "9"),
			theirs: lines("1", "TWO", "3", "4", "FIVE", "6", "SEVEN", "8", "9"),
			want: lines("1", "<<<<<<< yours", "two", "||||||| base", "2", "=======", "TWO", ">>>>>>> psc-init v0.2.0",
				"3", "4", "FIVE", "6", "<<<<<<< yours", "seven", "||||||| base", "7", "=======", "SEVEN",
				">>>>>>> psc-init v0.2.0", "8", "9"),
			conflicts: 2},
		{name: "insertion slides like git", base: lines("a", "}", "", "b", "}", "", "c"),
			yours:  lines("a", "}", "", "x", "}", "", "b", "}", "", "c"),
			theirs: lines("a", "}", "", "b", "}", "", "C"),
			want:   lines("a", "}", "", "x", "}", "", "b", "}", "", "C")},
	}
}

func TestMerge(t *testing.T) {
	for _, c := range mergeCases() {
		t.Run(c.name, func(t *testing.T) {
			got := Merge([]byte(c.base), []byte(c.yours), []byte(c.theirs), testLabels)
			if string(got.Data) != c.want || got.Conflicts != c.conflicts {
				t.Errorf("Merge = %d conflicts\n%s\nwant %d conflicts\n%s", got.Conflicts, got.Data, c.conflicts, c.want)
			}
			if has := HasConflictMarkers(got.Data, Labels{Yours: "yours", Theirs: "psc-init"}); has != (c.conflicts > 0) {
				t.Errorf("HasConflictMarkers = %v with %d conflicts", has, c.conflicts)
			}
		})
	}
}

// TestMergeMatchesGit runs `git merge-file -p --diff3` on every table case
// and on Go-like edits, and requires the same bytes and conflict count: the
// markers users see are git's.
func TestMergeMatchesGit(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Fatalf("git is needed to compare merges with git merge-file (%v); install git", err)
	}
	cases := mergeCases()
	cases = append(cases, goEditCases()...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, conflicts := gitMerge(t, git, c.base, c.yours, c.theirs)
			got := Merge([]byte(c.base), []byte(c.yours), []byte(c.theirs), testLabels)
			if string(got.Data) != want || got.Conflicts != conflicts {
				t.Errorf("Merge differs from git merge-file:\n--- ours (%d conflicts)\n%s\n--- git (%d conflicts)\n%s",
					got.Conflicts, got.Data, conflicts, want)
			}
		})
	}
}

// goEditCases are upgrades of a small Go file: a template change and a user
// edit at various distances.
func goEditCases() []mergeCase {
	base := lines(
		"// Code generated by psc-init v0.1.0; edit freely, psc-init upgrade merges your changes.",
		"",
		"package web",
		"",
		"import (",
		"\t\"net/http\"",
		")",
		"",
		"// Routes mounts the pages.",
		"func Routes(mux *http.ServeMux) {",
		"\tmux.HandleFunc(\"GET /\", home)",
		"\tmux.HandleFunc(\"GET /healthz\", healthz)",
		"}",
		"",
		"func home(w http.ResponseWriter, r *http.Request) {",
		"\tw.Write([]byte(\"home\"))",
		"}",
		"",
		"func healthz(w http.ResponseWriter, r *http.Request) {",
		"\tw.WriteHeader(http.StatusOK)",
		"}",
	)
	theirs := strings.NewReplacer(
		"v0.1.0", "v0.2.0",
		"\tw.WriteHeader(http.StatusOK)\n", "\tw.Header().Set(\"Cache-Control\", \"no-store\")\n\tw.WriteHeader(http.StatusOK)\n",
	).Replace(base)
	return []mergeCase{
		{name: "go user route", base: base,
			yours:  strings.Replace(base, "\tmux.HandleFunc(\"GET /healthz\", healthz)\n", "\tmux.HandleFunc(\"GET /healthz\", healthz)\n\tmux.HandleFunc(\"GET /patients\", patients)\n", 1),
			theirs: theirs},
		{name: "go user import", base: base,
			yours:  strings.Replace(base, "\t\"net/http\"\n", "\t\"log/slog\"\n\t\"net/http\"\n", 1),
			theirs: theirs},
		{name: "go same function", base: base,
			yours:  strings.Replace(base, "\tw.WriteHeader(http.StatusOK)\n", "\tw.WriteHeader(http.StatusNoContent)\n", 1),
			theirs: theirs},
		{name: "go user appends function", base: base,
			yours:  base + lines("", "func patients(w http.ResponseWriter, r *http.Request) {", "}"),
			theirs: theirs},
		{name: "go user edits header", base: base,
			yours:  strings.Replace(base, "v0.1.0; edit freely", "v0.1.0; edited", 1),
			theirs: theirs},
	}
}

func gitMerge(t *testing.T, git, base, yours, theirs string) (string, int) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{"base": base, "yours": yours, "theirs": theirs} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(git, "merge-file", "-p", "--diff3", "-L", "yours", "-L", "base", "-L", "psc-init v0.2.0", "yours", "base", "theirs")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit) && exit.ExitCode() > 0 && exit.ExitCode() < 127:
		return string(out), exit.ExitCode()
	}
	t.Fatalf("git merge-file: %v: %s", err, stderr.String())
	return "", 0
}

// FuzzMerge checks the properties a merge must have whatever the input.
func FuzzMerge(f *testing.F) {
	for _, c := range mergeCases() {
		f.Add(c.base, c.yours, c.theirs)
	}
	f.Fuzz(func(t *testing.T, base, yours, theirs string) {
		b, x, y := []byte(base), []byte(yours), []byte(theirs)
		check := func(name string, got Result, want []byte) {
			t.Helper()
			if got.Conflicts != 0 || !bytes.Equal(got.Data, want) {
				t.Fatalf("%s: got %d conflicts %q, want %q", name, got.Conflicts, got.Data, want)
			}
		}
		check("merge(b,b,b)", Merge(b, b, b, testLabels), b)
		check("merge(b,x,b)", Merge(b, x, b, testLabels), x)
		check("merge(b,b,y)", Merge(b, b, y, testLabels), y)
		check("merge(b,x,x)", Merge(b, x, x, testLabels), x)

		got := Merge(b, x, y, testLabels)
		want, clean := applyBoth(b, x, y)
		if clean != (got.Conflicts == 0) {
			t.Fatalf("Merge gives %d conflicts, but the hunks of both sides are clean = %v", got.Conflicts, clean)
		}
		if clean && !bytes.Equal(got.Data, want) {
			t.Fatalf("clean merge %q is not the base with both sides' changes %q", got.Data, want)
		}
		// Every line of each side is somewhere in the result (no lost edit),
		// unless the other side deleted it from the base cleanly.
		for _, side := range [][]byte{x, y} {
			for _, l := range splitLines(side) {
				if !bytes.Contains(got.Data, bytes.TrimSuffix(l, []byte("\n"))) && !bytes.Contains(b, l) {
					t.Fatalf("line %q added by a side is missing from %q", l, got.Data)
				}
			}
		}
	})
}

// applyBoth applies the hunks of base→yours and base→theirs to base when no
// two of them overlap or touch (identical hunks count once), the plain
// definition of a clean merge.
func applyBoth(base, yours, theirs []byte) ([]byte, bool) {
	ids := lineIDs{}
	b0, b1, b2 := splitLines(base), splitLines(yours), splitLines(theirs)
	r0, r1, r2 := ids.of(b0), ids.of(b1), ids.of(b2)
	type taken struct {
		h    hunk
		side [][]byte
	}
	var all []taken
	for _, h := range diffLines(r0, r1) {
		all = append(all, taken{h, b1})
	}
next:
	for _, h := range diffLines(r0, r2) {
		for _, o := range all {
			same := o.h.i1 == h.i1 && o.h.chg1 == h.chg1 && sameLines(r1[o.h.i2:o.h.i2+o.h.chg2], r2[h.i2:h.i2+h.chg2])
			switch {
			case same:
				continue next
			case h.i1 <= o.h.i1+o.h.chg1 && o.h.i1 <= h.i1+h.chg1:
				return nil, false
			}
		}
		all = append(all, taken{h, b2})
	}
	slices.SortFunc(all, func(a, b taken) int { return a.h.i1 - b.h.i1 })
	var out []byte
	i := 0
	for _, t := range all {
		out = append(out, bytes.Join(b0[i:t.h.i1], nil)...)
		out = append(out, bytes.Join(t.side[t.h.i2:t.h.i2+t.h.chg2], nil)...)
		i = t.h.i1 + t.h.chg1
	}
	return append(out, bytes.Join(b0[i:], nil)...), true
}

func TestDiffIsValid(t *testing.T) {
	for i, pair := range [][2]string{
		{"", ""}, {"a\n", ""}, {"", "a\n"}, {"a\nb\nc\n", "a\nc\n"}, {"a\nb\na\n", "b\na\nb\n"},
		{strings.Repeat("x\n", 50), strings.Repeat("x\ny\n", 25)},
	} {
		ids := lineIDs{}
		a, b := ids.of(splitLines([]byte(pair[0]))), ids.of(splitLines([]byte(pair[1])))
		if got := apply(a, b, diffLines(a, b)); !sameLines(got, b) {
			t.Errorf("case %d: applying the diff gives %v, want %v", i, got, b)
		}
	}
}

// apply rebuilds side from base and the hunks.
func apply(base, side []int, hunks []hunk) []int {
	var out []int
	i := 0
	for _, h := range hunks {
		out = append(out, base[i:h.i1]...)
		out = append(out, side[h.i2:h.i2+h.chg2]...)
		i = h.i1 + h.chg1
	}
	return append(out, base[i:]...)
}

func TestDiffBeyondMaxCostIsStillValid(t *testing.T) {
	var a, b []int
	for i := range 3 * maxCost {
		a = append(a, i)
		b = append(b, i+3*maxCost)
	}
	a = append(a, -1)
	b = append(b, -1)
	if got := apply(a, b, diffLines(a, b)); !sameLines(got, b) {
		t.Fatalf("coarse diff does not rebuild the side")
	}
}

func BenchmarkMerge(b *testing.B) {
	var base strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&base, "line %d\n", i)
	}
	yours := strings.Replace(base.String(), "line 100\n", "mine\n", 1)
	theirs := strings.Replace(base.String(), "line 1900\n", "theirs\n", 1)
	b.ReportAllocs()
	for b.Loop() {
		Merge([]byte(base.String()), []byte(yours), []byte(theirs), testLabels)
	}
}
