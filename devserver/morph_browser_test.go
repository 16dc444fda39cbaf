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
<div style="height: 3000px">room to scroll the page</div>
<script>/* %[2]s */
sessionStorage.loads = (+sessionStorage.loads || 0) + 1;
addEventListener("load", () => { window.loadEvents = (window.loadEvents || 0) + 1; });
document.body.classList.add("js");
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
	evalJS[bool](t, tab, `window.marker = 42; true`)
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(statefulPage, "two", "v1"))
	testenv.WaitJS(t, tab, `window.marker === undefined && document.querySelector("h1")?.textContent === "two"`, 10*time.Second)
	if line := lines.wait(t, "index.html → ", 10*time.Second); !regexpMatch(`^index\.html → live-reload · 1 tab · `, line) {
		t.Errorf("terminal line %q, want like: index.html → live-reload · 1 tab · 90 ms save-to-paint", line)
	}
}
