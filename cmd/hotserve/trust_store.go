package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/hotserve/hotserve/internal/userdata"
)

// trustFileName is the trust store, in the user's data folder.
const trustFileName = "trusted-settings.json"

// trustStore is the settings files the person trusts, each by its absolute
// path and the SHA-256 of the content they saw: an edit changes the hash,
// so the edited file is untrusted again. Only the person writes it, with
// hotserve trust-config, or by answering y when asked.
type trustStore struct {
	Files []trustedFile `json:"files"`
}

type trustedFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// loadTrust reads the trust store; none yet is an empty one. A store that
// cannot be read, or is damaged, trusts nothing and says so in its error.
func loadTrust() (trustStore, error) {
	var s trustStore
	data, err := userdata.ReadFile(trustFileName)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return s, nil
	case err != nil:
		return s, fmt.Errorf("cannot read the trust store: %v; every settings file counts as untrusted", err)
	}
	err = json.Unmarshal(data, &s)
	if err == nil && slices.ContainsFunc(s.Files, func(f trustedFile) bool { return !validHash(f.SHA256) || !filepath.IsAbs(f.Path) }) {
		err = errors.New("an entry lacks its absolute path or SHA-256")
	}
	if err != nil {
		dir, _ := userdata.Dir()
		return trustStore{}, fmt.Errorf("the trust store %s is damaged (%v); every settings file counts as untrusted until hotserve trust-config rewrites it",
			filepath.Join(dir, trustFileName), err)
	}
	return s, nil
}

func validHash(h string) bool {
	b, err := hex.DecodeString(h)
	return err == nil && len(b) == sha256.Size
}

func contentHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// trusts reports whether the file at the absolute path, holding data, is
// trusted.
func (s trustStore) trusts(path string, data []byte) bool {
	return slices.Contains(s.Files, trustedFile{Path: path, SHA256: contentHash(data)})
}

// grant trusts the file at path as data holds it, and only so: trust given
// before for other content of it ends.
func (s *trustStore) grant(path string, data []byte) {
	s.revoke(path)
	s.Files = append(s.Files, trustedFile{Path: path, SHA256: contentHash(data)})
}

// revoke ends every trust in the file at path, reporting whether there was
// any.
func (s *trustStore) revoke(path string) bool {
	n := len(s.Files)
	s.Files = slices.DeleteFunc(s.Files, func(f trustedFile) bool { return f.Path == path })
	return len(s.Files) < n
}

// save replaces the store on disk, whole.
func (s trustStore) save() error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return userdata.WriteFile(trustFileName, append(data, '\n'))
}

// isTrusted reports whether the settings file at the absolute path, as
// data holds it, is trusted; err says why the store could not tell.
func isTrusted(path string, data []byte) (bool, error) {
	s, err := loadTrust()
	return err == nil && s.trusts(path, data), err
}
