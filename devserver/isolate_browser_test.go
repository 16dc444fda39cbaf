package devserver_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// With Isolate a page is cross-origin isolated, SharedArrayBuffer is
// there, and hotserve's script, socket and updates all still work.
func TestBrowserIsolate(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), `<!doctype html><html><head>
		<link rel="stylesheet" href="/app.css"></head><body><h1>v1</h1></body></html>`)
	writeFile(t, filepath.Join(dir, "app.css"), "h1 { color: rgb(1, 0, 0); }")
	s := startSite(t, dir, "127.0.0.1:0", func(c *devserver.Config) { c.Isolate = true })
	tab := newTab(t)
	navigate(t, tab, s.URL)
	if !evalJS[bool](t, tab, `crossOriginIsolated === true && typeof SharedArrayBuffer === "function"`) {
		t.Fatalf("crossOriginIsolated is %v, want true", evalJS[bool](t, tab, `crossOriginIsolated`))
	}
	writeFile(t, filepath.Join(dir, "app.css"), "h1 { color: rgb(2, 0, 0); }")
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(2, 0, 0)"`, 10*time.Second)
	writeFile(t, filepath.Join(dir, "index.html"), `<!doctype html><html><head>
		<link rel="stylesheet" href="/app.css"></head><body><h1>v2</h1></body></html>`)
	testenv.WaitJS(t, tab, `document.querySelector("h1")?.textContent === "v2" && crossOriginIsolated === true`, 10*time.Second)
}
