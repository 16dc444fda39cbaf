package devserver_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// page is an HTML page that links style.css and counts its own loads in
// sessionStorage, so a test can tell a reload from an in-place update.
const page = `<!doctype html>
<html><head><title>t</title><link rel="stylesheet" href="/style.css"></head>
<body><h1>%s</h1>
<script>sessionStorage.loads = (+sessionStorage.loads || 0) + 1;</script>
</body></html>
`

// newSiteDir writes index.html ("one") and style.css (red h1).
func newSiteDir(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(page, "one"))
	writeFile(t, filepath.Join(dir, "style.css"), "h1 { color: rgb(255, 0, 0); }\n")
	return dir
}

func TestBrowserHTMLEditReloads(t *testing.T) {
	dir := newSiteDir(t)
	_, tab := openSite(t, dir, noMorph)

	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(page, "two"))
	// The h1 is parsed before the script that counts the load runs.
	testenv.WaitJS(t, tab, `document.querySelector("h1")?.textContent === "two" && document.readyState !== "loading"`, 10*time.Second)
	if loads := evalJS[string](t, tab, `sessionStorage.loads`); loads != "2" {
		t.Errorf("page loaded %s times, want 2 (one reload)", loads)
	}
}

func TestBrowserCSSEditSwapsWithoutReload(t *testing.T) {
	dir := newSiteDir(t)
	s, tab := openSite(t, dir)
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(255, 0, 0)"`, 5*time.Second)

	// A marker that a reload would lose, and a watch on <head> that records
	// any moment in which no stylesheet is loaded (a flash of unstyled
	// content).
	evalJS[bool](t, tab, `
		window.marker = 42;
		window.flashes = 0;
		new MutationObserver(() => {
			const links = [...document.querySelectorAll('link[rel="stylesheet"]')];
			if (!links.some((l) => l.sheet)) window.flashes++;
		}).observe(document.head, { childList: true });
		true`)

	writeFile(t, filepath.Join(dir, "style.css"), "h1 { color: rgb(0, 0, 255); }\n")
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(0, 0, 255)"`, 10*time.Second)
	// The old link goes once the new one has loaded.
	testenv.WaitJS(t, tab, `document.querySelectorAll('link[rel="stylesheet"]').length === 1`, 5*time.Second)

	if m := evalJS[int](t, tab, `window.marker ?? 0`); m != 42 {
		t.Errorf("window.marker = %d after a CSS edit, want 42: the page reloaded", m)
	}
	if f := evalJS[int](t, tab, `window.flashes`); f != 0 {
		t.Errorf("%d moments without a loaded stylesheet during the swap, want 0", f)
	}
	if n := s.count("live-reload"); n != 0 {
		t.Errorf("sent %d live-reload messages for a CSS edit, want 0", n)
	}
}

func TestBrowserReconnectsAfterRestart(t *testing.T) {
	dir := newSiteDir(t)
	s, tab := openSite(t, dir)
	evalJS[bool](t, tab, `window.marker = 42; true`)

	s.stop()
	testenv.WaitJS(t, tab, `window.__hotserve.socket === null`, 5*time.Second)
	startSite(t, dir, s.addr)

	// A new server id means the page may be stale: it reloads once, and
	// the fresh page is connected again.
	testenv.WaitJS(t, tab, `window.marker === undefined && window.__hotserve?.socket?.readyState === 1`, 10*time.Second)
	if loads := evalJS[string](t, tab, `sessionStorage.loads`); loads != "2" {
		t.Errorf("page loaded %s times, want 2 (one reload after the restart)", loads)
	}
}

func TestBrowserBurstIsOneReload(t *testing.T) {
	dir := newSiteDir(t)
	s, tab := openSite(t, dir)

	if err := os.Mkdir(filepath.Join(dir, "gen"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		writeFile(t, filepath.Join(dir, "gen", fmt.Sprintf("f%03d.js", i)), "// generated\n")
	}
	testenv.WaitJS(t, tab, `sessionStorage.loads === "2" && window.__hotserve?.socket?.readyState === 1`, 10*time.Second)

	// Give a second reload, if there were one, ample time to arrive.
	time.Sleep(500 * time.Millisecond)
	if n := s.count("live-reload"); n != 1 {
		t.Errorf("sent %d live-reload messages for a burst of 200 files, want 1", n)
	}
	if loads := evalJS[string](t, tab, `sessionStorage.loads`); loads != "2" {
		t.Errorf("page loaded %s times, want 2 (one reload for the burst)", loads)
	}
}

// A tab whose socket is refused because the server is full (not because
// the server was replaced) keeps retrying and never reloads.
func TestBrowserFullServerDoesNotReloadTheTab(t *testing.T) {
	dir := newSiteDir(t)
	s := startSite(t, dir, "127.0.0.1:0", func(c *devserver.Config) { c.MaxTabs = 1 })
	tab := newTab(t)
	navigate(t, tab, s.URL)

	// The tab drops its socket and another client takes the only place.
	// The tab reconnects within 100 ms, so the other client may lose the
	// race: then the tab drops its socket again.
	var other *websocket.Conn
	for attempt := 0; other == nil; attempt++ {
		if attempt == 20 {
			t.Fatal("the other client never got the only place")
		}
		testenv.WaitJS(t, tab, `window.__hotserve?.socket?.readyState === 1`, 10*time.Second)
		evalJS[bool](t, tab, `window.__hotserve.socket.close(); true`)
		for deadline := time.Now().Add(time.Second); other == nil && time.Now().Before(deadline); {
			other, _, _ = websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(s.URL, "http")+"__hotserve/ws", nil)
		}
	}
	// Refused for a while: several retries, and no reload.
	time.Sleep(time.Second)
	if loads := evalJS[string](t, tab, `sessionStorage.loads`); loads != "1" {
		t.Fatalf("page loaded %s times while the server was full, want 1", loads)
	}
	other.Close()
	testenv.WaitJS(t, tab, `window.__hotserve?.socket?.readyState === 1`, 10*time.Second)
	if loads := evalJS[string](t, tab, `sessionStorage.loads`); loads != "1" {
		t.Errorf("page loaded %s times after a place came free, want 1", loads)
	}
}
