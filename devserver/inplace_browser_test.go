package devserver_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/testenv"
)

// watchSwaps starts sampling, at every frame, the number of stylesheets in
// the document and the colour of the first element matching sel, so a test
// can tell that a swap never left the page without its styles.
const watchSwaps = `
	window.marker = 42;
	window.samples = [];
	(function frame() {
		const el = document.querySelector(%q);
		window.samples.push({ sheets: document.styleSheets.length, color: el && getComputedStyle(el).color });
		requestAnimationFrame(frame);
	})();
	true`

// assertNoReload fails when the page was reloaded since watchSwaps ran.
func assertNoReload(t *testing.T, tab context.Context) {
	t.Helper()
	if m := evalJS[int](t, tab, `window.marker ?? 0`); m != 42 {
		t.Errorf("the page reloaded (window.marker = %d, want 42)", m)
	}
}

func TestBrowserStylesheetSwapKeepsPositionWithoutFlash(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), `<!doctype html><html><head>
		<link rel="stylesheet" href="/a.css"><link rel="stylesheet" href="/b.css?v=1"><link rel="stylesheet" href="/c.css">
		</head><body><h1>x</h1><p>p</p></body></html>`)
	writeFile(t, filepath.Join(dir, "a.css"), "p { color: rgb(0, 0, 1); }")
	writeFile(t, filepath.Join(dir, "b.css"), "h1 { color: rgb(1, 0, 0); } p { color: rgb(9, 9, 9); }")
	// c.css comes later in the cascade: its p colour must keep winning
	// after b.css is swapped, which it would not if the new b.css were
	// appended at the end.
	writeFile(t, filepath.Join(dir, "c.css"), "p { color: rgb(0, 0, 3); }")
	s, tab := openSite(t, dir)
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(1, 0, 0)"`, 5*time.Second)
	evalJS[bool](t, tab, fmt.Sprintf(watchSwaps, "h1"))

	writeFile(t, filepath.Join(dir, "b.css"), "h1 { color: rgb(2, 0, 0); } p { color: rgb(8, 8, 8); }")
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(2, 0, 0)"`, 10*time.Second)
	testenv.WaitJS(t, tab, `document.querySelectorAll('link[rel="stylesheet"]').length === 3`, 5*time.Second)

	assertNoReload(t, tab)
	hrefs := evalJS[[]string](t, tab, `[...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => new URL(l.href).pathname + " " + (new URL(l.href).searchParams.has("hotserve") ? "fresh" : "kept"))`)
	if want := []string{"/a.css kept", "/b.css fresh", "/c.css kept"}; fmt.Sprint(hrefs) != fmt.Sprint(want) {
		t.Errorf("stylesheets after the swap: %v, want %v (only b.css swapped, in its place)", hrefs, want)
	}
	if c := evalJS[string](t, tab, `getComputedStyle(document.querySelector("p")).color`); c != "rgb(0, 0, 3)" {
		t.Errorf("p is %s after the swap, want c.css's rgb(0, 0, 3): the cascade order changed", c)
	}
	bad := evalJS[[]string](t, tab, `window.samples.filter((s) => s.sheets < 3 || (s.color !== "rgb(1, 0, 0)" && s.color !== "rgb(2, 0, 0)")).map(JSON.stringify)`)
	if n := evalJS[int](t, tab, `window.samples.length`); n < 2 || len(bad) > 0 {
		t.Errorf("%d frames sampled during the swap; frames with fewer than 3 sheets or another colour (a flash): %v", n, bad)
	}
	if n := s.count("live-reload"); n != 0 {
		t.Errorf("sent %d live-reload messages for a stylesheet edit, want 0", n)
	}
}

func TestBrowserImportChainsAreRefreshed(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), `<!doctype html><html><head>
		<link rel="stylesheet" href="/css/main.css">
		<style>@import "/inline.css"; em { font-style: normal; }</style>
		</head><body><h1>x</h1><h2>y</h2></body></html>`)
	mkdir(t, filepath.Join(dir, "css"))
	writeFile(t, filepath.Join(dir, "css", "main.css"), `@import "mid.css"; body { margin: 0; }`)
	writeFile(t, filepath.Join(dir, "css", "mid.css"), `@import url("leaf.css"); h2 { margin: 0; }`)
	writeFile(t, filepath.Join(dir, "css", "leaf.css"), "h1 { color: rgb(1, 1, 1); }")
	writeFile(t, filepath.Join(dir, "inline.css"), "h2 { color: rgb(5, 5, 5); }")
	s, tab := openSite(t, dir)
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(1, 1, 1)"`, 5*time.Second)
	evalJS[bool](t, tab, fmt.Sprintf(watchSwaps, "h1"))

	t.Run("in a linked sheet, two levels down", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "css", "leaf.css"), "h1 { color: rgb(2, 2, 2); }")
		testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(2, 2, 2)"`, 10*time.Second)
		bad := evalJS[[]string](t, tab, `window.samples.filter((s) => s.color !== "rgb(1, 1, 1)" && s.color !== "rgb(2, 2, 2)").map(JSON.stringify)`)
		if len(bad) > 0 {
			t.Errorf("frames with neither the old nor the new colour (a flash): %v", bad)
		}
	})
	t.Run("in a style block", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "inline.css"), "h2 { color: rgb(6, 6, 6); }")
		testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h2")).color === "rgb(6, 6, 6)"`, 10*time.Second)
		// The old @import goes once the new one has loaded.
		testenv.WaitJS(t, tab, `[...document.querySelector("style").sheet.cssRules].filter((r) => r instanceof CSSImportRule).length === 1`, 5*time.Second)
	})
	assertNoReload(t, tab)
	if n := s.count("live-reload"); n != 0 {
		t.Errorf("sent %d live-reload messages for @imported stylesheets, want 0", n)
	}
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

// svg is an image whose natural width tells its versions apart.
func svg(width int) string {
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="10"><rect width="%d" height="10" fill="red"/></svg>`, width, width)
}

func TestBrowserImagesRefreshInPlace(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), `<!doctype html><html><head>
		<link rel="icon" href="/img/icon.svg">
		<link rel="stylesheet" href="/style.css">
		</head><body>
		<img id="src" src="/img/a.svg">
		<img id="srcset" srcset="/img/b.svg 1x, /img/other.svg 2x">
		<picture><source id="source" srcset="/img/c.svg" type="image/svg+xml"><img id="picture" src="/img/fallback.svg"></picture>
		<div id="inline" style="width: 10px; height: 10px; background-image: url('/img/d.svg')"></div>
		<div id="rule" class="bg"></div>
		</body></html>`)
	mkdir(t, filepath.Join(dir, "img"))
	writeFile(t, filepath.Join(dir, "style.css"), ".bg { width: 10px; height: 10px; background-image: url(img/e.svg); }")
	for _, name := range []string{"a", "b", "other", "c", "fallback", "d", "e", "icon"} {
		writeFile(t, filepath.Join(dir, "img", name+".svg"), svg(10))
	}
	s, tab := openSite(t, dir)
	testenv.WaitJS(t, tab, `[...document.images].every((i) => i.complete && i.naturalWidth === 10)`, 5*time.Second)
	evalJS[bool](t, tab, `window.marker = 42; true`)

	for _, name := range []string{"a", "b", "c", "d", "e", "icon"} {
		writeFile(t, filepath.Join(dir, "img", name+".svg"), svg(20))
	}
	fresh := func(expr string) string { return `(` + expr + `).includes("hotserve=")` }
	cases := []struct{ name, expr string }{
		{"img src", `document.getElementById("src").naturalWidth === 20`},
		{"img srcset", `document.getElementById("srcset").naturalWidth === 20`},
		{"picture source", `document.getElementById("picture").naturalWidth === 20 && ` + fresh(`document.getElementById("picture").currentSrc`)},
		{"inline style background", fresh(`getComputedStyle(document.getElementById("inline")).backgroundImage`)},
		{"url() in a stylesheet", fresh(`getComputedStyle(document.getElementById("rule")).backgroundImage`)},
		{"favicon", fresh(`document.querySelector("link[rel=icon]").href`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { testenv.WaitJS(t, tab, c.expr, 10*time.Second) })
	}
	if got := evalJS[string](t, tab, `document.getElementById("srcset").getAttribute("srcset")`); !regexp.MustCompile(`^http://[^ ]+/img/b\.svg\?hotserve=\w+ 1x, /img/other\.svg 2x$`).MatchString(got) {
		t.Errorf("srcset = %q: want b.svg refreshed and other.svg untouched", got)
	}
	assertNoReload(t, tab)
	if n := s.count("live-reload"); n != 0 {
		t.Errorf("sent %d live-reload messages for image edits, want 0", n)
	}
}
