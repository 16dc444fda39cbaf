package devserver

import (
	"io/fs"
	"net/http"
	"path"
)

// lookup is what the folder says about a request's path, found once per
// request: the dependency tracking (updates.observe) and the file server
// both need it, and each system call it takes is a good part of what
// serving a small file costs.
type lookup struct {
	bad       bool   // the path is refused outright (see badPath)
	name, rel string // the cleaned URL path, and its name for os.Root
	// final is where symbolic links inside the root lead name, when
	// finalOK (see finalPath).
	final   string
	finalOK bool
	denied  bool // answered 404 whatever is there (see denied)
	// info and err are the root's Stat of rel, unless bad or denied.
	info fs.FileInfo
	err  error
}

// look finds what f has at r's path.
func (f *fileServer) look(r *http.Request) lookup {
	if badPath(r) {
		return lookup{bad: true}
	}
	lk := lookup{name: path.Clean("/" + r.URL.Path)}
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
