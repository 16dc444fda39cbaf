package devserver

import (
	"cmp"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Route sends every request under a URL prefix to a backend, whether or
// not the folder has a file there: that is what a route is for. Proxy.URL
// alone, by contrast, gets only what is not a file.
type Route struct {
	// Prefix is the URL path the route owns. "/api" owns /api and /api/…
	// but not /api2; "/api/" owns /api/… and redirects /api to /api/, as
	// nginx does. It must start with "/" and may not be under
	// /__hotserve/. The longest prefix that owns a path wins. Required.
	Prefix string
	// Target is the backend's http:// or https:// URL. Without a path
	// ("http://127.0.0.1:3000") the request's path goes as it is; with one
	// ("http://127.0.0.1:3000/v1/", or just "/") that path replaces
	// Prefix, as nginx's proxy_pass does: /api/x goes to /v1/x. Required.
	Target string
	// Backend names the backend behind Target, an entry of
	// Config.Backends or "backend" for Config.Backend: requests wait
	// while it restarts. Default: Config.Backend when there is one, else
	// none.
	Backend string
}

// pathMap is how a route turns the paths it owns into the backend's and
// back. A request's path is matched decoded when its escaping is the
// standard one (url.URL.RawPath is empty, so it has no %2F), and
// escaped, segment by segment, otherwise, so that an encoded slash stays
// one character of one segment. Redirects are mapped escaped.
type pathMap struct {
	prefix string   // as configured, for messages
	base   string   // Prefix without its trailing "/"; "" for "/"
	segs   []string // base's segments, for paths in a rare escaping
	dir    bool     // Prefix ends in "/": the bare base is redirected
	// replace is whether the target has a path, which then replaces base
	// by to (its path without the trailing "/"); toRoot is that path as
	// written, for a request for the base itself. The esc fields are the
	// same, escaped.
	replace                   bool
	to, toRoot                string
	baseEsc, toEsc, toRootEsc string
}

// newPathMap checks a route's prefix and reads the path of its target.
func newPathMap(i int, prefix string, target *url.URL) (*pathMap, error) {
	field := "Routes[" + strconv.Itoa(i) + "].Prefix"
	switch {
	case !strings.HasPrefix(prefix, "/"):
		return nil, &ConfigError{Field: field, Value: strconv.Quote(prefix), Problem: "must start with /, e.g. /api"}
	case strings.HasPrefix(prefix+"/", "/__hotserve/"):
		return nil, &ConfigError{Field: field, Value: strconv.Quote(prefix), Problem: "is under /__hotserve/, which is hotserve's own; choose another prefix"}
	case strings.ContainsAny(prefix, "?#%\\") || dotSegment(prefix):
		return nil, &ConfigError{Field: field, Value: strconv.Quote(prefix), Problem: "is not a plain URL path; use e.g. /api or /api/"}
	}
	base := strings.TrimSuffix(prefix, "/")
	m := &pathMap{prefix: prefix, base: base, baseEsc: (&url.URL{Path: base}).EscapedPath(), dir: strings.HasSuffix(prefix, "/") && prefix != "/"}
	for s := range strings.SplitSeq(strings.TrimPrefix(base, "/"), "/") {
		m.segs = append(m.segs, s)
	}
	if base == "" {
		m.segs = nil
	}
	if target.Path != "" {
		m.replace = true
		m.toRoot, m.to = target.Path, strings.TrimSuffix(target.Path, "/")
		m.toRootEsc = target.EscapedPath()
		m.toEsc = strings.TrimSuffix(m.toRootEsc, "/")
	}
	return m, nil
}

// rest returns what follows the prefix in a request's path p, "" or
// "/…" (decoded when canonical, else escaped), and whether the route
// owns p at all: /api owns /api and /api/x, not /api2. Compared segment
// by segment, /%61pi is /api while /api%2Fx is not under /api.
func (m *pathMap) rest(p string, canonical bool) (string, bool) {
	if canonical {
		if !strings.HasPrefix(p, m.base) {
			return "", false
		}
		rest := p[len(m.base):]
		return rest, rest == "" || rest[0] == '/'
	}
	i := 0
	for _, want := range m.segs {
		if i >= len(p) || p[i] != '/' {
			return "", false
		}
		end := len(p)
		if j := strings.IndexByte(p[i+1:], '/'); j >= 0 {
			end = i + 1 + j
		}
		if got, err := url.PathUnescape(p[i+1 : end]); err != nil || got != want {
			return "", false
		}
		i = end
	}
	return p[i:], true
}

// outgoing is the path and raw path the backend is asked for, given the
// request's URL; ok is false when the path goes as it is.
func (m *pathMap) outgoing(in *url.URL) (path, rawPath string, ok bool) {
	if !m.replace {
		return "", "", false
	}
	if in.RawPath == "" {
		if rest, _ := m.rest(in.Path, true); rest != "" {
			return m.to + rest, "", true
		}
		return m.toRoot, "", true
	}
	rest, _ := m.rest(in.RawPath, false)
	raw := m.toRootEsc
	if rest != "" {
		raw = m.toEsc + rest
	}
	dec, err := url.PathUnescape(raw)
	if err != nil {
		return "", "", false // the request's own path failed to parse first
	}
	return dec, raw, true
}

// localPath turns an escaped path of the backend's, as a redirect names
// it, into ours: under the target's path it is under the prefix again;
// anything else is returned as it is.
func (m *pathMap) localPath(p string) string {
	if !m.replace {
		return p
	}
	if p == m.toRootEsc || p == m.toEsc {
		return cmp.Or(m.baseEsc+strings.TrimPrefix(p, m.toEsc), "/")
	}
	if rest, ok := strings.CutPrefix(p, m.toEsc+"/"); ok {
		return m.baseEsc + "/" + rest
	}
	return p
}

// localURL maps the path of a redirect to the backend's origin back
// under the route's prefix.
func (m *pathMap) localURL(u *url.URL) {
	to := m.localPath(u.EscapedPath())
	if dec, err := url.PathUnescape(to); err == nil {
		u.Path, u.RawPath = dec, to
	}
}

// localRef maps a path-absolute redirect ("/login?next=…") back under
// the prefix, unless it is under it already: a backend that reads
// X-Forwarded-Prefix says ours itself.
func (m *pathMap) localRef(loc string) string {
	if !m.replace || m.baseEsc != "" && (loc == m.baseEsc || strings.HasPrefix(loc, m.baseEsc+"/") || strings.HasPrefix(loc, m.baseEsc+"?")) {
		return loc
	}
	i := strings.IndexAny(loc, "?#")
	if i < 0 {
		i = len(loc)
	}
	return m.localPath(loc[:i]) + loc[i:]
}

// route is one entry of the routing table: a prefix and its proxy.
type route struct {
	m *pathMap
	p *proxy
}

// routeTable holds the routes longest prefix first, so that the first
// that owns a path is the one that wins.
type routeTable []route

// sortRoutes orders routes for match; two routes on one prefix are an
// error, naming the second.
func sortRoutes(rs routeTable) (routeTable, error) {
	seen := map[string]bool{}
	for _, r := range rs {
		key := r.m.base + strconv.FormatBool(r.m.dir)
		if seen[key] {
			return nil, &ConfigError{Field: "Routes", Value: strconv.Quote(r.m.prefix), Problem: "is given twice; keep one route per prefix"}
		}
		seen[key] = true
	}
	slices.SortStableFunc(rs, func(a, b route) int { return len(b.m.base) - len(a.m.base) })
	return rs, nil
}

// match finds the route that owns r's path and what follows its prefix.
func (rt routeTable) match(r *http.Request) (route, string, bool) {
	p, canonical := r.URL.RawPath, false
	if p == "" {
		p, canonical = r.URL.Path, true
	}
	for _, ro := range rt {
		if rest, ok := ro.m.rest(p, canonical); ok {
			return ro, rest, true
		}
	}
	return route{}, "", false
}

// serveRoute sends r to the route's backend, after two checks the files
// make too: a path that is refused outright, or one with a "." or ".."
// segment once decoded (browsers never send those; a backend might
// resolve them to a path outside the route's target), gets 400; the bare
// prefix of a "/api/" route is redirected to "/api/".
func (ro route) serveRoute(w http.ResponseWriter, r *http.Request, rest string) {
	if badPath(r) || dotSegment(r.URL.Path) {
		http.Error(w, "400 bad request: the path has a . or .. segment, or a character no URL path holds", http.StatusBadRequest)
		return
	}
	if rest == "" && ro.m.dir {
		to := ro.m.baseEsc + "/"
		if r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		// 307, not nginx's 301: a browser keeps a 301 for good, and a
		// route of a dev server is changed at will. 307 keeps a POST one.
		http.Redirect(w, r, to, http.StatusTemporaryRedirect)
		return
	}
	ro.p.ServeHTTP(w, r)
}

// dotSegment reports whether the decoded path p has a "." or ".."
// segment, also with path parameters after it ("..;x"), which Java
// servlet containers take for ".." too.
func dotSegment(p string) bool {
	for s := range strings.SplitSeq(p, "/") {
		if s, _, _ = strings.Cut(s, ";"); s == "." || s == ".." {
			return true
		}
	}
	return false
}

// canonicalRoute returns, for a path with empty segments ("//api/x") that
// a route owns once they are gone, the path without them, which r is sent
// to (307, as serveRoute's redirect, which a browser does not keep): the files clean a path so, and a route must own its prefix
// whatever the spelling, or //api/x would reach the folder's api/x.
func (rt routeTable) canonicalRoute(r *http.Request) (string, bool) {
	if len(rt) == 0 || !strings.Contains(r.URL.Path, "//") {
		return "", false
	}
	esc := r.URL.EscapedPath()
	for strings.Contains(esc, "//") {
		esc = strings.ReplaceAll(esc, "//", "/")
	}
	u, err := url.Parse(esc)
	if err != nil {
		return "", false
	}
	clean := *r
	clean.URL = u
	if _, _, ok := rt.match(&clean); !ok {
		return "", false
	}
	if r.URL.RawQuery != "" {
		esc += "?" + r.URL.RawQuery
	}
	return esc, true
}

// mapPath gives the outgoing request of a route the backend's path, and
// says in X-Forwarded-Prefix which prefix was taken off, for backends
// that build their own URLs (Spring, Express behind a proxy, …).
func (p *proxy) mapPath(pr *httputil.ProxyRequest) {
	path, raw, ok := p.m.outgoing(pr.In.URL)
	if !ok {
		return // the path goes as it is, as SetURL left it
	}
	pr.Out.URL.Path, pr.Out.URL.RawPath = path, raw
	if p.m.baseEsc != "" {
		pr.Out.Header.Set("X-Forwarded-Prefix", p.m.baseEsc)
	}
}

// checkHiddenMounts refuses a mount that a route would hide whole: a route
// owns its prefix before the files, so a mount at or under it would never
// be served.
func checkHiddenMounts(mounts []Mount, routes []Route) error {
	for _, r := range routes {
		base := strings.TrimSuffix(r.Prefix, "/")
		for _, m := range mounts {
			if m.Prefix == base || strings.HasPrefix(m.Prefix, base+"/") {
				return &ConfigError{Field: "Mounts", Value: strconv.Quote(m.Prefix), Problem: fmt.Sprintf("is under the proxy route %s, which takes its requests first; mount it elsewhere or narrow the route", r.Prefix)}
			}
		}
	}
	return nil
}
