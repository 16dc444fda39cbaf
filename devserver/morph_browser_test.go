package devserver_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// noMorph turns morphing off, for tests of what a reload does.
func noMorph(c *devserver.Config) { c.NoMorph = true }

// statefulPage has what a user or the page's script changes: a field, a
// <details>, a scrolled panel, a class the script adds, and a script that
// counts the page's loads. %[1]s is the heading, %[2]s the script's
// comment, so an edit can change either.
const statefulPage = `<!doctype html><html><head><title>%[1]s</title></head>
<body>
<h1>%[1]s</h1>
<p id="para">a paragraph the edit leaves as it was</p>
<form><input id="name" name="name" value=""></form>
<details id="more"><summary>more</summary><p>hidden text</p></details>
<div id="panel" style="height: 100px; overflow: auto"><div style="height: 2000px">tall</div></div>
<dialog id="dlg"><p>a dialog</p></dialog>
<video id="vid" muted playsinline></video>
<div style="height: 3000px">room to scroll the page</div>
<script>/* %[2]s */
sessionStorage.loads = (+sessionStorage.loads || 0) + 1;
addEventListener("load", () => { window.loadEvents = (window.loadEvents || 0) + 1; });
document.body.classList.add("js");
addEventListener("load", () => {
	const canvas = document.createElement("canvas");
	const g = canvas.getContext("2d");
	setInterval(() => { g.fillStyle = "#" + Math.floor(Math.random() * 4096).toString(16).padStart(3, "0"); g.fillRect(0, 0, 300, 150); }, 50);
	document.getElementById("vid").srcObject = canvas.captureStream(20);
	document.getElementById("vid").play().catch(() => {});
});
</script>
</body></html>`

// morphSite serves statefulPage with the heading "one" and opens it, with
// the terminal's lines in lines.
func morphSite(t *testing.T, tune ...func(*devserver.Config)) (dir string, tab context.Context, lines *lineLog) {
	t.Helper()
	dir = t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(statefulPage, "one", "v1"))
	writeFile(t, filepath.Join(dir, "app.js"), "window.app = 1;")
	lines = &lineLog{}
	s := startSite(t, dir, "127.0.0.1:0", append(tune, func(c *devserver.Config) { c.Log = lines.logger() })...)
	tab = newTab(t)
	navigate(t, tab, s.URL)
	testenv.WaitJS(t, tab, `document.readyState === "complete" && window.loadEvents === 1`, 5*time.Second)
	return dir, tab, lines
}

func TestBrowserPageEditMorphsKeepingState(t *testing.T) {
	dir, tab, lines := morphSite(t)
	testenv.WaitJS(t, tab, `document.querySelector("#vid").currentTime > 0`, 5*time.Second)

	// What the user does: types, opens the details and the dialog, scrolls
	// the panel; and what the page's script holds.
	if err := chromedp.Do(tab,
		chromedp.SendKeys("#name", "Ada"),
		chromedp.Click("#more summary"),
	); err != nil {
		t.Fatal(err)
	}
	evalJS[bool](t, tab, `
		document.querySelector("#panel").scrollTop = 300;
		document.querySelector("#dlg").show();
		document.querySelector("#name").focus();
		document.querySelector("#name").setSelectionRange(1, 2);
		scrollTo(0, 1234);
		window.marker = 42;
		window.para = document.querySelector("#para");
		window.vid = document.querySelector("#vid");
		window.videoTime = window.vid.currentTime;
		window.paraMutations = 0;
		new MutationObserver((ms) => { window.paraMutations += ms.length; }).observe(window.para, { attributes: true, childList: true, characterData: true, subtree: true });
		true`)

	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(statefulPage, "two", "v1"))
	testenv.WaitJS(t, tab, `document.querySelector("h1").textContent === "two"`, 10*time.Second)
	line := lines.wait(t, "index.html → ", 10*time.Second)

	checks := []struct{ what, expr, want string }{
		{"the title", `document.title`, "two"},
		{"window.marker (a reload loses it)", `String(window.marker)`, "42"},
		{"the page's loads", `sessionStorage.loads`, "1"},
		{"load events", `String(window.loadEvents)`, "1"},
		{"the typed value", `document.querySelector("#name").value`, "Ada"},
		{"the focus", `document.activeElement.id`, "name"},
		{"the selection", `[document.activeElement.selectionStart, document.activeElement.selectionEnd].join()`, "1,2"},
		{"the details", `String(document.querySelector("#more").open)`, "true"},
		{"the dialog", `String(document.querySelector("#dlg").open)`, "true"},
		{"the page's scroll", `String(scrollY)`, "1234"},
		{"the panel's scroll", `String(document.querySelector("#panel").scrollTop)`, "300"},
		{"the class the script added", `String(document.body.classList.contains("js"))`, "true"},
		{"the untouched paragraph is the same node", `String(window.para === document.querySelector("#para"))`, "true"},
		{"mutations of the untouched paragraph", `String(window.paraMutations)`, "0"},
		{"the video is the same element", `String(window.vid === document.querySelector("#vid"))`, "true"},
		{"the video plays on", `String(!document.querySelector("#vid").paused && document.querySelector("#vid").srcObject !== null)`, "true"},
		{"the video's time goes on", `String(document.querySelector("#vid").currentTime >= window.videoTime)`, "true"},
		{"hotserve's script", `String(document.querySelectorAll('script[src^="/__hotserve/client.js"]').length)`, "1"},
	}
	for _, c := range checks {
		if got := evalJS[string](t, tab, c.expr); got != c.want {
			t.Errorf("%s after the morph: %q, want %q", c.what, got, c.want)
		}
	}
	if !regexpMatch(`^index\.html → morphed · 1 tab · \d+ ms save-to-paint$`, line) {
		t.Errorf("terminal line %q, want like: index.html → morphed · 1 tab · 12 ms save-to-paint", line)
	}

	// A second edit morphs from the first one's result.
	writeFile(t, filepath.Join(dir, "index.html"), strings.Replace(fmt.Sprintf(statefulPage, "two", "v1"), "a paragraph", "the paragraph", 1))
	testenv.WaitJS(t, tab, `document.querySelector("#para").textContent.startsWith("the paragraph")`, 10*time.Second)
	if got := evalJS[string](t, tab, `[window.marker, document.querySelector("#name").value, document.querySelector("#more").open].join()`); got != "42,Ada,true" {
		t.Errorf("after a second morph: marker, value, details = %q, want 42,Ada,true", got)
	}
}

func TestBrowserPageEditReloadsWhereAMorphCannotBeFaithful(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(string) string
		reason string
	}{
		{"an inline script changed", func(p string) string { return strings.Replace(p, "/* v1 */", "/* v2 */", 1) }, "script changed"},
		{"a script added", func(p string) string {
			return strings.Replace(p, "</body>", `<script src="/app.js"></script></body>`, 1)
		}, "script changed"},
		{"the page asks for reloads", func(p string) string {
			return strings.Replace(p, "<title>", `<meta name="hotserve" content="reload"><title>`, 1)
		}, "the page asks for reloads"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, tab, lines := morphSite(t)
			evalJS[bool](t, tab, `window.marker = 42; true`)
			writeFile(t, filepath.Join(dir, "index.html"), c.edit(fmt.Sprintf(statefulPage, "two", "v1")))
			testenv.WaitJS(t, tab, `window.marker === undefined && document.querySelector("h1")?.textContent === "two" && window.__hotserve?.socket?.readyState === 1`, 10*time.Second)
			if loads := evalJS[string](t, tab, `sessionStorage.loads`); loads != "2" {
				t.Errorf("page loaded %s times, want 2 (one reload)", loads)
			}
			line := lines.wait(t, "index.html → ", 10*time.Second)
			want := `^index\.html → live-reload \(` + c.reason + `\) · 1 tab · \d+ ms save-to-paint$`
			if !regexpMatch(want, line) {
				t.Errorf("terminal line %q, want like: index.html → live-reload (%s) · 1 tab · 90 ms save-to-paint", line, c.reason)
			}
		})
	}
}

func TestBrowserNoMorphReloadsForAPageEdit(t *testing.T) {
	dir, tab, lines := morphSite(t, func(c *devserver.Config) { c.NoMorph = true })
	// With nothing to morph, the page never fetches itself.
	if n := evalJS[int](t, tab, `performance.getEntriesByType("resource").filter((e) => e.initiatorType === "fetch").length`); n != 0 {
		t.Errorf("the page made %d fetches with --no-morph, want 0", n)
	}
	evalJS[bool](t, tab, `window.marker = 42; true`)
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(statefulPage, "two", "v1"))
	testenv.WaitJS(t, tab, `window.marker === undefined && document.querySelector("h1")?.textContent === "two"`, 10*time.Second)
	if line := lines.wait(t, "index.html → ", 10*time.Second); !regexpMatch(`^index\.html → live-reload · 1 tab · `, line) {
		t.Errorf("terminal line %q, want like: index.html → live-reload · 1 tab · 90 ms save-to-paint", line)
	}
}

func TestBrowserMorphSwapsAChangedStylesheetWithoutFlash(t *testing.T) {
	dir := t.TempDir()
	const page = `<!doctype html><html><head><link rel="stylesheet" href="/%s"></head><body><h1>x</h1></body></html>`
	writeFile(t, filepath.Join(dir, "a.css"), "h1 { color: rgb(1, 0, 0); }")
	writeFile(t, filepath.Join(dir, "b.css"), "h1 { color: rgb(2, 0, 0); }")
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(page, "a.css"))
	_, tab := openSite(t, dir)
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(1, 0, 0)"`, 5*time.Second)
	evalJS[bool](t, tab, fmt.Sprintf(watchSwaps, "h1"))

	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(page, "b.css"))
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(2, 0, 0)"`, 10*time.Second)
	testenv.WaitJS(t, tab, `document.querySelectorAll('link[rel="stylesheet"]').length === 1`, 5*time.Second)
	assertNoReload(t, tab)
	bad := evalJS[[]string](t, tab, `window.samples.filter((s) => s.sheets < 1 || (s.color !== "rgb(1, 0, 0)" && s.color !== "rgb(2, 0, 0)")).map(JSON.stringify)`)
	if len(bad) > 0 {
		t.Errorf("frames without a stylesheet or with another colour during the morph (a flash): %v", bad)
	}
}

func TestBrowserMorphReloadsWhenAFetchedFragmentChanged(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), `<!doctype html><html><body><ul id="list"></ul>
<script>fetch("/frag.html").then((r) => r.text()).then((t) => { document.getElementById("list").insertAdjacentHTML("beforeend", t); });</script>
</body></html>`)
	writeFile(t, filepath.Join(dir, "frag.html"), "<li>one</li>")
	lines := &lineLog{}
	_, tab := openSite(t, dir, func(c *devserver.Config) { c.Log = lines.logger() })
	testenv.WaitJS(t, tab, `document.querySelector("li")?.textContent === "one"`, 5*time.Second)
	evalJS[bool](t, tab, `window.marker = 42; true`)

	writeFile(t, filepath.Join(dir, "frag.html"), "<li>two</li>")
	testenv.WaitJS(t, tab, `window.marker === undefined && document.querySelector("li")?.textContent === "two"`, 10*time.Second)
	line := lines.wait(t, "frag.html → ", 10*time.Second)
	if !regexpMatch(`^frag\.html → live-reload \(a file the page fetched changed\) · 1 tab · `, line) {
		t.Errorf("terminal line %q, want like: frag.html → live-reload (a file the page fetched changed) · 1 tab · 90 ms save-to-paint", line)
	}
}
