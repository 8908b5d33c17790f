package merge

// This file computes line diffs the way git's xdiff does for `git merge-file`:
// a minimal Myers diff, then change groups slid down as far as they go and
// back up to line up with a change on the other side (xdl_change_compact
// without the indent heuristic), then hunks collected from the marks
// (xdl_build_script). Matching git's choices among equally small diffs keeps
// the conflict blocks where git users expect them.

// maxCost bounds the edit distance the Myers search explores. Beyond it the
// middle of the two texts is reported as one replaced block: still a correct
// diff, only coarser (more conflicts, never a lost line), and memory stays
// bounded (about maxCost² 32-bit integers).
const maxCost = 2000

// hunk is one change between a base text and a side, in lines: base lines
// [i1, i1+chg1) become side lines [i2, i2+chg2). The names follow xdiff.
type hunk struct {
	i1, chg1 int
	i2, chg2 int
}

// file is one text of a diff: its line ids and which lines are changed.
// rchg has a false sentinel before the first and after the last line, as in
// xdiff, so group walks need no bounds checks.
type file struct {
	recs []int
	rchg []bool
}

func newFile(recs []int) *file {
	return &file{recs: recs, rchg: make([]bool, len(recs)+2)}
}

func (f *file) nrec() int                { return len(f.recs) }
func (f *file) changed(i int) bool       { return f.rchg[i+1] }
func (f *file) setChanged(i int, v bool) { f.rchg[i+1] = v }

// diffLines returns the hunks turning base into side (line ids).
func diffLines(base, side []int) []hunk {
	a, b := newFile(base), newFile(side)
	mark(a, b)
	compact(a, b)
	compact(b, a)
	return script(a, b)
}

// mark flags the lines of a and b that are not part of a longest common
// subsequence found by Myers' greedy algorithm.
func mark(a, b *file) {
	n, m := a.nrec(), b.nrec()
	pre := 0
	for pre < n && pre < m && a.recs[pre] == b.recs[pre] {
		pre++
	}
	suf := 0
	for suf < n-pre && suf < m-pre && a.recs[n-1-suf] == b.recs[m-1-suf] {
		suf++
	}
	x0, y0 := pre, pre
	xs, ys := a.recs[pre:n-suf], b.recs[pre:m-suf]
	if !myers(xs, ys, func(x int) { a.setChanged(x0+x, true) }, func(y int) { b.setChanged(y0+y, true) }) {
		for i := range xs {
			a.setChanged(x0+i, true)
		}
		for i := range ys {
			b.setChanged(y0+i, true)
		}
	}
}

// myers finds a shortest edit script from xs to ys and reports each deleted
// line of xs and inserted line of ys. It returns false, reporting nothing,
// when the edit distance exceeds maxCost.
func myers(xs, ys []int, del, ins func(int)) bool {
	n, m := len(xs), len(ys)
	if n == 0 || m == 0 {
		for i := range n {
			del(i)
		}
		for j := range m {
			ins(j)
		}
		return true
	}
	limit := min(n+m, maxCost)
	off := limit + 1
	v := make([]int32, 2*limit+3)
	// trace[d] holds v[k] for k in [-d, d] after step d.
	var trace [][]int32
	end := -1
	for d := 0; d <= limit && end < 0; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = int(v[off+k+1])
			} else {
				x = int(v[off+k-1]) + 1
			}
			y := x - k
			for x < n && y < m && xs[x] == ys[y] {
				x++
				y++
			}
			v[off+k] = int32(x)
			if x >= n && y >= m {
				end = d
			}
		}
		trace = append(trace, append([]int32(nil), v[off-d:off+d+1]...))
	}
	if end < 0 {
		return false
	}
	x, y := n, m
	for d := end; d > 0; d-- {
		prev := trace[d-1] // index k+(d-1)
		at := func(k int) int { return int(prev[k+d-1]) }
		k := x - y
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		px := at(prevK)
		py := px - prevK
		if prevK == k+1 {
			ins(py)
		} else {
			del(px)
		}
		x, y = px, py
	}
	return true
}

// group is a run [start, end) of changed lines, possibly empty.
type group struct{ start, end int }

func groupInit(f *file) group {
	g := group{}
	for f.changed(g.end) {
		g.end++
	}
	return g
}

// next moves g to the following group; false at the end of the file.
func (g *group) next(f *file) bool {
	if g.end == f.nrec() {
		return false
	}
	g.start = g.end + 1
	g.end = g.start
	for f.changed(g.end) {
		g.end++
	}
	return true
}

// previous moves g to the preceding group; false at the start of the file.
func (g *group) previous(f *file) bool {
	if g.start == 0 {
		return false
	}
	g.end = g.start - 1
	g.start = g.end
	for f.changed(g.start - 1) {
		g.start--
	}
	return true
}

// slideDown shifts g one line down when the line after it equals its first
// line, absorbing a following group it touches.
func (g *group) slideDown(f *file) bool {
	if g.end < f.nrec() && f.recs[g.start] == f.recs[g.end] {
		f.setChanged(g.start, false)
		g.start++
		f.setChanged(g.end, true)
		g.end++
		for f.changed(g.end) {
			g.end++
		}
		return true
	}
	return false
}

// slideUp shifts g one line up when the line before it equals its last line.
func (g *group) slideUp(f *file) bool {
	if g.start > 0 && f.recs[g.start-1] == f.recs[g.end-1] {
		g.start--
		f.setChanged(g.start, true)
		g.end--
		f.setChanged(g.end, false)
		for f.changed(g.start - 1) {
			g.start--
		}
		return true
	}
	return false
}

// compact is xdl_change_compact without the indent heuristic: every group
// of changed lines of f is merged with the groups it can reach, then placed
// as low as possible, or level with the last change of other it can align
// with.
func compact(f, other *file) {
	g, o := groupInit(f), groupInit(other)
	for {
		if g.end != g.start {
			var earliestEnd, endMatchingOther int
			for {
				size := g.end - g.start
				endMatchingOther = -1
				for g.slideUp(f) {
					o.previous(other)
				}
				earliestEnd = g.end
				if o.end > o.start {
					endMatchingOther = g.end
				}
				for g.slideDown(f) {
					o.next(other)
					if o.end > o.start {
						endMatchingOther = g.end
					}
				}
				if size == g.end-g.start {
					break
				}
			}
			if g.end != earliestEnd && endMatchingOther != -1 {
				for o.end == o.start {
					g.slideUp(f)
					o.previous(other)
				}
			}
		}
		if !g.next(f) {
			return
		}
		o.next(other)
	}
}

// script collects the hunks of the marked files, in order.
func script(a, b *file) []hunk {
	var out []hunk
	i1, i2 := 0, 0
	for i1 < a.nrec() || i2 < b.nrec() {
		if !a.changed(i1) && !b.changed(i2) {
			i1++
			i2++
			continue
		}
		s1, s2 := i1, i2
		for i1 < a.nrec() && a.changed(i1) {
			i1++
		}
		for i2 < b.nrec() && b.changed(i2) {
			i2++
		}
		out = append(out, hunk{i1: s1, chg1: i1 - s1, i2: s2, chg2: i2 - s2})
	}
	return out
}
