package devserver

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// spaSite serves a small app, with the Config changed by tune, and
// returns its server and address.
func spaSite(t *testing.T, tune func(*Config)) (*Server, string) {
	t.Helper()
	root := t.TempDir()
	write(t, root, map[string]string{
		"index.html":            "<!doctype html><title>root</title><p>root page</p>",
		"admin/index.html":      `<!doctype html><title>admin</title><link rel="stylesheet" href="/admin/app.css"><p>admin page</p>`,
		"admin/app.css":         "p { color: red }",
		"shell.html":            "<!doctype html><title>shell</title><p>shell page</p>",
		"app.js":                "console.log(1)",
		"docs/readme.txt":       "a folder without an index.html",
		".env":                  "SECRET=1",
		".well-known/info.json": "{}",
	})
	cfg := Config{Root: root, SPA: SPA{On: true}}
	if tune != nil {
		tune(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); s.Close() })
	return s, ts.Listener.Addr().String()
}

var (
	navigate = []string{"Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document", "Sec-Fetch-Site", "none", "Accept", "text/html,*/*"}
	fetchAPI = []string{"Sec-Fetch-Mode", "cors", "Sec-Fetch-Dest", "empty", "Accept", "*/*"}
)

func TestSPAFallback(t *testing.T) {
	_, addr := spaSite(t, nil)
	cases := []struct {
		name, method, path string
		header             []string
		status             int
		body               string // a part of it
	}{
		{"a deep route gets the nearest index.html", "GET", "/admin/users/7", navigate, 200, "admin page"},
		{"a route with a trailing slash too", "GET", "/admin/users/", navigate, 200, "admin page"},
		{"a route outside admin gets the root's", "GET", "/about/team", navigate, 200, "root page"},
		{"a route whose last part has a dot that is no type", "GET", "/users/jane.doe", navigate, 200, "root page"},
		{"a missing .html page is a route too", "GET", "/old.html", navigate, 200, "root page"},
		{"without Fetch metadata, Accept: text/html is a navigation", "GET", "/admin/users/7", []string{"Accept", "text/html"}, 200, "admin page"},
		{"HEAD as GET", "HEAD", "/admin/users/7", navigate, 200, ""},
		{"a file is still the file", "GET", "/app.js", navigate, 200, "console.log"},
		{"a folder without index.html is still its listing", "GET", "/docs/", navigate, 200, "readme.txt"},
		{"a script's fetch is not a navigation", "GET", "/admin/users/7", fetchAPI, 404, "Not found"},
		{"nor a request that does not accept HTML", "GET", "/admin/users/7", []string{"Accept", "*/*"}, 404, "Not found"},
		{"nor Accept: text/html with other Fetch metadata", "GET", "/admin/users/7", []string{"Accept", "text/html", "Sec-Fetch-Dest", "empty"}, 404, "Not found"},
		{"nor htmx asking for a fragment", "GET", "/admin/users/7", append([]string{"HX-Request", "true"}, navigate...), 404, "Not found"},
		{"a missing script stays 404", "GET", "/missing.js", navigate, 404, "Not found"},
		{"a missing image stays 404", "GET", "/img/x.png", navigate, 404, "Not found"},
		{"a dotfile is not found", "GET", "/.env", navigate, 404, "Not found"},
		{"a path in a dotfolder gets no fallback", "GET", "/.git/HEAD/x", navigate, 404, "Not found"},
		{"nor a key file", "GET", "/keys/id_rsa", navigate, 404, "Not found"},
		{"nor a name Windows reads as a device", "GET", "/aux/page", navigate, 404, "Not found"},
		{"hotserve's own paths get no fallback", "GET", "/__hotserve/nothing", navigate, 404, "404"},
		{"POST is not a navigation to answer", "POST", "/admin/users/7", navigate, 405, "only GET and HEAD"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := request(t, addr, c.method, c.path, c.header...)
			if resp.status != c.status || !strings.Contains(resp.body, c.body) {
				t.Fatalf("%s %s: %d %q, want %d with %q", c.method, c.path, resp.status, resp.body, c.status, c.body)
			}
			if ct := resp.header.Get("Content-Type"); c.status == 404 && !strings.HasPrefix(ct, "text/html") && !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("404 with Content-Type %q, want the not-found page's own type", ct)
			}
		})
	}
}

func TestSPAFallbackIsServedAsTheFile(t *testing.T) {
	_, addr := spaSite(t, nil)
	resp := request(t, addr, "GET", "/admin/users/7", navigate...)
	if resp.status != 200 {
		t.Fatalf("status %d, want 200", resp.status)
	}
	if !strings.Contains(resp.body, "/__hotserve/client.js") {
		t.Errorf("the fallback page has no client script: %q", resp.body)
	}
	if ct := resp.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q, want text/html; charset=utf-8", ct)
	}
	etag := resp.header.Get("ETag")
	if !strings.HasPrefix(etag, `"`) {
		t.Errorf("ETag %q, want a strong one", etag)
	}
	if st := resp.header.Get("Server-Timing"); !strings.HasPrefix(st, "hotserve;") {
		t.Errorf("Server-Timing %q, want hotserve's server and epoch", st)
	}
	if v := strings.Join(resp.header.Values("Vary"), ", "); !strings.Contains(v, "Accept") || !strings.Contains(v, "Sec-Fetch-Mode") {
		t.Errorf("Vary %q, want Accept and Sec-Fetch-Mode: the same URL is a 404 to a fetch", v)
	}
	direct := request(t, addr, "GET", "/admin/", navigate...)
	if direct.header.Get("ETag") != etag || direct.body != resp.body {
		t.Errorf("the fallback differs from admin/index.html served as itself: ETag %s, want %s", etag, direct.header.Get("ETag"))
	}
	again := request(t, addr, "GET", "/admin/users/7", append([]string{"If-None-Match", etag}, navigate...)...)
	if again.status != http.StatusNotModified {
		t.Errorf("with If-None-Match of its ETag: %d, want 304", again.status)
	}
}

func TestSPAFile(t *testing.T) {
	_, addr := spaSite(t, func(c *Config) { c.SPA = SPA{File: "shell.html"} })
	for _, p := range []string{"/admin/users/7", "/about"} {
		if resp := request(t, addr, "GET", p, navigate...); resp.status != 200 || !strings.Contains(resp.body, "shell page") {
			t.Errorf("GET %s: %d %q, want shell.html", p, resp.status, resp.body)
		}
	}
}

func TestSPAOff(t *testing.T) {
	_, addr := spaSite(t, func(c *Config) { c.SPA = SPA{} })
	if resp := request(t, addr, "GET", "/admin/users/7", navigate...); resp.status != 404 {
		t.Errorf("without SPA: %d, want 404", resp.status)
	}
}

func TestSPAWithoutAnyIndex(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"app.js": "x"})
	s, err := New(Config{Root: root, SPA: SPA{On: true}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); s.Close() })
	if resp := request(t, ts.Listener.Addr().String(), "GET", "/route", navigate...); resp.status != 404 {
		t.Errorf("no index.html anywhere: %d, want 404", resp.status)
	}
}

func TestSPADotfilesStillNoFallback(t *testing.T) {
	_, addr := spaSite(t, func(c *Config) { c.Security.Dotfiles = true })
	if resp := request(t, addr, "GET", "/.well-known/info.json", navigate...); resp.status != 200 {
		t.Errorf("with Dotfiles, an existing dotfile: %d, want 200", resp.status)
	}
	if resp := request(t, addr, "GET", "/.well-known/missing", navigate...); resp.status != 404 {
		t.Errorf("with Dotfiles, a missing path in a dotfolder: %d, want 404, never the app", resp.status)
	}
}

func TestSPAFileRefused(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"app.html": "x", "app.js": "x", ".hidden.html": "x", "dir/index.html": "x"})
	for _, file := range []string{"missing.html", "app.js", ".hidden.html", "../app.html", "dir", "/"} {
		s, err := New(Config{Root: root, SPA: SPA{File: file}})
		if err == nil {
			s.Close()
			t.Errorf("SPA.File %q was accepted", file)
			continue
		}
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != "SPA.File" {
			t.Errorf("SPA.File %q: %v, want a ConfigError for SPA.File", file, err)
		}
	}
	for _, file := range []string{"app.html", "/app.html", "./app.html", "dir/index.html"} {
		s, err := New(Config{Root: root, SPA: SPA{File: file}})
		if err != nil {
			t.Errorf("SPA.File %q: %v", file, err)
			continue
		}
		s.Close()
	}
}

// The tab on /admin/users/7 shows admin/index.html: it is the tab that a
// change of that file or of its stylesheet is for, and no other change.
func TestSPATabShowsTheFallbackFile(t *testing.T) {
	s, addr := spaSite(t, nil)
	request(t, addr, "GET", "/admin/users/7", navigate...)
	request(t, addr, "GET", "/admin/app.css", "Referer", "http://"+addr+"/admin/users/7", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "style", "Sec-Fetch-Site", "same-origin")
	for _, c := range []struct {
		changed string
		want    bool
	}{
		{"/admin/index.html", true},
		{"/admin/app.css", true},
		{"/index.html", false},
		{"/app.js", false},
	} {
		if got := s.updates.affects("/admin/users/7", changedURLs([]string{c.changed}), false); got != c.want {
			t.Errorf("a change to %s reaches the tab on /admin/users/7: %v, want %v", c.changed, got, c.want)
		}
	}
}

func TestSPAWithProxy(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"from":"backend"}`))
	}))
	t.Cleanup(backend.Close)
	_, addr := spaSite(t, func(c *Config) { c.Proxy.URL = backend.URL })
	if resp := request(t, addr, "GET", "/admin/users/7", navigate...); resp.status != 200 || !strings.Contains(resp.body, "admin page") {
		t.Errorf("a navigation with a proxy: %d %q, want the app's page", resp.status, resp.body)
	}
	if resp := request(t, addr, "GET", "/api/users/7", fetchAPI...); !strings.Contains(resp.body, "backend") {
		t.Errorf("a fetch with a proxy: %d %q, want the backend's answer", resp.status, resp.body)
	}
	if resp := request(t, addr, "GET", "/app.js", fetchAPI...); !strings.Contains(resp.body, "console.log") {
		t.Errorf("a file with a proxy: %d %q, want the file", resp.status, resp.body)
	}
	_, all := spaSite(t, func(c *Config) { c.Proxy = Proxy{URL: backend.URL, All: true} })
	if resp := request(t, all, "GET", "/admin/users/7", navigate...); !strings.Contains(resp.body, "backend") {
		t.Errorf("a navigation with Proxy.All: %d %q, want the backend's answer", resp.status, resp.body)
	}
	// A route owns its prefix, navigations included.
	_, routed := spaSite(t, func(c *Config) { c.Routes = []Route{{Prefix: "/admin/users", Target: backend.URL}} })
	if resp := request(t, routed, "GET", "/admin/users/7", navigate...); !strings.Contains(resp.body, "backend") {
		t.Errorf("a navigation under a route: %d %q, want the backend's answer", resp.status, resp.body)
	}
	if resp := request(t, routed, "GET", "/admin/settings", navigate...); resp.status != 200 || !strings.Contains(resp.body, "admin page") {
		t.Errorf("a navigation beside a route: %d %q, want the app's page", resp.status, resp.body)
	}
}

// Another site's pages can navigate frames to routes they make up: the
// fallback answers them, and hotserve remembers none of them (SECURITY.md:
// a request from another site adds nothing).
func TestSPACrossSiteRoutesAddNothing(t *testing.T) {
	s, addr := spaSite(t, nil)
	for i := range 200 {
		resp := request(t, addr, "GET", fmt.Sprintf("/route/%d", i), "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "iframe", "Sec-Fetch-Site", "cross-site", "Accept", "text/html")
		if resp.status != 200 {
			t.Fatalf("a cross-site navigation to a route: %d, want the app", resp.status)
		}
	}
	d := s.updates.deps
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.nodes) != 0 || d.lost {
		t.Errorf("after 200 cross-site routes, deps has %d nodes (lost %v), want none", len(d.nodes), d.lost)
	}
}

// In a mount, the nearest index.html up the URL path is the mount's own,
// then the served folder's above the mount's prefix.
func TestSPAInAMount(t *testing.T) {
	lib, docs := t.TempDir(), t.TempDir()
	write(t, lib, map[string]string{"index.html": "<!doctype html><p>mount app</p>"})
	write(t, docs, map[string]string{"readme.txt": "no index.html"})
	_, addr := spaSite(t, func(c *Config) {
		c.Mounts = []Mount{{Prefix: "/lib", Dir: lib}, {Prefix: "/admin/docs", Dir: docs}}
	})
	for route, want := range map[string]string{
		"/lib/":             "mount app",
		"/lib/guide/intro":  "mount app",
		"/admin/docs/x/y":   "admin page", // no index.html in the mount: the served folder's admin/
		"/other/deep/route": "root page",
	} {
		if resp := request(t, addr, "GET", route, navigate...); resp.status != 200 || !strings.Contains(resp.body, want) {
			t.Errorf("a navigation to %s: %d %q, want %q", route, resp.status, resp.body, want)
		}
	}
}
