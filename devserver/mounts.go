package devserver

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Mount serves one more folder under a URL prefix, with the same rules as
// Root: confined with os.Root (its symbolic links are judged against its
// own folder), dotfiles and key files not found.
type Mount struct {
	// Prefix is the URL path the folder is served at, such as "/vendor"
	// or "/lib/ui" (a trailing slash is dropped). The longest prefix of a
	// request's path wins, and a mount hides whatever the root (or a
	// shorter mount) has under its prefix. "/" and /__hotserve/ are not
	// prefixes a mount may take.
	Prefix string
	// Dir is the folder, which must exist. It may lie inside Root (a
	// package under node_modules, say), but may not hold Root.
	Dir string
}

// CheckMounts validates the mounts of a server of the folder root, with
// dotfiles served when dotfiles is set, and returns them with prefixes
// without a trailing slash. Its error is a *ConfigError for the field
// "Mounts" whose Value is the mount's prefix, quoted.
func CheckMounts(root string, mounts []Mount, dotfiles bool) ([]Mount, error) {
	out := make([]Mount, 0, len(mounts))
	for _, m := range mounts {
		fail := func(problem string, err error) error {
			return &ConfigError{Field: "Mounts", Value: strconv.Quote(m.Prefix), Problem: problem, Err: err}
		}
		prefix, problem := checkPrefix(m.Prefix, dotfiles)
		if problem != "" {
			return nil, fail(problem, nil)
		}
		if slices.ContainsFunc(out, func(o Mount) bool { return o.Prefix == prefix }) {
			return nil, fail("is the prefix of two mounts; give each mount its own", nil)
		}
		if problem, err := checkMountDir(root, m.Dir); problem != "" {
			return nil, fail(problem, err)
		}
		out = append(out, Mount{Prefix: prefix, Dir: m.Dir})
	}
	return out, nil
}

// checkPrefix returns the URL path p without a trailing slash, or says
// what is wrong with it.
func checkPrefix(p string, dotfiles bool) (string, string) {
	trimmed := strings.TrimSuffix(p, "/")
	switch {
	case p == "/":
		return "", "would hide the whole served folder; give a prefix such as /vendor, or serve the other folder instead"
	case !strings.HasPrefix(p, "/") || path.Clean(trimmed) != trimmed || !utf8.ValidString(p) || strings.ContainsAny(p, "?#\\\x00"):
		return "", `is not a URL path; give one that starts with "/", such as /vendor, without "..", "//", "?", "#" or "\"`
	case trimmed+"/" == prefix || strings.HasPrefix(trimmed, prefix):
		return "", "is under " + prefix + ", where hotserve serves its own pages; give another prefix"
	case aliasName(trimmed):
		return "", "holds a name that Windows and FAT or NTFS drives read as another (a ':', a trailing dot or space, a device or 8.3 short name); give another prefix"
	case !dotfiles && private(trimmed):
		return "", "holds a dotfile or key-file name, which is never served; give another prefix, or serve dotfiles"
	}
	return trimmed, ""
}

// checkMountDir says what is wrong with dir as a mount of a server of
// root, or "" when nothing is.
func checkMountDir(root, dir string) (string, error) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("names a folder that does not exist (%s); give an existing folder", dir), err
	case err != nil:
		return fmt.Sprintf("names a folder that cannot be read (%s): %v", dir, err), err
	case !info.IsDir():
		return fmt.Sprintf("names a file (%s), not a folder; give the folder that holds it", dir), nil
	}
	realDir, err1 := filepath.EvalSymlinks(dir)
	realRoot, err2 := filepath.EvalSymlinks(root)
	if err1 != nil || err2 != nil {
		return "", nil // the root's own error comes from opening it
	}
	if rel, err := filepath.Rel(realDir, realRoot); err == nil && filepath.IsLocal(rel) || rel == "." {
		return fmt.Sprintf("names a folder that holds the served folder (%s), whose files it would serve a second time; mount a folder beside or inside it", dir), nil
	}
	return "", nil
}

// openMounts opens each of cfg's mounts (checked by CheckMounts) as a
// tree of f, longest prefix first.
func (f *fileServer) openMounts(cfg Config, tag string) error {
	for _, m := range cfg.Mounts {
		t, err := openTree(m.Dir, cfg, tag)
		if err != nil {
			return fmt.Errorf("devserver: cannot serve the mount %s: %w", m.Prefix, err)
		}
		t.at, t.top = m.Prefix, f
		f.mounts = append(f.mounts, t)
	}
	slices.SortStableFunc(f.mounts, func(a, b *fileServer) int { return len(b.at) - len(a.at) })
	return nil
}

// mounted returns the tree the cleaned URL path name falls in, and name
// within it: the mount with the longest prefix of name, or the root. With
// no mounts this is one length check.
func (f *fileServer) mounted(name string) (*fileServer, string) {
	for _, m := range f.mounts {
		rest, ok := strings.CutPrefix(name, m.at)
		if !ok {
			continue
		}
		if rest == "" {
			return m, "/"
		}
		if rest[0] == '/' {
			return m, rest
		}
	}
	return f, name
}

// url is the URL path of name, a cleaned path within the tree f.
func (f *fileServer) url(name string) string {
	switch {
	case f.at == "":
		return name
	case name == "/":
		return f.at + "/"
	}
	return f.at + name
}

// mountEntries are the listing entries of the mounts whose prefix is a
// folder in the listing of the folder at URL path dir ("/" or "/a/"): the
// top folder of each, which hides what the tree has by that name.
func (f *fileServer) mountEntries(dir string) []entry {
	top := f
	if f.top != nil {
		top = f.top
	}
	var es []entry
	for _, m := range top.mounts {
		if parent, base := path.Split(m.at); parent == dir {
			es = append(es, entry{Name: base + "/", Href: (&url.URL{Path: base + "/"}).String(), dir: true})
		}
	}
	return es
}

// byURL is f with its mounts as one tree whose names are URL paths
// relative to "/" ("vendor/lib.css"), as a watcher.Batch names them.
func (f *fileServer) byURL() tree { return urlTree{f} }

// urlTree is a fileServer's root and mounts as one tree (see byURL).
type urlTree struct{ f *fileServer }

func (u urlTree) at(name string) (tree, string) {
	t, rel := u.f.mounted(path.Clean("/" + name))
	return t.root, "." + rel
}

func (u urlTree) Open(name string) (*os.File, error) {
	t, rel := u.at(name)
	return t.Open(rel)
}

func (u urlTree) Stat(name string) (fs.FileInfo, error) {
	t, rel := u.at(name)
	return t.Stat(rel)
}

func (u urlTree) Lstat(name string) (fs.FileInfo, error) {
	t, rel := u.at(name)
	return t.Lstat(rel)
}

func (u urlTree) Readlink(name string) (string, error) {
	t, rel := u.at(name)
	return t.Readlink(rel)
}

// Close does nothing: the fileServer owns the trees.
func (u urlTree) Close() error { return nil }
