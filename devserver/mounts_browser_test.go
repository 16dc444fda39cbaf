package devserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
	"github.com/hotserve/hotserve/watcher"
)

// mountPage is a page at / that uses the root's style.css and the mount's
// /vendor/lib.css, and counts its loads.
const mountPage = `<!doctype html>
<html><head><title>t</title><link rel="stylesheet" href="/style.css"><link rel="stylesheet" href="/vendor/lib.css"></head>
<body><h1>%s</h1><p>text</p>
<script>sessionStorage.loads = (+sessionStorage.loads || 0) + 1;</script>
</body></html>
`

// startMountSite serves root, a git repository, with lib mounted at
// /vendor, watched as cmd/hotserve watches them: one watcher for both;
// tune changes the server's Config.
func startMountSite(t *testing.T, tune ...func(*devserver.Config)) (s *site, root, lib string) {
	t.Helper()
	root, lib = t.TempDir(), t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "index.html"), fmt.Sprintf(mountPage, "one"))
	writeFile(t, filepath.Join(root, "style.css"), "h1 { color: rgb(255, 0, 0); }\n")
	writeFile(t, filepath.Join(lib, "lib.css"), "p { color: rgb(255, 0, 0); }\n")
	writeFile(t, filepath.Join(lib, "page.html"), "<!doctype html><html><head></head><body><h1>lib one</h1></body></html>")
	w, err := watcher.New(watcher.Options{Root: root, Mounts: []watcher.Mount{{Path: "vendor", Root: lib}}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := devserver.Config{Root: root, Version: "test", WatchStats: w.Stats, Mounts: []devserver.Mount{{Prefix: "/vendor", Dir: lib}}}
	for _, f := range tune {
		f(&cfg)
	}
	srv, err := devserver.New(cfg)
	if err != nil {
		w.Close()
		t.Fatal(err)
	}
	ln, err := listenRetry("127.0.0.1:0")
	if err != nil {
		w.Close()
		srv.Close()
		t.Fatal(err)
	}
	return serveSite(t, srv, ln, w), root, lib
}

func TestBrowserMountCSSEditSwapsInThePageThatUsesIt(t *testing.T) {
	s, _, lib := startMountSite(t)
	tab := newTab(t)
	navigate(t, tab, s.URL)
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("p")).color === "rgb(255, 0, 0)"`, 5*time.Second)
	evalJS[bool](t, tab, `window.marker = 42; true`)

	writeFile(t, filepath.Join(lib, "lib.css"), "p { color: rgb(0, 0, 255); }\n")
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("p")).color === "rgb(0, 0, 255)"`, 10*time.Second)
	if m := evalJS[int](t, tab, `window.marker ?? 0`); m != 42 {
		t.Errorf("window.marker = %d after a mount's CSS edit, want 42: the page reloaded", m)
	}
	if n, r := s.count("css-update"), s.count("live-reload"); n != 1 || r != 0 {
		t.Errorf("sent %d css-update and %d live-reload, want one css-update", n, r)
	}
}

func TestBrowserMountPageReloads(t *testing.T) {
	s, _, lib := startMountSite(t)
	tab := newTab(t)
	navigate(t, tab, s.URL+"vendor/page.html")
	testenv.WaitJS(t, tab, `window.__hotserve?.socket?.readyState === 1`, 5*time.Second)

	writeFile(t, filepath.Join(lib, "page.html"), "<!doctype html><html><head></head><body><h1>lib two</h1></body></html>")
	testenv.WaitJS(t, tab, `document.querySelector("h1")?.textContent === "lib two"`, 10*time.Second)
}

func TestBrowserBurstAcrossRootAndMountIsOneUpdate(t *testing.T) {
	s, root, lib := startMountSite(t)
	tab := newTab(t)
	navigate(t, tab, s.URL)
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("p")).color === "rgb(255, 0, 0)" && window.__hotserve?.socket?.readyState === 1`, 5*time.Second)
	evalJS[bool](t, tab, `window.marker = 42; true`)

	// A checkout in the root's repository that also rebuilds the mount:
	// while git holds its index, the writes are one burst, however the
	// machine schedules them.
	lock := filepath.Join(root, ".git", "index.lock")
	writeFile(t, lock, "")
	writeFile(t, filepath.Join(root, "style.css"), "h1 { color: rgb(0, 128, 0); }\n")
	writeFile(t, filepath.Join(lib, "lib.css"), "p { color: rgb(0, 128, 0); }\n")
	if err := os.Remove(lock); err != nil {
		t.Fatal(err)
	}
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("p")).color === "rgb(0, 128, 0)" &&
		getComputedStyle(document.querySelector("h1")).color === "rgb(0, 128, 0)"`, 10*time.Second)
	if n := s.count("css-update"); n != 1 {
		t.Errorf("sent %d css-update messages for one save across the root and a mount, want 1", n)
	}
	if m := evalJS[int](t, tab, `window.marker ?? 0`); m != 42 {
		t.Errorf("window.marker = %d, want 42: the page reloaded", m)
	}
}

// TestBrowserMountAndRoutePage: a page whose stylesheet and script come
// from a mount, and whose script fetches from a backend through a proxy
// route, updates on each change in the mount: the stylesheet in place, the
// script by a reload that fetches through the route again.
func TestBrowserMountAndRoutePage(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/greeting" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "hello from the API")
	}))
	t.Cleanup(api.Close)
	s, root, lib := startMountSite(t, func(c *devserver.Config) {
		c.Routes = []devserver.Route{{Prefix: "/api", Target: api.URL + "/v1"}}
	})
	const app = `fetch("/api/greeting").then((r) => r.text()).then((t) => { document.querySelector("#greeting").textContent = %q + t; });`
	writeFile(t, filepath.Join(lib, "app.js"), fmt.Sprintf(app, ""))
	writeFile(t, filepath.Join(root, "index.html"), `<!doctype html>
<html><head><title>t</title><link rel="stylesheet" href="/vendor/lib.css"></head>
<body><p id="greeting">…</p><script src="/vendor/app.js"></script></body></html>
`)
	tab := newTab(t)
	navigate(t, tab, s.URL)
	testenv.WaitJS(t, tab, `document.querySelector("#greeting").textContent === "hello from the API" &&
		getComputedStyle(document.querySelector("p")).color === "rgb(255, 0, 0)"`, 10*time.Second)
	evalJS[bool](t, tab, `window.marker = 42; true`)

	writeFile(t, filepath.Join(lib, "lib.css"), "p { color: rgb(0, 0, 255); }\n")
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("p")).color === "rgb(0, 0, 255)"`, 10*time.Second)
	if m := evalJS[int](t, tab, `window.marker ?? 0`); m != 42 {
		t.Errorf("window.marker = %d after the mount's stylesheet changed, want 42: the page reloaded", m)
	}

	writeFile(t, filepath.Join(lib, "app.js"), fmt.Sprintf(app, "again: "))
	testenv.WaitJS(t, tab, `document.querySelector("#greeting").textContent === "again: hello from the API" && window.marker === undefined`, 10*time.Second)
}
