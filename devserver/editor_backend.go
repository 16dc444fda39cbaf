package devserver

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// A build's output names files as its compiler was given them: relative
// to the backend's own folder (its Dir), which need not be the served
// folder, and on Windows with backslashes (`.\main.go:5:2`). An overlay
// from a backend says which one (the build-error's backend), and the
// click hands it back, so that such a name is looked for there.

// backendDir is the folder the backend named name runs in, "" if there is
// no such backend.
func (s *Server) backendDir(name string) string {
	if name == "" {
		return ""
	}
	for _, b := range s.sv.backends {
		if b.name == name {
			if dir, err := filepath.Abs(b.cfg.Dir); err == nil {
				return dir
			}
		}
	}
	return ""
}

// slashName is a relative name from a build's output with forward slashes
// and without a leading "./": on Windows a backslash separates folders
// (filepath.ToSlash), elsewhere it is a letter of the name.
func slashName(name string) string {
	name = filepath.ToSlash(name)
	for len(name) > 2 && name[:2] == "./" {
		name = name[2:]
	}
	return name
}

// inBackend returns the absolute path, and the name to show, of the file
// at the slash-separated relative name in the backend folder dir: in the
// served folder or a mount by their rules when dir lies in one, else a
// regular file under dir by the same rules (no "..", no link out through
// an os.Root, no dotfile or key file unless Dotfiles).
func (s *Server) inBackend(dir, name string) (abs, shown string, ok bool) {
	local := filepath.FromSlash(name)
	if !filepath.IsLocal(local) {
		return "", "", false
	}
	full := filepath.Join(dir, local)
	if p, served := s.files.urlOf(full); served {
		rel, ok := s.files.folderFile(p)
		if !ok {
			return "", "", false
		}
		return s.files.absPath(rel), rel, true
	}
	if !s.files.dotfiles && private(path.Clean("/"+name)) {
		return "", "", false
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return "", "", false
	}
	defer root.Close()
	// No link on the way: one could lead to a dotfile or key file of the
	// dir under a name that is neither.
	for at := local; at != "."; at = filepath.Dir(at) {
		if info, err := root.Lstat(at); err != nil || info.Mode()&fs.ModeSymlink != 0 {
			return "", "", false
		}
	}
	info, err := root.Lstat(local)
	if err != nil || !info.Mode().IsRegular() {
		return "", "", false
	}
	return full, full, true
}
