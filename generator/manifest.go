package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
)

// ManifestPath is where the manifest is written, relative to the service root.
const ManifestPath = ".psc-init/manifest.json"

// Manifest records what was generated, from which answers and versions. It
// is deterministic (no timestamps) and holds no secrets: answers only name
// the environment variables that carry them.
type Manifest struct {
	// PSCInitVersion is the Version that generated the files.
	PSCInitVersion string `json:"psc_init_version"`
	// CatalogueVersion is the version of the requirement catalogue used.
	CatalogueVersion string `json:"catalogue_version"`
	// Answers are the complete answers (defaults included).
	Answers Answers `json:"answers"`
	// Files lists every generated file but the manifest and the base, sorted
	// by path.
	Files []ManifestFile `json:"files"`
	// Mode is how the service was set up: ModeAdd for `psc-init add`; empty
	// for `psc-init new`.
	Mode string `json:"mode,omitempty"`
	// UserDeleted lists generated files the user deleted, sorted: upgrade
	// does not re-create them. They are not in Files nor in the base.
	UserDeleted []string `json:"user_deleted,omitempty"`
	// Conflicts lists the files the last upgrade left with conflict markers,
	// sorted; upgrade fails until the markers are gone.
	Conflicts []string `json:"conflicts,omitempty"`
}

// ModeAdd marks the manifest of a repository set up by `psc-init add`.
const ModeAdd = "add"

// ManifestFile is the record of one generated file.
type ManifestFile struct {
	// Path is slash-separated, relative to the service root.
	Path string `json:"path"`
	// SHA256 is the hex SHA-256 of the content as generated.
	SHA256 string `json:"sha256"`
	// Owner says whether upgrade regenerates the file or leaves it to the user.
	Owner Owner `json:"owner"`
}

// NewManifest records spec and files (which must be sorted by path and must
// not contain the manifest or the base).
func NewManifest(spec Spec, files Files) Manifest {
	m := Manifest{
		PSCInitVersion:   Version,
		CatalogueVersion: spec.Catalogue.Version,
		Answers:          spec.Answers(),
		Files:            make([]ManifestFile, 0, len(files)),
	}
	for _, f := range files {
		m.Files = append(m.Files, ManifestFile{Path: f.Path, SHA256: sha256Hex(f.Data), Owner: f.Owner})
	}
	return m
}

// Marshal encodes m as indented JSON with a final newline; map keys are sorted
// by encoding/json, so the output is deterministic.
func (m Manifest) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	return append(b, '\n'), nil
}

// ParseManifest decodes a manifest written by Marshal, by this or an older
// psc-init.
func ParseManifest(data []byte) (Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("decode manifest: %w", err)
	}
	if m.PSCInitVersion == "" || m.Answers == nil {
		return Manifest{}, errors.New("decode manifest: no psc_init_version or answers")
	}
	return m, nil
}

// File returns the record of path.
func (m Manifest) File(path string) (ManifestFile, bool) {
	for _, f := range m.Files {
		if f.Path == path {
			return f, true
		}
	}
	return ManifestFile{}, false
}

// sha256Hex is the hex SHA-256 of data, as recorded in manifests.
func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
