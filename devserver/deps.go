package devserver

import (
	"container/list"
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
// reloaded for it, never the other way round. A request that failed (404)
// from a page hotserve served counts too, so a page that asked for a file
// before it existed is updated when it appears.
//
// Everything here comes from requests, which any web page can make, so it
// is bounded (see the limits below) and only what our own pages ask for is
// kept: a request from another site (by its Referer or Sec-Fetch-Site)
// adds nothing, and a request with no file behind it adds nothing but an
// edge from a page already known. Where a bound loses something, deps
// answers "in doubt": the tab gets the update. It never answers "no" for
// a page it has forgotten part of.
type deps struct {
	mu    sync.Mutex
	nodes map[string]*list.Element // URL path → its element of lru, a *depNode
	lru   list.List                // front: the node used last
	bytes int                      // what the nodes hold, as nodeBytes and edgeBytes count it
	// lost is set once a node with edges was evicted: a path reached
	// from a page whose node is gone may have led further, so from then
	// on reaching one is in doubt.
	lost bool
}

// The bounds on deps. A real site has a few thousand files and a page uses
// a few hundred of them; the bounds are several times that, so a site
// never meets them, while a page (or a LAN client) that sends endless
// unique paths holds at most maxDepBytes.
const (
	// maxPathLen caps the length of a recorded path, and of a tab's
	// page=: real URL paths are far shorter, and a longer one is not
	// recorded (its page is unknown and gets every update).
	maxPathLen = 2 << 10
	// maxDepNodes caps the paths remembered: twice a large site's files.
	maxDepNodes = 8192
	// maxDepEdges caps what one page, stylesheet or module is remembered
	// to use: a page using a few hundred files, with room. One that asks
	// for more is marked full and gets every update.
	maxDepEdges = 1024
	// maxDepBytes caps the whole, so that even nodes and edges of the
	// longest paths fit in a few MB; the least recently used nodes go
	// first.
	maxDepBytes = 8 << 20
	// nodeBytes and edgeBytes estimate what a node and an edge cost
	// besides their path: map entries, a list element, the node itself.
	nodeBytes = 160
	edgeBytes = 48
)

// depNode is one URL path and what was requested with it as referrer.
type depNode struct {
	path  string
	uses  map[string]struct{}
	full  bool // it asked for more than maxDepEdges
	bytes int
}

func newDeps() *deps { return &deps{nodes: make(map[string]*list.Element)} }

// observe records the request r; found says whether a file or folder is
// behind it. A request without a Referer is a navigation (or a page's
// own): it makes its path known when found. One from a page of ours adds
// an edge from that page, if known, found or not.
func (d *deps) observe(r *http.Request, found bool) {
	p := urlPath(r.URL.Path)
	from, ours := referrer(r)
	if len(p) > maxPathLen || !ours {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	defer d.trim()
	if found {
		d.touch(p)
	}
	if e, ok := d.nodes[from]; ok && from != p {
		d.lru.MoveToFront(e)
		d.addEdge(e.Value.(*depNode), p)
	}
}

// referrer returns the URL path of the page of ours that r names as its
// referrer ("" when it names none), and ours false when r comes from
// another site, by Referer or by Sec-Fetch-Site (which a browser sends
// even when a page withholds the Referer).
func referrer(r *http.Request) (from string, ours bool) {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return "", false
	}
	if r.Referer() == "" {
		return "", true
	}
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host {
		return "", false
	}
	if ref.Path == "" || len(ref.Path) > maxPathLen {
		return "", true
	}
	return urlPath(ref.Path), true
}

// alias records that the URL path p is served from the file at the URL
// path real (a symbolic link inside the root, "current -> v2"), so that a
// change to the file, which the watcher reports under its real path, reaches
// the pages that show it under the link's.
func (d *deps) alias(p, real string) {
	if p == real || len(p) > maxPathLen || len(real) > maxPathLen {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.touch(real)
	d.addEdge(d.touch(p), real)
	d.trim()
}

// touch returns the node of p, made if new, as the one used last.
func (d *deps) touch(p string) *depNode {
	if e, ok := d.nodes[p]; ok {
		d.lru.MoveToFront(e)
		return e.Value.(*depNode)
	}
	n := &depNode{path: p, uses: make(map[string]struct{}), bytes: nodeBytes + len(p)}
	d.nodes[p] = d.lru.PushFront(n)
	d.bytes += n.bytes
	return n
}

// addEdge records that n used p, or marks n full.
func (d *deps) addEdge(n *depNode, p string) {
	if _, ok := n.uses[p]; ok || n.full {
		return
	}
	if len(n.uses) == maxDepEdges {
		n.full = true
		return
	}
	n.uses[p] = struct{}{}
	n.bytes += edgeBytes + len(p)
	d.bytes += edgeBytes + len(p)
}

// trim evicts the nodes used longest ago until deps is within its bounds.
// The node used last is never evicted: one node fits maxDepBytes.
func (d *deps) trim() {
	for len(d.nodes) > maxDepNodes || d.bytes > maxDepBytes {
		n := d.lru.Remove(d.lru.Back()).(*depNode)
		delete(d.nodes, n.path)
		d.bytes -= n.bytes
		if len(n.uses) > 0 || n.full {
			d.lost = true
		}
	}
}

// known reports whether hotserve has served page since it started (and
// still remembers it); what a page it has not served uses is unknown, so
// such a tab gets every update.
func (d *deps) known(page string) bool {
	p := urlPath(page)
	if len(p) > maxPathLen {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	e, ok := d.nodes[p]
	if ok {
		d.lru.MoveToFront(e) // a page with an open tab stays
	}
	return ok
}

// served reports whether hotserve served the URL path p to a page, as
// far as it remembers: when it may have forgotten, it says it did.
func (d *deps) served(p string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.nodes[p]
	return ok || d.lost
}

// usesAny reports whether page, or anything it loaded, directly or through
// other files, is one of the URL paths in changed, or may be: a full node,
// or one forgotten since, could lead anywhere.
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
		e, ok := d.nodes[p]
		if !ok {
			if d.lost {
				return true
			}
			continue
		}
		n := e.Value.(*depNode)
		if n.full {
			return true
		}
		for q := range n.uses {
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
