package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/pscinit/psc-init/generator/merge"
	"github.com/pscinit/psc-init/referential"
	"github.com/pscinit/psc-init/templates"
)

// MaxUpgradeFileSize bounds each file upgrade reads from the service.
const MaxUpgradeFileSize = 8 << 20

// Action says what an upgrade does to one file.
type Action string

// Actions of an upgrade, per file.
const (
	// ActionUnchanged: the file already has the right content.
	ActionUnchanged Action = "unchanged"
	// ActionCreate: a new generated file.
	ActionCreate Action = "create"
	// ActionUpdate: a file the user never changed, replaced by the new version.
	ActionUpdate Action = "update"
	// ActionMerge: changed by the user and by psc-init, merged without conflict.
	ActionMerge Action = "merge"
	// ActionConflict: merged with conflict markers for the user to resolve.
	ActionConflict Action = "conflict"
	// ActionRemove: no longer generated and never changed by the user.
	ActionRemove Action = "remove"
	// ActionKeep: left as it is on purpose (see FileChange.Reason).
	ActionKeep Action = "keep"
)

// FileChange is the decision of an upgrade about one path.
type FileChange struct {
	// Path is slash-separated, relative to the service root.
	Path string
	// Action is what the upgrade does with the file.
	Action Action
	// Reason explains ActionKeep and ActionConflict in a few words.
	Reason string
	// Old is the content on disk (nil when missing); New the content to
	// write (nil when nothing is written).
	Old, New []byte
	// Base (when HasBase) and Theirs are the common ancestor and the new
	// generated version of a conflict, for version control tools.
	Base    []byte
	HasBase bool
	Theirs  []byte
}

// UpgradeOptions change how PlanUpgrade regenerates a service.
type UpgradeOptions struct {
	// Answers override the answers recorded in the manifest (e.g. a new
	// --framework); empty values are ignored.
	Answers Answers
	// Aliases maps answer keys older manifests may carry to today's keys;
	// nil means RenamedAnswers().
	Aliases map[string]string
	// Templates replaces the embedded templates (tests).
	Templates fs.FS
	// Render, when set, regenerates the files instead of Generator.Render
	// for every service (tests). It returns the files without base and
	// manifest, sorted by path.
	Render func(spec Spec, from Manifest) (Files, error)
	// RenderAdd regenerates a repository set up by `psc-init add` (manifest
	// mode "add"), whose PSC packages live inside the user's own module; it
	// is a hook because package add builds on this one. Nil refuses such
	// repositories.
	RenderAdd func(spec Spec, from Manifest) (Files, error)
}

// RenamedAnswers maps answer keys renamed since psc-init 0.1.0 to their
// current key, so manifests written before a rename still upgrade. No key
// has been renamed yet; add old → new here when one is.
func RenamedAnswers() map[string]string { return map[string]string{} }

// Upgrade is everything an upgrade will do, computed in memory.
type Upgrade struct {
	// From is the manifest found in the service, To the one written.
	From, To Manifest
	// Changes has one entry per path considered, sorted by path.
	Changes []FileChange
	// Requirements lists the catalogue changes since From.CatalogueVersion.
	Requirements referential.Diff
	// Write holds the files to write (changed ones, the base and the
	// manifest); Remove the paths to delete.
	Write  Files
	Remove []string
	// Conflicts lists the paths left with conflict markers.
	Conflicts []string
	// before holds the content on disk of every path in Write and Remove.
	before map[string][]byte
	// NoBase is set when the service has no usable base (written by psc-init
	// 0.1.0, or damaged): user-changed files then conflict as a whole.
	NoBase bool
}

// Behind reports whether the service differs from what this psc-init
// generates for it: a file to write or remove (the manifest included, e.g.
// for a new version), or requirements changed since its catalogue.
func (u *Upgrade) Behind() bool {
	return len(u.Write) > 0 || len(u.Remove) > 0 || !u.Requirements.Empty()
}

// Before returns the content on disk of a path the upgrade writes or
// removes (nil when it does not exist yet).
func (u *Upgrade) Before(path string) []byte { return u.before[path] }

// Count returns how many changes have action a.
func (u *Upgrade) Count(a Action) int {
	n := 0
	for _, c := range u.Changes {
		if c.Action == a {
			n++
		}
	}
	return n
}

// UnresolvedError is returned while files of the last upgrade still hold
// conflict markers.
type UnresolvedError struct {
	Paths []string
}

// Error names the files and what to do.
func (e *UnresolvedError) Error() string {
	return fmt.Sprintf("%d file(s) still have conflict markers from the last upgrade (%s); fix the markers and run psc-init upgrade again",
		len(e.Paths), strings.Join(e.Paths, ", "))
}

// ConflictLabels are the labels of the conflict markers upgrade writes.
func ConflictLabels() merge.Labels {
	return merge.Labels{Yours: "yours", Base: "base", Theirs: "psc-init v" + Version}
}

// markerLabels matches the markers of any psc-init version.
var markerLabels = merge.Labels{Yours: "yours", Theirs: "psc-init v"}

// PlanUpgrade reads the service in fsys (its root), regenerates it from the
// recorded answers with the current templates and three-way merges every
// file with the user's version, in memory. It writes nothing.
func PlanUpgrade(fsys fs.FS, opts UpgradeOptions) (*Upgrade, error) {
	rawManifest, err := readFile(fsys, ManifestPath)
	if err != nil {
		return nil, err
	}
	if rawManifest == nil {
		return nil, fmt.Errorf("no %s here; run psc-init upgrade in a service generated by psc-init new or add", ManifestPath)
	}
	from, err := ParseManifest(rawManifest)
	if err != nil {
		return nil, fmt.Errorf("%s is damaged (%v); restore it from version control", ManifestPath, err)
	}
	if err := checkManifestPaths(from); err != nil {
		return nil, err
	}
	if err := checkResolved(fsys, from.Conflicts); err != nil {
		return nil, err
	}
	spec, err := upgradeSpec(from, opts)
	if err != nil {
		return nil, err
	}
	render, err := renderer(from, opts)
	if err != nil {
		return nil, err
	}
	rendered, err := render(spec, from)
	if err != nil {
		return nil, fmt.Errorf("cannot generate the service (%v); this is a psc-init bug, please report it", err)
	}
	rawBase, err := readFile(fsys, BasePath)
	if err != nil {
		return nil, err
	}
	base, noBase := parseBaseOrNone(rawBase)

	u := &Upgrade{From: from, NoBase: noBase}
	kept, userDeleted, err := u.decide(fsys, from, rendered, base)
	if err != nil {
		return nil, err
	}
	u.To = NewManifest(spec, kept)
	u.To.Mode = from.Mode
	u.To.UserDeleted = userDeleted
	u.To.Conflicts = u.Conflicts
	records, err := WithRecords(kept, u.To)
	if err != nil {
		return nil, err
	}
	u.before = map[string][]byte{}
	for _, c := range u.Changes {
		u.before[c.Path] = c.Old
		switch {
		case c.Action == ActionRemove:
			u.Remove = append(u.Remove, c.Path)
		case c.New != nil:
			u.Write = append(u.Write, File{Path: c.Path, Data: c.New, Mode: FileMode})
		}
	}
	for _, r := range []struct {
		path string
		old  []byte // as read above: one snapshot of the records
	}{{BasePath, rawBase}, {ManifestPath, rawManifest}} {
		f, _ := records.Get(r.path)
		if !bytes.Equal(r.old, f.Data) {
			u.before[r.path] = r.old
			u.Write = append(u.Write, f)
		}
	}
	u.Requirements, err = requirementChanges(from.CatalogueVersion, spec.Catalogue)
	if err != nil {
		return nil, err
	}
	return u, nil
}

// checkManifestPaths refuses manifests naming paths outside the service, or
// psc-init's own records as generated files.
func checkManifestPaths(m Manifest) error {
	paths := slices.Concat(m.UserDeleted, m.Conflicts)
	for _, f := range m.Files {
		paths = append(paths, f.Path)
	}
	for _, p := range paths {
		if !fs.ValidPath(p) || p == "." || p == ManifestPath || p == BasePath {
			return fmt.Errorf("%s lists the file %q, which is not a generated file of the service; restore the manifest from version control", ManifestPath, p)
		}
	}
	return nil
}

// renderer returns how the service is regenerated: opts.Render, or the
// templates for a service made by new.
func renderer(from Manifest, opts UpgradeOptions) (func(Spec, Manifest) (Files, error), error) {
	if opts.Render != nil {
		return opts.Render, nil
	}
	if from.Mode == ModeAdd {
		// A repository set up by add holds only the PSC packages: re-rendering
		// a whole service into it would clash with the user's own files.
		if opts.RenderAdd == nil {
			return nil, errors.New("this repository was set up by psc-init add, and this build of psc-init cannot regenerate its PSC packages; run the psc-init command line")
		}
		return opts.RenderAdd, nil
	}
	if _, whole := from.File("go.mod"); !whole {
		return nil, fmt.Errorf("%s lists no go.mod and no add mode, so it does not describe a service psc-init generated; restore it from version control", ManifestPath)
	}
	g := Generator{Templates: opts.Templates}
	if g.Templates == nil {
		g.Templates = templates.FS
	}
	return func(spec Spec, _ Manifest) (Files, error) { return g.Render(spec) }, nil
}

// decide fills u.Changes and u.Conflicts with one decision per path known
// to the old manifest or generated now, and returns the generated files to
// record and the paths the user deleted.
func (u *Upgrade) decide(fsys fs.FS, from Manifest, rendered Files, base map[string][]byte) (kept Files, userDeleted []string, err error) {
	deleted := map[string]bool{}
	paths := map[string]bool{}
	for _, p := range from.UserDeleted {
		deleted[p], paths[p] = true, true
	}
	for _, f := range from.Files {
		paths[f.Path] = true
	}
	for _, f := range rendered {
		paths[f.Path] = true
	}
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		disk, err := readFile(fsys, p)
		if err != nil {
			return nil, nil, err
		}
		rec, recorded := from.File(p)
		b, hasBase := base[p]
		if hasBase && (!recorded || rec.SHA256 != sha256Hex(b)) {
			hasBase, b = false, nil // a base entry that does not match its record is not trusted
		}
		in := fileState{path: p, disk: disk, recorded: recorded || deleted[p], rec: rec, base: b, hasBase: hasBase}
		newFile, generated := rendered.Get(p)
		var c FileChange
		switch {
		case !generated:
			c = in.dropped()
		case in.disk == nil && in.recorded:
			c = FileChange{Path: p, Action: ActionKeep, Reason: "deleted by you, not re-created"}
			userDeleted = append(userDeleted, p)
		case newFile.Owner == OwnerUser:
			c = in.userSeam(newFile.Data)
			kept = append(kept, newFile)
		default:
			c = in.generated(newFile.Data)
			kept = append(kept, newFile)
		}
		if c.Action == ActionConflict {
			u.Conflicts = append(u.Conflicts, p)
		}
		u.Changes = append(u.Changes, c)
	}
	return kept, userDeleted, nil
}

// upgradeSpec maps renamed keys of the recorded answers, applies the
// overrides and validates the result.
func upgradeSpec(from Manifest, opts UpgradeOptions) (Spec, error) {
	aliases := opts.Aliases
	if aliases == nil {
		aliases = RenamedAnswers()
	}
	answers := Answers{}
	for k, v := range from.Answers {
		if to, ok := aliases[k]; ok {
			k = to
		}
		answers[k] = v
	}
	answers = answers.Override(opts.Answers)
	spec, err := NewSpec(answers)
	if err != nil {
		return Spec{}, fmt.Errorf("the answers recorded in %s no longer hold (%v); pass the answer as a flag", ManifestPath, err)
	}
	return spec, nil
}

// parseBaseOrNone parses the base recorded beside the manifest, and says
// whether there is none (psc-init 0.1.0) or it is unreadable.
func parseBaseOrNone(data []byte) (map[string][]byte, bool) {
	if data == nil {
		return nil, true
	}
	base, err := ParseBase(data)
	if err != nil {
		return nil, true
	}
	return base, false
}

func requirementChanges(fromVersion string, to Catalogue) (referential.Diff, error) {
	if fromVersion == to.Version {
		return referential.Diff{From: fromVersion, To: to.Version}, nil
	}
	from, err := referential.LoadVersion(fromVersion)
	if err != nil {
		return referential.Diff{}, fmt.Errorf("the manifest names catalogue %s: %v; upgrade with the psc-init release that knows it first", fromVersion, err)
	}
	return referential.Compare(from, to), nil
}

// checkResolved fails while conflicted files of the last upgrade hold markers.
func checkResolved(fsys fs.FS, conflicts []string) error {
	var open []string
	for _, p := range conflicts {
		data, err := readFile(fsys, p)
		if err != nil {
			return err
		}
		if merge.HasConflictMarkers(data, markerLabels) {
			open = append(open, p)
		}
	}
	if len(open) > 0 {
		return &UnresolvedError{Paths: open}
	}
	return nil
}

// readFile reads p from fsys, nil when it does not exist.
func readFile(fsys fs.FS, p string) ([]byte, error) {
	info, err := fs.Stat(fsys, p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("cannot inspect %s (%w); check its permissions", p, err)
	case info.IsDir():
		return nil, fmt.Errorf("%s is a directory where psc-init generates a file; move it away and run again", p)
	case info.Size() > MaxUpgradeFileSize:
		return nil, fmt.Errorf("%s is larger than %d bytes; psc-init cannot merge it, move it away and run again", p, MaxUpgradeFileSize)
	}
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s (%w); check its permissions", p, err)
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}
