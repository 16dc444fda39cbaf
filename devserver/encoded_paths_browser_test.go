package devserver_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/testenv"
)

// TestBrowserPathsThatNeedEscapingUpdateInPlace edits a stylesheet and an
// image whose paths the page's URLs spell escaped ("/my%20app/é.css"),
// while hotserve names them decoded: only they are refreshed, in place.
func TestBrowserPathsThatNeedEscapingUpdateInPlace(t *testing.T) {
	dir := t.TempDir()
	mkdir(t, filepath.Join(dir, "my app"))
	writeFile(t, filepath.Join(dir, "my app", "index.html"), `<!doctype html><html><head>
		<link rel="stylesheet" href="é.css"><link rel="stylesheet" href="/other.css">
		</head><body><h1>x</h1><img id="logo" src="logo%20one.svg"></body></html>`)
	writeFile(t, filepath.Join(dir, "my app", "é.css"), "h1 { color: rgb(1, 0, 0); }")
	writeFile(t, filepath.Join(dir, "other.css"), "p { color: rgb(0, 0, 1); }")
	writeFile(t, filepath.Join(dir, "my app", "logo one.svg"), svg(10))
	s := startSite(t, dir, "127.0.0.1:0")
	tab := newTab(t)
	navigate(t, tab, strings.TrimSuffix(s.URL, "/")+"/my%20app/")
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(1, 0, 0)"`, 5*time.Second)
	evalJS[bool](t, tab, `window.marker = 42; true`)

	writeFile(t, filepath.Join(dir, "my app", "é.css"), "h1 { color: rgb(2, 0, 0); }")
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(2, 0, 0)"`, 10*time.Second)
	testenv.WaitJS(t, tab, `document.querySelectorAll('link[rel="stylesheet"]').length === 2`, 5*time.Second)
	hrefs := evalJS[[]string](t, tab, `[...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => decodeURIComponent(new URL(l.href).pathname) + " " + (new URL(l.href).searchParams.has("hotserve") ? "fresh" : "kept"))`)
	if want := []string{"/my app/é.css fresh", "/other.css kept"}; fmt.Sprint(hrefs) != fmt.Sprint(want) {
		t.Errorf("stylesheets after the edit: %v, want %v (only é.css swapped)", hrefs, want)
	}

	writeFile(t, filepath.Join(dir, "my app", "logo one.svg"), svg(20))
	testenv.WaitJS(t, tab, `new URL(document.getElementById("logo").src).searchParams.has("hotserve")`, 10*time.Second)
	testenv.WaitJS(t, tab, `document.getElementById("logo").naturalWidth === 20`, 5*time.Second)
	assertNoReload(t, tab)
}
