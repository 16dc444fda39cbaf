package devserver_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// A tab on an app's route shows the fallback file: its stylesheet swaps
// in place, an edit of the page reloads the tab on that route, and a tab
// on a route that shows another page is left alone.
func TestBrowserSPARouteUpdates(t *testing.T) {
	dir := t.TempDir()
	mkdir(t, filepath.Join(dir, "admin"))
	writeFile(t, filepath.Join(dir, "index.html"), `<!doctype html><html><head><title>home</title></head><body><h1>home</h1></body></html>`)
	writeFile(t, filepath.Join(dir, "admin", "index.html"), `<!doctype html><html><head>
		<link rel="stylesheet" href="/admin/app.css"></head><body><h1>admin v1</h1></body></html>`)
	writeFile(t, filepath.Join(dir, "admin", "app.css"), "h1 { color: rgb(1, 0, 0); }")
	s := startSite(t, dir, "127.0.0.1:0", func(c *devserver.Config) { c.SPA.On = true })

	tab := newTab(t)
	navigate(t, tab, s.URL+"admin/users/7")
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(1, 0, 0)"`, 5*time.Second)
	other := newTab(t)
	navigate(t, other, s.URL+"settings/profile")
	if h := evalJS[string](t, other, `document.querySelector("h1").textContent`); h != "home" {
		t.Fatalf("/settings/profile shows %q, want index.html's home", h)
	}
	evalJS[bool](t, other, `window.marker = 42; true`)

	t.Run("its stylesheet swaps in place", func(t *testing.T) {
		evalJS[bool](t, tab, fmt.Sprintf(watchSwaps, "h1"))
		writeFile(t, filepath.Join(dir, "admin", "app.css"), "h1 { color: rgb(2, 0, 0); }")
		testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(2, 0, 0)"`, 10*time.Second)
		assertNoReload(t, tab)
	})
	t.Run("an edit of the page is morphed into the route", func(t *testing.T) {
		evalJS[bool](t, tab, `window.marker = 7; true`)
		writeFile(t, filepath.Join(dir, "admin", "index.html"), `<!doctype html><html><head>
			<link rel="stylesheet" href="/admin/app.css"></head><body><h1>admin v2</h1></body></html>`)
		testenv.WaitJS(t, tab, `document.querySelector("h1")?.textContent === "admin v2"`, 10*time.Second)
		if p := evalJS[string](t, tab, `location.pathname`); p != "/admin/users/7" {
			t.Errorf("after the edit the tab is on %s, want /admin/users/7", p)
		}
		if m := evalJS[int](t, tab, `window.marker ?? 0`); m != 7 {
			t.Errorf("the tab on /admin/users/7 reloaded for an edit of its page, want it morphed")
		}
	})
	if m := evalJS[int](t, other, `window.marker ?? 0`); m != 42 {
		t.Errorf("the tab on /settings/profile (index.html) reloaded for an edit of admin/index.html")
	}
	if n := s.count("live-reload"); n != 1 {
		t.Errorf("sent %d live-reload messages, want 1 (for the page edit)", n)
	}
}
