// Package merge is a line-based three-way merge with the semantics and the
// output of `git merge-file -p --diff3`: changes made on one side only are
// taken, identical changes on both sides are taken once, and overlapping or
// touching changes become conflict blocks
//
//	<<<<<<< yours
//	(your lines)
//	||||||| base
//	(the common ancestor's lines)
//	=======
//	(their lines)
//	>>>>>>> theirs
//
// It never drops a line of either side: every line added or kept by one
// side is in the result, inside a conflict block when the sides disagree.
// Texts are compared line by line, a line being its bytes up to and
// including "\n"; a final line without "\n" differs from the same line with
// one, as in git.
package merge

import (
	"bytes"
	"strings"
)

// MarkerSize is the length of the conflict marker runs, git's default.
const MarkerSize = 7

// Labels name the sides after the conflict markers.
type Labels struct {
	// Yours follows "<<<<<<<": the current content, with the user's edits.
	Yours string
	// Base follows "|||||||": the common ancestor.
	Base string
	// Theirs follows ">>>>>>>": the new version.
	Theirs string
}

// Result is a merged text.
type Result struct {
	// Data is the merged content, with conflict blocks where the sides disagree.
	Data []byte
	// Conflicts is the number of conflict blocks in Data.
	Conflicts int
}

// Merge merges the changes from base to yours and from base to theirs.
func Merge(base, yours, theirs []byte, labels Labels) Result {
	ids := lineIDs{}
	b0, b1, b2 := splitLines(base), splitLines(yours), splitLines(theirs)
	r0, r1, r2 := ids.of(b0), ids.of(b1), ids.of(b2)
	x1 := diffLines(r0, r1)
	x2 := diffLines(r0, r2)
	switch {
	case len(x1) == 0:
		return Result{Data: bytes.Clone(theirs)}
	case len(x2) == 0:
		return Result{Data: bytes.Clone(yours)}
	}
	changes := combine(x1, x2, r1, r2, len(r1)-len(r0), len(r2)-len(r0))
	return fill(b0, b1, b2, changes, labels)
}

// lineIDs numbers distinct lines so the diff compares integers.
type lineIDs map[string]int

func (ids lineIDs) of(lines [][]byte) []int {
	out := make([]int, len(lines))
	for i, l := range lines {
		id, ok := ids[string(l)]
		if !ok {
			id = len(ids)
			ids[string(l)] = id
		}
		out[i] = id
	}
	return out
}

// splitLines cuts data after each "\n"; the last line may lack it.
func splitLines(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n') + 1
		if i == 0 {
			i = len(data)
		}
		out = append(out, data[:i])
		data = data[i:]
	}
	return out
}

// Modes of a merged change.
const (
	modeConflict = 0
	modeYours    = 1
	modeTheirs   = 2
)

// change is one region of the merge: base lines [i0, i0+chg0), your lines
// [i1, i1+chg1) and their lines [i2, i2+chg2).
type change struct {
	mode                         int
	i0, chg0, i1, chg1, i2, chg2 int
}

// combine walks the hunks of both sides in base order, as xdl_do_merge at
// level XDL_MERGE_EAGER (the level git uses with --diff3): hunks that do not
// touch are taken from their side; hunks that overlap or touch conflict,
// unless they are the very same change.
func combine(x1, x2 []hunk, r1, r2 []int, grow1, grow2 int) []change {
	var out []change
	add := func(c change) {
		if n := len(out); n > 0 {
			m := &out[n-1]
			if c.i1 <= m.i1+m.chg1 || c.i2 <= m.i2+m.chg2 {
				if c.mode != m.mode {
					m.mode = modeConflict
				}
				m.chg0 = c.i0 + c.chg0 - m.i0
				m.chg1 = c.i1 + c.chg1 - m.i1
				m.chg2 = c.i2 + c.chg2 - m.i2
				return
			}
		}
		out = append(out, c)
	}
	for len(x1) > 0 && len(x2) > 0 {
		h1, h2 := x1[0], x2[0]
		switch {
		case h1.i1+h1.chg1 < h2.i1:
			add(change{mode: modeYours, i0: h1.i1, chg0: h1.chg1, i1: h1.i2, chg1: h1.chg2,
				i2: h2.i2 - h2.i1 + h1.i1, chg2: h1.chg1})
			x1 = x1[1:]
			continue
		case h2.i1+h2.chg1 < h1.i1:
			add(change{mode: modeTheirs, i0: h2.i1, chg0: h2.chg1, i1: h1.i2 - h1.i1 + h2.i1, chg1: h2.chg1,
				i2: h2.i2, chg2: h2.chg2})
			x2 = x2[1:]
			continue
		}
		if h1.i1 != h2.i1 || h1.chg1 != h2.chg1 || h1.chg2 != h2.chg2 || !sameLines(r1[h1.i2:h1.i2+h1.chg2], r2[h2.i2:h2.i2+h2.chg2]) {
			off := h1.i1 - h2.i1
			ffo := off + h1.chg1 - h2.chg1
			i0, i1, i2 := h1.i1, h1.i2, h2.i2
			if off > 0 {
				i0 -= off
				i1 -= off
			} else {
				i2 += off
			}
			chg0 := h1.i1 + h1.chg1 - i0
			chg1 := h1.i2 + h1.chg2 - i1
			chg2 := h2.i2 + h2.chg2 - i2
			if ffo < 0 {
				chg0 -= ffo
				chg1 -= ffo
			} else {
				chg2 += ffo
			}
			add(change{mode: modeConflict, i0: i0, chg0: chg0, i1: i1, chg1: chg1, i2: i2, chg2: chg2})
		}
		e1, e2 := h1.i1+h1.chg1, h2.i1+h2.chg1
		if e1 >= e2 {
			x2 = x2[1:]
		}
		if e2 >= e1 {
			x1 = x1[1:]
		}
	}
	for _, h1 := range x1 {
		add(change{mode: modeYours, i0: h1.i1, chg0: h1.chg1, i1: h1.i2, chg1: h1.chg2,
			i2: h1.i1 + grow2, chg2: h1.chg1})
	}
	for _, h2 := range x2 {
		add(change{mode: modeTheirs, i0: h2.i1, chg0: h2.chg1, i1: h2.i1 + grow1, chg1: h2.chg1,
			i2: h2.i2, chg2: h2.chg2})
	}
	return out
}

func sameLines(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// fill writes the merged text: your lines outside changes, the winning side
// of each change, and conflict blocks in diff3 style.
func fill(base, yours, theirs [][]byte, changes []change, labels Labels) Result {
	var out bytes.Buffer
	res := Result{}
	i := 0
	for _, c := range changes {
		copyLines(&out, yours[i:c.i1], false)
		switch c.mode {
		case modeYours:
			copyLines(&out, yours[c.i1:c.i1+c.chg1], false)
		case modeTheirs:
			copyLines(&out, theirs[c.i2:c.i2+c.chg2], false)
		default:
			res.Conflicts++
			marker(&out, '<', labels.Yours)
			copyLines(&out, yours[c.i1:c.i1+c.chg1], true)
			marker(&out, '|', labels.Base)
			copyLines(&out, base[c.i0:c.i0+c.chg0], true)
			marker(&out, '=', "")
			copyLines(&out, theirs[c.i2:c.i2+c.chg2], true)
			marker(&out, '>', labels.Theirs)
		}
		i = c.i1 + c.chg1
	}
	copyLines(&out, yours[i:], false)
	res.Data = out.Bytes()
	return res
}

// copyLines appends lines; with addNL a last line without "\n" gets one, so
// a marker that follows starts on its own line.
func copyLines(out *bytes.Buffer, lines [][]byte, addNL bool) {
	for _, l := range lines {
		out.Write(l)
	}
	if addNL && len(lines) > 0 && !bytes.HasSuffix(lines[len(lines)-1], []byte("\n")) {
		out.WriteByte('\n')
	}
}

func marker(out *bytes.Buffer, c byte, label string) {
	out.WriteString(strings.Repeat(string(c), MarkerSize))
	if label != "" {
		out.WriteByte(' ')
		out.WriteString(label)
	}
	out.WriteByte('\n')
}

// HasConflictMarkers reports whether data still holds a conflict block
// written by Merge with these labels: a line starting with "<<<<<<< " +
// labels.Yours followed, later, by a line starting with ">>>>>>> " +
// labels.Theirs.
func HasConflictMarkers(data []byte, labels Labels) bool {
	open := []byte(strings.Repeat("<", MarkerSize) + " " + labels.Yours + "\n")
	closePrefix := []byte(strings.Repeat(">", MarkerSize) + " " + labels.Theirs)
	opened := false
	for _, l := range splitLines(data) {
		switch {
		case bytes.Equal(l, open):
			opened = true
		case opened && bytes.HasPrefix(l, closePrefix):
			return true
		}
	}
	return false
}
