package devserver

import (
	"errors"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// SPA is the fallback of a single-page app, whose router draws its pages
// from the URL in the browser: a navigation to /admin/users/7, which is no
// file, must get the app's page, or a reload on any route but / is a 404.
type SPA struct {
	// On serves, for a navigation to a path with no file, the nearest
	// index.html up the path: admin/index.html for /admin/users/7 if
	// there is one, else index.html. Default: false.
	On bool
	// File, when set, is served instead of the nearest index.html: the
	// path of an HTML page in Root ("app.html", "dist/shell.html"). It
	// must exist when New is called. Setting it implies On.
	// Default: "".
	File string
}

// spa is a checked SPA.
type spa struct {
	// file is the URL path of SPA.File, "" for the nearest index.html.
	file string
}

// newSPA checks cfg.SPA against the folder f serves; it returns nil when
// the fallback is off.
func newSPA(cfg SPA, f *fileServer) (*spa, error) {
	if !cfg.On && cfg.File == "" {
		return nil, nil
	}
	if cfg.File == "" {
		return &spa{}, nil
	}
	bad := func(problem string) error {
		return &ConfigError{Field: "SPA.File", Value: strconv.Quote(cfg.File), Problem: problem}
	}
	rel := path.Clean(strings.TrimPrefix(strings.ReplaceAll(cfg.File, `\`, "/"), "/"))
	if !fs.ValidPath(rel) || rel == "." {
		return nil, bad("is not a path inside the served folder; give the app's page relative to it, such as app.html")
	}
	name := "/" + rel
	if !isHTML(name) {
		return nil, bad("is not an HTML page; give an .html file in the served folder, such as app.html")
	}
	if private(name) || aliasName(name) {
		return nil, bad("is a dotfile or a name hotserve never serves; give an .html file in the served folder, such as app.html")
	}
	if info, err := f.stat(name, "."+name); err != nil || !info.Mode().IsRegular() || f.denied(name) {
		return nil, bad("is not a file in the served folder; give the path of the app's page relative to it, such as app.html")
	}
	return &spa{file: name}, nil
}

// serveSPA answers r with the fallback page when r is a navigation to a
// path with no file behind it (lk), and reports whether it did. The page
// is served as that file, injected and with its strong ETag, and the
// dependency tracking takes the tab on r's path as showing it, so that
// an edit of the page reloads the tab and its stylesheets swap in place:
// the page's own requests name r's path as their Referer.
func (s *Server) serveSPA(w http.ResponseWriter, r *http.Request, lk lookup) bool {
	if s.spa == nil || !s.spa.misses(r, lk) {
		return false
	}
	page, ok := s.spa.page(s.files, lk)
	if !ok {
		return false
	}
	// What r's path itself is behind: nothing, but the Referer's edge to
	// it counts, and the page is told its server and epoch.
	s.updates.observe(w, r, lookup{tree: lk.tree, name: lk.name, err: fs.ErrNotExist})
	if ownNavigation(r) {
		s.updates.deps.alias(urlPath(r.URL.Path), page)
	}
	// The same URL answers a script's fetch with 404.
	w.Header().Add("Vary", "Accept, Sec-Fetch-Mode")
	pr := pageRequest(r, page)
	s.files.serve(w, pr, s.files.look(pr))
	return true
}

// pageRequest is r asking for the URL path page instead.
func pageRequest(r *http.Request, page string) *http.Request {
	r2 := *r
	u := *r.URL
	u.Path, u.RawPath = page, ""
	r2.URL = &u
	return &r2
}

// misses reports whether r, looked up as lk, is a navigation that the
// fallback answers: a browser's GET or HEAD for a page, to a path that is
// not found, but was not refused either. Never for a path through a
// dotfile, a key file or a denied name (whatever Security.Dotfiles says: /.well-known/ paths
// are never an app's routes), nor for a path whose last part has the
// extension of a file that is not a page (/missing.js, /img/x.png), which
// is a broken link to an asset and stays a 404.
func (sp *spa) misses(r *http.Request, lk lookup) bool {
	if lk.bad || lk.denied || lk.found(r) || errors.Is(lk.err, fs.ErrPermission) {
		return false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead || !spaNavigation(r) {
		return false
	}
	name := lk.tree.url(lk.name)
	if strings.HasPrefix(name+"/", prefix) || privateOnTheWay(name) || aliasName(name) {
		return false
	}
	ct := knownType(name)
	return ct == "" || strings.HasPrefix(ct, "text/html")
}

// privateOnTheWay reports whether the cleaned path name, or a folder on
// its way, is private: a key file's name is private only as the last part
// of a path, but /deploy/id_rsa/x is no route of an app either.
func privateOnTheWay(name string) bool {
	for i := len(name); i > 0; i = strings.LastIndexByte(name[:i], '/') {
		if private(name[:i]) {
			return true
		}
	}
	return false
}

// spaNavigation reports whether r is a person's navigation:
// Sec-Fetch-Mode is "navigate", or a request with no Fetch metadata at all
// (plain HTTP to a LAN address, a command-line client) accepts HTML. htmx
// asks for HTML too, for fragments, and says so. The client's fetch of
// its own page for a morph stands for a navigation and says so too (a
// custom header, which no other site's page can send without CORS).
func spaNavigation(r *http.Request) bool {
	if r.Header.Get("HX-Request") != "" {
		return false
	}
	if r.Header.Get("X-Hotserve-Page") == "1" && r.Header.Get("Sec-Fetch-Site") != "cross-site" {
		return true
	}
	if mode := r.Header.Get("Sec-Fetch-Mode"); mode != "" {
		return mode == "navigate"
	}
	for name := range r.Header {
		if strings.HasPrefix(name, "Sec-Fetch-") {
			return false
		}
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// page returns the URL path of the page that answers a navigation to the
// path lk found nothing at: SPA.File, or the nearest index.html up the URL
// path, in whichever folder serves each level (a mount's own index.html
// first, then the served folder's above its prefix). ok is false when
// there is none to serve.
func (sp *spa) page(f *fileServer, lk lookup) (page string, ok bool) {
	if sp.file != "" {
		return sp.file, true
	}
	for dir := path.Dir(lk.tree.url(lk.name)); ; dir = path.Dir(dir) {
		t, name := f.mounted(dir)
		if t.hasIndex(name, "."+name) {
			return path.Join(dir, "index.html"), true
		}
		if dir == "/" {
			return "", false
		}
	}
}

// ownNavigation reports whether r is a navigation the person made in this
// server's tabs, which hotserve may remember as a route of the app: typed,
// bookmarked or followed from one of its own pages. Another site's pages
// (an iframe of a route it makes up) say cross-site and are not
// remembered; a tab hotserve does not know gets every update instead.
func ownNavigation(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "none", "same-origin":
		return true
	}
	return false
}

// spaTakes reports whether a request that the catch-all proxy would take
// is a navigation the fallback answers instead: the order is a file, then
// the fallback for a navigation, then the backend, so that the address
// bar gets the app on every route while a script's fetch of the same
// path reaches the backend. With Proxy.All the backend takes everything.
func (s *Server) spaTakes(r *http.Request) bool {
	if s.spa == nil || s.sv.all {
		return false
	}
	lk := s.files.look(r)
	if !s.spa.misses(r, lk) {
		return false
	}
	_, ok := s.spa.page(s.files, lk)
	return ok
}
