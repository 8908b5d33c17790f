package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
	// Files lists every generated file but the manifest, sorted by path.
	Files []ManifestFile `json:"files"`
}

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
// not contain the manifest itself).
func NewManifest(spec Spec, files Files) Manifest {
	m := Manifest{
		PSCInitVersion:   Version,
		CatalogueVersion: spec.Catalogue.Version,
		Answers:          spec.Answers(),
		Files:            make([]ManifestFile, 0, len(files)),
	}
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		m.Files = append(m.Files, ManifestFile{Path: f.Path, SHA256: hex.EncodeToString(sum[:]), Owner: f.Owner})
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

// ParseManifest decodes a manifest written by Marshal.
func ParseManifest(data []byte) (Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("decode manifest: %w", err)
	}
	return m, nil
}
