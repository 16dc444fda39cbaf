package devserver_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/internal/testenv"
)

// liveReloadJS is the real livereload.js from npm, which scripts/test
// installs (npm ci in testdata/livereload).
const liveReloadJS = "../testdata/livereload/node_modules/livereload-js/dist/livereload.js"

// TestBrowserLiveReloadClient runs livereload.js, unmodified, in a page
// that hotserve did not serve or inject (another server on this machine
// serves the same folder, as a backend would), connected to hotserve's
// /livereload.
func TestBrowserLiveReloadClient(t *testing.T) {
	script, err := os.ReadFile(liveReloadJS)
	if err != nil {
		testenv.BrowserMissing(t, fmt.Sprintf("the livereload-js client (%v)", err), "npm ci in testdata/livereload, as scripts/test does")
	}
	dir := t.TempDir()
	s := startSite(t, dir, "127.0.0.1:0")
	const page = `<!doctype html><html><head><link rel="stylesheet" href="/style.css"></head><body><h1>%s</h1>
		<script>sessionStorage.loads = (+sessionStorage.loads || 0) + 1;</script>
		<script src="/livereload.js?host=127.0.0.1&port=%s"></script></body></html>`
	_, port, _ := net.SplitHostPort(s.addr)
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(page, "one", port))
	writeFile(t, filepath.Join(dir, "style.css"), "h1 { color: rgb(1, 0, 0); }")

	files := http.FileServer(http.Dir(dir))
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		if r.URL.Path == "/livereload.js" {
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(script)
			return
		}
		// Last-Modified has one-second resolution: a page saved within a
		// second of its first version would be answered 304.
		r.Header.Del("If-Modified-Since")
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(other.Close)

	tab := newTab(t)
	if _, err := chromedp.Run(tab, chromedp.Navigate(other.URL+"/")); err != nil {
		t.Fatal(err)
	}
	testenv.WaitJS(t, tab, `window.LiveReload?.connector?.protocol === 7`, 10*time.Second)
	if evalJS[bool](t, tab, `!!window.__hotserve`) {
		t.Fatal("the page got hotserve's own client; this test is about livereload.js alone")
	}

	t.Run("a stylesheet is swapped live", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "style.css"), "h1 { color: rgb(2, 0, 0); }")
		testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(2, 0, 0)"`, 10*time.Second)
		if loads := evalJS[string](t, tab, `sessionStorage.loads`); loads != "1" {
			t.Errorf("page loaded %s times, want 1 (no reload for a stylesheet)", loads)
		}
	})
	t.Run("a page edit reloads", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(page, "two", port))
		testenv.WaitJS(t, tab, `document.querySelector("h1")?.textContent === "two"`, 10*time.Second)
	})
}
