package devserver

import (
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
)

// deps remembers what each page made the browser load, so that a change
// reloads only the tabs that could show it. Browsers name the page (or the
// stylesheet, or the module) that asked for a sub-resource in the Referer
// header, so every request is an edge from its referrer to its path; what a
// page uses is everything reachable from it: its stylesheets, their
// @imports and url()s, its scripts and their imports, fetched fragments.
//
// Edges are only ever added: a page that stopped using a file may still be
// reloaded for it, never the other way round. Requests that failed (404)
// count too, so a page that asked for a file before it existed is updated
// when it appears.
type deps struct {
	mu   sync.Mutex
	uses map[string]map[string]struct{} // URL path → URL paths requested with it as referrer
}

func newDeps() *deps { return &deps{uses: make(map[string]map[string]struct{})} }

// observe records the request r.
func (d *deps) observe(r *http.Request) {
	p := urlPath(r.URL.Path)
	from := ""
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		from = urlPath(ref.Path)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.node(p)
	if from != "" && from != p {
		d.node(from)[p] = struct{}{}
	}
}

// alias records that the URL path p is served from the file at the URL
// path real (a symbolic link inside the root, "current -> v2"), so that a
// change to the file, which the watcher reports under its real path, reaches
// the pages that show it under the link's.
func (d *deps) alias(p, real string) {
	if p == real {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.node(p)[real] = struct{}{}
	d.node(real)
}

func (d *deps) node(p string) map[string]struct{} {
	n, ok := d.uses[p]
	if !ok {
		n = make(map[string]struct{})
		d.uses[p] = n
	}
	return n
}

// known reports whether hotserve has served page since it started; what a
// page it has not served uses is unknown, so such a tab gets every update.
func (d *deps) known(page string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.uses[urlPath(page)]
	return ok
}

// usesAny reports whether page, or anything it loaded, directly or through
// other files, is one of the URL paths in changed.
func (d *deps) usesAny(page string, changed map[string]bool) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	seen := map[string]bool{}
	todo := []string{urlPath(page)}
	for len(todo) > 0 {
		p := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		if changed[p] {
			return true
		}
		for q := range d.uses[p] {
			todo = append(todo, q)
		}
	}
	return false
}

// urlPath cleans a decoded URL path, keeping the slash that ends a
// folder's path ("/about/"), which names a different page than "/about".
func urlPath(p string) string {
	c := path.Clean("/" + p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c
}

// changedURLs returns the URL paths under which the changed files are
// served: each path itself and, for an index.html, its folder ("/a/").
func changedURLs(paths []string) map[string]bool {
	urls := make(map[string]bool, len(paths))
	for _, p := range paths {
		urls[p] = true
		if dir, file := path.Split(p); file == "index.html" {
			urls[dir] = true
		}
	}
	return urls
}
