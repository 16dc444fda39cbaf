package devserver

import (
	"io/fs"
	"net/http"
	"path"
	"path/filepath"
)

// lookup is what the folder says about a request's path, found once per
// request: the dependency tracking (updates.observe) and the file server
// both need it, and each system call it takes is a good part of what
// serving a small file costs.
type lookup struct {
	bad bool // the path is refused outright (see badPath)
	// tree is the folder the path falls in: the root, or the mount with
	// the longest prefix of it (see mounted).
	tree *fileServer
	// name is the cleaned URL path within tree (its prefix taken off for
	// a mount), and rel its name for os.Root.
	name, rel string
	// final is where symbolic links inside the root lead name, when
	// finalOK (see finalPath).
	final   string
	finalOK bool
	denied  bool // answered 404 whatever is there (see denied)
	// info and err are the root's Stat of rel, unless bad or denied.
	info fs.FileInfo
	err  error
}

// look finds what f, with its mounts, has at r's path.
func (f *fileServer) look(r *http.Request) lookup {
	if badPath(r) {
		return lookup{bad: true, tree: f}
	}
	t, name := f.mounted(path.Clean("/" + r.URL.Path))
	return t.lookIn(name)
}

// lookIn finds what the tree f has at the cleaned path name, relative to
// it.
func (f *fileServer) lookIn(name string) lookup {
	lk := lookup{tree: f, name: name}
	lk.rel = "." + lk.name // os.Root takes relative names; "/" becomes "./"
	var info fs.FileInfo
	lk.final, info, lk.finalOK = f.resolve(lk.name)
	lk.denied = f.deniedAt(lk.name, lk.final, lk.finalOK)
	switch {
	case lk.denied:
	case lk.finalOK && info != nil && !f.exact:
		lk.info = info // the final path's Lstat: what Stat would say
	default:
		lk.info, lk.err = f.stat(lk.name, lk.rel)
	}
	return lk
}

// finalURL is the URL path that symbolic links inside the tree lead the
// path to, when finalOK and the links stay in the tree.
func (lk lookup) finalURL() (string, bool) {
	if !lk.finalOK || filepath.IsAbs(lk.final) {
		return "", false
	}
	return lk.tree.url("/" + lk.final), true
}
