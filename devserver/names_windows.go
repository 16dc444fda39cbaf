package devserver

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows"
)

// namesFold is true: NTFS folds letter case and opens a file by its 8.3
// short name, so exactName always runs.
const namesFold = true

// forbiddenChar reports a character Windows forbids in file names: < > "
// | ? * and the control characters. No file is named so, and * ? < > " are
// wildcards to the directory search in hasEntry.
func forbiddenChar(seg string) bool {
	for i := 0; i < len(seg); i++ {
		if seg[i] < 0x20 || strings.IndexByte(`<>"|?*`, seg[i]) >= 0 {
			return true
		}
	}
	return false
}

// hasEntry reports whether the folder dir (relative to the root) holds an
// entry named exactly name. FindFirstFile finds the entry through any case
// or short name and returns its real name (the long one, in its own case),
// so one lookup answers without reading the whole folder.
func (f *fileServer) hasEntry(dir, name string) (bool, error) {
	p, err := windows.UTF16PtrFromString(longPath(filepath.Join(f.dir, filepath.FromSlash(dir), name)))
	if err != nil {
		return false, err
	}
	var data windows.Win32finddata
	h, err := windows.FindFirstFile(p, &data)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	windows.FindClose(h)
	return windows.UTF16ToString(data.FileName[:]) == name, nil
}

// longPath prefixes the absolute path p with \\?\, which lifts the
// 260-character limit and turns off Win32's name rewriting (the names
// reaching here have passed aliasName anyway).
func longPath(p string) string {
	switch {
	case strings.HasPrefix(p, `\\?\`):
		return p
	case strings.HasPrefix(p, `\\`):
		return `\\?\UNC\` + p[2:]
	}
	return `\\?\` + p
}
