package devserver_test

import (
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// A page the backend renders under a prefix-replacing route logs in with
// a fetch; Chromium keeps the cookies the backend set for its own host
// and path, on http://localhost the Secure one too, shows the script's
// one in document.cookie, and sends them all back through the route.
func TestBrowserRouteCookiesRoundTrip(t *testing.T) {
	b := cookieBackend(t,
		"sid=abc; Path=/v1; Domain=127.0.0.1; HttpOnly",
		"theme=dark; Path=/v1; Domain=127.0.0.1; SameSite=Lax",
		"sec=1; Path=/v1/; Secure",
	)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "page.html"), "<!doctype html><html><head></head><body>a file</body></html>")
	s := routeSite(t, dir, devserver.Config{
		Routes: []devserver.Route{{Prefix: "/api/", Target: "c/v1/"}},
	}, map[string]*httptest.Server{"c": b})
	tab := newTab(t)
	navigate(t, tab, onLocalhost(s)+"api/page")

	evalJS[bool](t, tab, `window.sent = null; fetch("/api/login").then((r) => r.text()).then(() => fetch("/api/whoami")).then((r) => r.text()).then((t) => { window.sent = t; }); true`)
	testenv.WaitJS(t, tab, `window.sent !== null`, 10*time.Second)
	if got := evalJS[string](t, tab, `window.sent`); got != "sec=1; sid=abc; theme=dark" {
		t.Errorf("the backend was sent cookies %q through the route, want %q", got, "sec=1; sid=abc; theme=dark")
	}
	if got := evalJS[string](t, tab, `document.cookie`); got != "theme=dark; sec=1" && got != "sec=1; theme=dark" {
		t.Errorf("document.cookie on /api/page is %q, want theme=dark and sec=1 (sid is HttpOnly)", got)
	}
	navigate(t, tab, onLocalhost(s)+"page.html")
	if got := evalJS[string](t, tab, `document.cookie`); got != "" {
		t.Errorf("document.cookie on /page.html, outside the route, is %q, want none", got)
	}
}
