package devserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// hotPrefix is what hotserve puts before a module that reads
// import.meta.hot (README: "Hot module replacement").
const hotPrefix = "import.meta.hot=globalThis.__hotserve?.hot?.(import.meta);"

// watchAcks runs in every document before hotserve's client: it counts the
// page's loads and load events, and keeps every applied message the page
// sends in sessionStorage, so that a reload's ack is seen too.
const watchAcks = `(() => {
	try { sessionStorage.loads = (+sessionStorage.loads || 0) + 1; } catch { return; }
	addEventListener("load", () => { window.loadEvents = (window.loadEvents || 0) + 1; });
	const send = WebSocket.prototype.send;
	WebSocket.prototype.send = function (data) {
		try {
			const m = JSON.parse(data);
			if (m.type === "applied") {
				const acks = JSON.parse(sessionStorage.getItem("hmr:acks") || "[]");
				acks.push(m);
				sessionStorage.setItem("hmr:acks", JSON.stringify(acks));
			}
		} catch {}
		return send.call(this, data);
	};
})();`

// hmrAck is an applied message as the page sent it.
type hmrAck struct {
	Epoch      int64
	Did        string
	Reason     string
	Boundaries []string
	MS         float64
}

// hmrSite writes files into a new folder, serves it with hotserve (its
// Config changed by tune) and opens page in a tab that watches its loads
// and acks (watchAcks).
func hmrSite(t *testing.T, files map[string]string, page string, tune ...func(*devserver.Config)) (dir string, tab context.Context, log *consoleLog) {
	t.Helper()
	s, log, dir := consoleSite(t, files, tune...)
	tab = newTab(t)
	onNewDocument(t, tab, watchAcks)
	navigate(t, tab, s.URL+page)
	testenv.WaitJS(t, tab, `document.readyState === "complete"`, 5*time.Second)
	return dir, tab, log
}

// nthAck waits for the page's nth applied message (1, 2, …) and returns it.
func nthAck(t *testing.T, tab context.Context, n int) hmrAck {
	t.Helper()
	const acks = `JSON.parse(sessionStorage.getItem("hmr:acks") || "[]")`
	testenv.WaitJS(t, tab, fmt.Sprintf(`%s.length >= %d`, acks, n), 10*time.Second)
	var a hmrAck
	if err := json.Unmarshal([]byte(evalJS[string](t, tab, fmt.Sprintf(`JSON.stringify(%s[%d])`, acks, n-1))), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// waitLine returns the first terminal line that starts with prefix and
// contains part, or fails the test at the deadline.
func waitLine(t *testing.T, log *consoleLog, prefix, part string) string {
	t.Helper()
	var line string
	waitUntil(t, fmt.Sprintf("a terminal line %q… with %q", prefix, part), 10*time.Second, func() bool {
		i := slices.IndexFunc(log.lines(), func(s string) bool { return strings.HasPrefix(s, prefix) && strings.Contains(s, part) })
		if i >= 0 {
			line = log.lines()[i]
		}
		return i >= 0
	})
	return line
}

// loads says how many times the tab loaded the page, and how many load
// events this document saw: 1 and 1 when nothing reloaded it.
func loads(t *testing.T, tab context.Context) string {
	t.Helper()
	return evalJS[string](t, tab, `sessionStorage.loads + " loads, " + window.loadEvents + " load events"`)
}

const counterPage = `<!doctype html><html><head><title>counter</title></head><body>
<div id="app"></div>
<script type="module" src="/src/main.js"></script>
</body></html>`

const counterMain = `import "./counter.js";
window.mainRuns = (window.mainRuns || 0) + 1;
`

// counterJS is a vanilla component that keeps its count across versions in
// import.meta.hot.data, and works unserved (the guard); %s is its label.
const counterJS = `// The counter: a button that counts its clicks.
const label = "%s";
let count = import.meta.hot?.data.count ?? 0;

function render(root = document.getElementById("app")) {
  const button = document.createElement("button");
  button.id = "counter";
  button.textContent = label + ": " + count;
  button.onclick = () => {
    count++;
    render(root);
  };
  root.replaceChildren(button);
}

render();

if (import.meta.hot) {
  import.meta.hot.dispose((data) => {
    data.count = count;
  });
  import.meta.hot.accept();
}
`

func counterFiles() map[string]string {
	return map[string]string{
		"index.html":     counterPage,
		"src/main.js":    counterMain,
		"src/counter.js": fmt.Sprintf(counterJS, "Clicks"),
	}
}

// clickCounter clicks the counter n times, as a user would.
func clickCounter(t *testing.T, tab context.Context, n int) {
	t.Helper()
	for range n {
		if err := chromedp.Do(tab, chromedp.Click("#counter")); err != nil {
			t.Fatal(err)
		}
	}
	testenv.WaitJS(t, tab, fmt.Sprintf(`document.querySelector("#counter").textContent === "Clicks: %d"`, n), 5*time.Second)
}

func TestBrowserHotUpdateKeepsTheCount(t *testing.T) {
	dir, tab, log := hmrSite(t, counterFiles(), "")
	clickCounter(t, tab, 3)
	evalJS[bool](t, tab, `window.marker = 42; true`)

	writeFile(t, filepath.Join(dir, "src", "counter.js"), fmt.Sprintf(counterJS, "Taps"))
	testenv.WaitJS(t, tab, `document.querySelector("#counter").textContent.startsWith("Taps")`, 10*time.Second)

	checks := []struct{ what, expr, want string }{
		{"the counter", `document.querySelector("#counter").textContent`, "Taps: 3"},
		{"loads", `sessionStorage.loads + " loads, " + window.loadEvents + " load events"`, "1 loads, 1 load events"},
		{"window.marker (a reload loses it)", `String(window.marker)`, "42"},
		{"main.js's runs (it does not accept)", `String(window.mainRuns)`, "1"},
		{"the new version fetched as ?t=", `String(performance.getEntriesByType("resource").some((e) => /\/src\/counter\.js\?t=\d+$/.test(e.name)))`, "true"},
	}
	for _, c := range checks {
		if got := evalJS[string](t, tab, c.expr); got != c.want {
			t.Errorf("%s after the edit: %q, want %q", c.what, got, c.want)
		}
	}
	// The new version counts on from 3.
	if err := chromedp.Do(tab, chromedp.Click("#counter")); err != nil {
		t.Fatal(err)
	}
	testenv.WaitJS(t, tab, `document.querySelector("#counter").textContent === "Taps: 4"`, 5*time.Second)

	if a := nthAck(t, tab, 1); a.Did != "hot-update" || !slices.Equal(a.Boundaries, []string{"/src/counter.js"}) {
		t.Errorf("ack %+v, want hot-update with the boundary /src/counter.js", a)
	}
	line := waitLine(t, log, "src/counter.js → ", "")
	if !regexpMatch(`^src/counter\.js → hot-update \(src/counter\.js\) · 1 tab · \d+ ms save-to-paint$`, line) {
		t.Errorf("terminal line %q, want like: src/counter.js → hot-update (src/counter.js) · 1 tab · 9 ms save-to-paint", line)
	}
}

func TestBrowserHotUpdateWithoutBoundaryReloads(t *testing.T) {
	files := map[string]string{
		"index.html":  `<!doctype html><title>plain</title><p id="out"></p><script type="module" src="/src/main.js"></script>`,
		"src/main.js": `import { greeting } from "./util.js";` + "\n" + `document.getElementById("out").textContent = greeting;` + "\n",
		"src/util.js": `export const greeting = "hello";` + "\n",
	}
	dir, tab, log := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#out").textContent === "hello"`, 5*time.Second)

	writeFile(t, filepath.Join(dir, "src", "util.js"), `export const greeting = "goodbye";`+"\n")
	testenv.WaitJS(t, tab, `document.querySelector("#out")?.textContent === "goodbye"`, 10*time.Second)
	if got := loads(t, tab); got != "2 loads, 1 load events" {
		t.Errorf("after an edit no module accepts: %s, want 2 loads (a reload)", got)
	}
	if a := nthAck(t, tab, 1); a.Did != "reloaded" || a.Reason != "no module accepts src/util.js" {
		t.Errorf("ack %+v, want reloaded because no module accepts src/util.js", a)
	}
	waitLine(t, log, "src/util.js → ", "no module accepts src/util.js")
}

// orderJS records, on window, when each version runs and when it is
// disposed, with the data it found.
const orderJS = `const version = "%s";
window.order = window.order || [];
window.order.push("run " + version + " " + JSON.stringify(import.meta.hot.data));
if (window.firstData) window.sameData = window.firstData === import.meta.hot.data;
else window.firstData = import.meta.hot.data;
import.meta.hot.dispose((data) => {
  window.order.push("dispose " + version);
  data.from = version;
});
import.meta.hot.on("vite:beforeUpdate", (p) => window.order.push("before " + version + " " + p.updates.map((u) => u.type + " " + u.path).join()));
import.meta.hot.on("vite:afterUpdate", () => window.order.push("after " + version));
import.meta.hot.accept();
`

func TestBrowserHotUpdateDisposesFirstAndKeepsData(t *testing.T) {
	files := map[string]string{
		"index.html":   `<!doctype html><title>order</title><script type="module" src="/src/order.js"></script>`,
		"src/order.js": fmt.Sprintf(orderJS, "v1"),
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `window.order?.length === 1`, 5*time.Second)

	writeFile(t, filepath.Join(dir, "src", "order.js"), fmt.Sprintf(orderJS, "v2"))
	testenv.WaitJS(t, tab, `window.order.length === 5`, 10*time.Second)
	// The old version's listeners hear beforeUpdate, the new one's
	// afterUpdate.
	want := `["run v1 {}","before v1 js-update /src/order.js","dispose v1","run v2 {\"from\":\"v1\"}","after v2"]`
	if got := evalJS[string](t, tab, `JSON.stringify(window.order)`); got != want {
		t.Errorf("order %s, want %s", got, want)
	}
	if !evalJS[bool](t, tab, `window.sameData === true`) {
		t.Error("import.meta.hot.data is another object in the new version")
	}
	if a := nthAck(t, tab, 1); a.Did != "hot-update" {
		t.Errorf("ack %+v, want hot-update", a)
	}
}

func TestBrowserHotUpdateAcceptedByTheImporter(t *testing.T) {
	files := map[string]string{
		"index.html":  `<!doctype html><title>deps</title><p id="out"></p><script type="module" src="/src/main.js"></script>`,
		"src/main.js": `import "./parent.js";` + "\n" + `import "./pair.js";` + "\n",
		"src/parent.js": `import { value } from "./child.js";
window.parentRuns = (window.parentRuns || 0) + 1;
const out = document.getElementById("out");
out.textContent = value;
import.meta.hot.accept("./child.js", (mod) => {
  out.textContent = mod.value;
});
`,
		"src/child.js": `export const value = "child one";` + "\n",
		"src/pair.js": `import { a } from "./a.js";
import { b } from "./b.js";
window.pairRuns = (window.pairRuns || 0) + 1;
import.meta.hot.accept(["./a.js", "./b.js"], (mods) => {
  window.pairGot = { isArray: Array.isArray(mods), values: mods.map((m) => (m ? (m.a ?? m.b) : null)) };
});
`,
		"src/a.js": `export const a = "a1";` + "\n",
		"src/b.js": `export const b = "b1";` + "\n",
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#out").textContent === "child one"`, 5*time.Second)

	writeFile(t, filepath.Join(dir, "src", "child.js"), `export const value = "child two";`+"\n")
	testenv.WaitJS(t, tab, `document.querySelector("#out").textContent === "child two"`, 10*time.Second)
	if a := nthAck(t, tab, 1); a.Did != "hot-update" || !slices.Equal(a.Boundaries, []string{"/src/parent.js"}) {
		t.Errorf("ack %+v, want hot-update with the boundary /src/parent.js", a)
	}

	writeFile(t, filepath.Join(dir, "src", "b.js"), `export const b = "b2";`+"\n")
	testenv.WaitJS(t, tab, `window.pairGot !== undefined`, 10*time.Second)
	if got := evalJS[string](t, tab, `JSON.stringify(window.pairGot)`); got != `{"isArray":true,"values":[null,"b2"]}` {
		t.Errorf("accept([a, b], cb) got %s, want an array with the new b at its place", got)
	}
	if got := evalJS[string](t, tab, `[window.parentRuns, window.pairRuns].join()`); got != "1,1" {
		t.Errorf("the accepting importers ran %s times, want 1,1 (they are not re-run)", got)
	}
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s, want no reload", got)
	}
}

func TestBrowserHotUpdateOfAJSONModule(t *testing.T) {
	files := map[string]string{
		"index.html": `<!doctype html><title>json</title><h1 id="title"></h1><script type="module" src="/src/app.js"></script>`,
		"src/app.js": `import data from "./data.json" with { type: "json" };
document.getElementById("title").textContent = data.title;
window.appRuns = (window.appRuns || 0) + 1;
import.meta.hot?.accept();
`,
		"src/data.json": `{"title": "first"}`,
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#title").textContent === "first"`, 5*time.Second)

	writeFile(t, filepath.Join(dir, "src", "data.json"), `{"title": "second"}`)
	testenv.WaitJS(t, tab, `document.querySelector("#title").textContent === "second"`, 10*time.Second)
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s, want no reload", got)
	}
	if a := nthAck(t, tab, 1); a.Did != "hot-update" || !slices.Equal(a.Boundaries, []string{"/src/app.js"}) {
		t.Errorf("ack %+v, want hot-update through the importer /src/app.js", a)
	}
}

func TestBrowserHotUpdateOfACSSModuleScript(t *testing.T) {
	// Also after more modules than Chromium's resource timing buffer
	// holds (250): the page cannot tell from it that it imported
	// theme.css, and need not.
	for _, before := range []int{0, 300} {
		t.Run(fmt.Sprintf("after %d modules", before), func(t *testing.T) {
			files := map[string]string{
				"index.html":    `<!doctype html><title>css</title><h1>styled</h1><script type="module" src="/src/app.js"></script>`,
				"src/theme.css": `h1 { color: rgb(255, 0, 0); }`,
			}
			var imports strings.Builder
			for i := range before {
				fmt.Fprintf(&imports, "import \"./m/%d.js\";\n", i)
				files[fmt.Sprintf("src/m/%d.js", i)] = "export {};\n"
			}
			files["src/app.js"] = imports.String() + `import sheet from "./theme.css" with { type: "css" };
document.adoptedStyleSheets = [sheet];
window.firstSheet = sheet;
`
			dir, tab, _ := hmrSite(t, files, "")
			testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(255, 0, 0)"`, 30*time.Second)

			writeFile(t, filepath.Join(dir, "src", "theme.css"), `h1 { color: rgb(0, 0, 255); }`)
			testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(0, 0, 255)"`, 10*time.Second)
			if !evalJS[bool](t, tab, `document.adoptedStyleSheets.length === 1 && document.adoptedStyleSheets[0] === window.firstSheet`) {
				t.Error("the page's adopted sheet is another object: it was replaced, not updated in place")
			}
			if got := loads(t, tab); got != "1 loads, 1 load events" {
				t.Errorf("%s, want no reload", got)
			}
			if a := nthAck(t, tab, 1); a.Did != "hot-update" || !slices.Equal(a.Boundaries, []string{"/src/theme.css"}) {
				t.Errorf("ack %+v, want hot-update naming /src/theme.css", a)
			}
		})
	}
}

func TestBrowserHotPrefixOnlyOnModulesAndLinesStay(t *testing.T) {
	classic := "// A classic script: it cannot hold import.meta, only name it.\nwindow.classic = \"import.meta.hot\";\n"
	boom := `// Line 1: this module reads import.meta.hot, so it is prefixed.
if (import.meta.hot) import.meta.hot.accept();
export function boom() {
  throw new Error("boom on line 4");
}
`
	files := map[string]string{
		"index.html": `<!doctype html><title>lines</title><script src="/classic.js"></script>
<script type="module">
import { boom } from "/src/boom.js";
try { boom(); } catch (err) { window.stack = err.stack; console.error(err); }
</script>`,
		"classic.js":  classic,
		"src/boom.js": boom,
	}
	s, log, _ := consoleSite(t, files)
	tab := newTab(t)
	navigate(t, tab, s.URL)
	testenv.WaitJS(t, tab, `window.stack !== undefined`, 5*time.Second)

	// The classic script ran: prefixed, it would be a syntax error.
	if got := evalJS[string](t, tab, `String(window.classic)`); got != "import.meta.hot" {
		t.Errorf("the classic script set %q, want import.meta.hot: it did not run as written", got)
	}
	if stack := evalJS[string](t, tab, `window.stack`); !strings.Contains(stack, "/src/boom.js:4:9") {
		t.Errorf("the module's stack does not name line 4, column 9:\n%s", stack)
	}
	waitLine(t, log, "", "src/boom.js:4:9")

	// The bytes as the browser fetched each: a classic script (no-cors)
	// as written, a module (cors) with the prefix joined to its first line.
	for _, c := range []struct{ path, mode, want string }{
		{"classic.js", "no-cors", classic},
		{"src/boom.js", "cors", hotPrefix + boom},
	} {
		req, _ := http.NewRequest("GET", s.URL+c.path, nil)
		req.Header.Set("Sec-Fetch-Dest", "script")
		req.Header.Set("Sec-Fetch-Mode", c.mode)
		req.Header.Set("Referer", s.URL)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(body) != c.want {
			t.Errorf("%s fetched as %s script:\n%q\nwant\n%q", c.path, c.mode, body, c.want)
		}
	}
}

func TestBrowserHotGuardedModulesWorkUnserved(t *testing.T) {
	dir := t.TempDir()
	for name, content := range counterFiles() {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		writeFile(t, filepath.Join(dir, name), content)
	}
	plain := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(plain.Close)
	tab := newTab(t)
	var mu sync.Mutex
	var errs []string
	if err := chromedp.Listen(tab, func(ev any) {
		if c, ok := ev.(*runtime.EventConsoleAPICalled); ok && (c.Type == runtime.ConsoleAPICalledTypeError || c.Type == runtime.ConsoleAPICalledTypeWarning) {
			mu.Lock()
			defer mu.Unlock()
			for _, a := range c.Args {
				errs = append(errs, string(a.Value)+a.Description)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(plain.URL)); err != nil {
		t.Fatal(err)
	}
	testenv.WaitJS(t, tab, `document.readyState === "complete" && document.querySelector("#counter")?.textContent === "Clicks: 0"`, 5*time.Second)
	clickCounter(t, tab, 2)
	if evalJS[bool](t, tab, `window.__hotserve !== undefined`) {
		t.Error("a plain file server's page has hotserve's client")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(errs) > 0 {
		t.Errorf("the page logged errors served by a plain file server: %q", errs)
	}
}

func TestBrowserHotUpdateThroughAnImportMap(t *testing.T) {
	page := `<!doctype html><html><head><title>map</title>
<script type="importmap">{"imports": {%s"app/": "/src/"}}</script>
</head><body><p id="view"></p>
<script type="module">import "app/main.js";</script>
</body></html>`
	view := `document.getElementById("view").textContent = "%s";
import.meta.hot?.accept();
`
	files := map[string]string{
		"index.html":  fmt.Sprintf(page, ""),
		"src/main.js": `import "app/view.js";` + "\n",
		"src/view.js": fmt.Sprintf(view, "view one"),
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#view").textContent === "view one"`, 5*time.Second)

	writeFile(t, filepath.Join(dir, "src", "view.js"), fmt.Sprintf(view, "view two"))
	testenv.WaitJS(t, tab, `document.querySelector("#view").textContent === "view two"`, 10*time.Second)
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s, want no reload", got)
	}
	if a := nthAck(t, tab, 1); a.Did != "hot-update" || !slices.Equal(a.Boundaries, []string{"/src/view.js"}) {
		t.Errorf("ack %+v, want hot-update with the boundary /src/view.js", a)
	}

	// A change to the import map is a change to a script of the page.
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(page, `"lib/": "/lib/", `))
	testenv.WaitJS(t, tab, `sessionStorage.loads === "2" && document.querySelector("#view")?.textContent === "view two"`, 10*time.Second)
	if a := nthAck(t, tab, 2); a.Did != "reloaded" {
		t.Errorf("ack %+v after the import map changed, want reloaded", a)
	}
}

func TestBrowserHotUpdateSurvivesASyntaxError(t *testing.T) {
	dir, tab, log := hmrSite(t, counterFiles(), "")
	clickCounter(t, tab, 3)

	file := filepath.Join(dir, "src", "counter.js")
	writeFile(t, file, strings.Replace(fmt.Sprintf(counterJS, "Broken"), "render();", "render(;", 1))
	a := nthAck(t, tab, 1)
	if a.Did != "hot-failed" || !strings.Contains(a.Reason, "SyntaxError") {
		t.Errorf("ack %+v, want hot-failed with the SyntaxError", a)
	}
	waitLine(t, log, "src/counter.js → ", "hot update failed (SyntaxError")
	// The error itself reaches the terminal and the page's overlay, as an
	// uncaught one would: the page shows nothing of it otherwise.
	waitLine(t, log, "/ · ", "SyntaxError: Unexpected token ';' · src/counter.js")
	testenv.WaitJS(t, tab, overlayText+`.includes("SyntaxError")`, 10*time.Second)
	if got := evalJS[string](t, tab, `document.querySelector("#counter").textContent`); got != "Clicks: 3" {
		t.Errorf("after a syntax error the page shows %q, want it as it was (Clicks: 3)", got)
	}
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s, want no reload", got)
	}

	writeFile(t, file, fmt.Sprintf(counterJS, "Fixed"))
	testenv.WaitJS(t, tab, `document.querySelector("#counter").textContent === "Fixed: 3"`, 10*time.Second)
	testenv.WaitJS(t, tab, overlayText+` === ""`, 5*time.Second) // the update that applies removes it
	if a := nthAck(t, tab, 2); a.Did != "hot-update" {
		t.Errorf("ack %+v after the fix, want hot-update", a)
	}
}

func TestBrowserHotInvalidateGoesToTheImporter(t *testing.T) {
	shell := `import { shape } from "./shape.js";
window.shellRuns = (window.shellRuns || 0) + 1;
document.getElementById("shape").textContent = shape;
%s
`
	shape := `export const shape = "%s";
import.meta.hot.accept((mod) => {
  if (mod.shape !== "round") import.meta.hot.invalidate("not round");
});
`
	accepting := `import.meta.hot.on("vite:invalidate", (p) => { window.invalidated = p; });
import.meta.hot.accept();`
	files := map[string]string{
		"index.html":   `<!doctype html><title>invalidate</title><p id="shape"></p><script type="module" src="/src/shell.js"></script>`,
		"src/shell.js": fmt.Sprintf(shell, accepting),
		"src/shape.js": fmt.Sprintf(shape, "round"),
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#shape").textContent === "round"`, 5*time.Second)

	// shape.js declines its new version; shell.js, which accepts itself,
	// runs again with it.
	writeFile(t, filepath.Join(dir, "src", "shape.js"), fmt.Sprintf(shape, "square"))
	testenv.WaitJS(t, tab, `document.querySelector("#shape").textContent === "square"`, 10*time.Second)
	if got := evalJS[string](t, tab, `[window.shellRuns, JSON.stringify(window.invalidated)].join()`); got != `2,{"path":"/src/shape.js","message":"not round"}` {
		t.Errorf("shell runs, vite:invalidate = %s; want 2 and the path and message", got)
	}
	if a := nthAck(t, tab, 1); a.Did != "hot-update" || !slices.Equal(a.Boundaries, []string{"/src/shell.js"}) {
		t.Errorf("ack %+v, want hot-update with the boundary /src/shell.js", a)
	}
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s, want no reload", got)
	}

	// Where no importer accepts, the page reloads. (The version of
	// shell.js that ran accepted its successor, which accepts nothing.)
	writeFile(t, filepath.Join(dir, "src", "shell.js"), fmt.Sprintf(shell, "// accepts nothing"))
	testenv.WaitJS(t, tab, `window.shellRuns === 3`, 10*time.Second)
	nthAck(t, tab, 2)
	writeFile(t, filepath.Join(dir, "src", "shape.js"), fmt.Sprintf(shape, "triangle"))
	testenv.WaitJS(t, tab, `sessionStorage.loads === "2" && document.querySelector("#shape")?.textContent === "triangle"`, 10*time.Second)
	if a := nthAck(t, tab, 3); a.Did != "reloaded" || !strings.Contains(a.Reason, "no module accepts src/shape.js") {
		t.Errorf("ack %+v, want reloaded because no module accepts src/shape.js", a)
	}
}

func TestBrowserHotPruneRunsForADroppedImport(t *testing.T) {
	app := `%s
window.appRuns = (window.appRuns || 0) + 1;
import.meta.hot.accept();
`
	files := map[string]string{
		"index.html": `<!doctype html><title>prune</title><p id="extra"></p><script type="module" src="/src/app.js"></script>`,
		"src/app.js": fmt.Sprintf(app, `import "./extra.js";`),
		"src/extra.js": `document.getElementById("extra").textContent = "extra";
import.meta.hot.prune(() => {
  document.getElementById("extra").textContent = "pruned";
});
`,
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#extra").textContent === "extra"`, 5*time.Second)

	writeFile(t, filepath.Join(dir, "src", "app.js"), fmt.Sprintf(app, "// extra.js is no longer imported"))
	testenv.WaitJS(t, tab, `document.querySelector("#extra").textContent === "pruned"`, 10*time.Second)
	if got := evalJS[string](t, tab, `String(window.appRuns)`); got != "2" {
		t.Errorf("app.js ran %s times, want 2", got)
	}
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s, want no reload", got)
	}
}

func TestBrowserHotUpdateAfterPushStateReloads(t *testing.T) {
	files := map[string]string{
		"index.html":  `<!doctype html><title>spa</title><p id="out"></p><script type="module" src="/src/main.js"></script>`,
		"src/main.js": `import { greeting } from "./util.js";` + "\n" + `document.getElementById("out").textContent = greeting;` + "\n",
		"src/util.js": `export const greeting = "hello";` + "\n",
	}
	dir, tab, log := hmrSite(t, files, "", func(c *devserver.Config) { c.SPA.On = true })
	testenv.WaitJS(t, tab, `document.querySelector("#out").textContent === "hello"`, 5*time.Second)
	// The app's router moves on: main.js's importer is still /, the page
	// that loaded it, which is not where the tab is now.
	evalJS[bool](t, tab, `history.pushState(null, "", "/settings"); true`)

	writeFile(t, filepath.Join(dir, "src", "util.js"), `export const greeting = "goodbye";`+"\n")
	if a := nthAck(t, tab, 1); a.Did != "reloaded" || a.Reason != "no module accepts src/util.js" {
		t.Errorf("ack %+v, want reloaded because no module accepts src/util.js", a)
	}
	testenv.WaitJS(t, tab, `document.querySelector("#out")?.textContent === "goodbye"`, 10*time.Second)
	if got := evalJS[string](t, tab, `location.pathname + ": " + sessionStorage.loads + " loads"`); got != "/settings: 2 loads" {
		t.Errorf("after the edit the tab shows %s, want /settings: 2 loads (a reload where it was)", got)
	}
	waitLine(t, log, "src/util.js → ", "no module accepts src/util.js")
}

func TestBrowserHotUpdateInAFolderWithASpace(t *testing.T) {
	files := counterFiles()
	delete(files, "src/main.js")
	delete(files, "src/counter.js")
	files["index.html"] = strings.Replace(counterPage, `<script type="module" src="/src/main.js">`,
		`<link rel="stylesheet" href="/my%20app/caf%C3%A9.css"><script type="module" src="/my%20app/main.js">`, 1)
	files["my app/main.js"] = `import "./café.js";` + "\n" + `window.mainRuns = (window.mainRuns || 0) + 1;` + "\n"
	files["my app/café.js"] = fmt.Sprintf(counterJS, "Clicks")
	files["my app/café.css"] = `#counter { color: rgb(255, 0, 0); }`
	dir, tab, _ := hmrSite(t, files, "")
	clickCounter(t, tab, 2)

	// Each update names its file by its decoded path, which the page's
	// encoded URLs must match: the stylesheet's link is swapped, not every
	// stylesheet refreshed for want of a match, and the module is the
	// boundary. One save at a time, so that each is its own update.
	writeFile(t, filepath.Join(dir, "my app", "café.css"), `#counter { color: rgb(0, 0, 255); }`)
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("#counter")).color === "rgb(0, 0, 255)"`, 10*time.Second)
	if a := nthAck(t, tab, 1); a.Did != "swapped" {
		t.Errorf("ack %+v, want swapped (the link to /my app/café.css)", a)
	}
	writeFile(t, filepath.Join(dir, "my app", "café.js"), fmt.Sprintf(counterJS, "Taps"))
	testenv.WaitJS(t, tab, `document.querySelector("#counter")?.textContent.startsWith("Taps")`, 10*time.Second)
	if got := evalJS[string](t, tab, `document.querySelector("#counter").textContent`); got != "Taps: 2" {
		t.Errorf("the counter after the edit: %q, want Taps: 2", got)
	}
	if a := nthAck(t, tab, 2); a.Did != "hot-update" || !slices.Equal(a.Boundaries, []string{"/my app/café.js"}) {
		t.Errorf("ack %+v, want hot-update with the boundary /my app/café.js", a)
	}
	if got := evalJS[string](t, tab, `String(window.mainRuns)`); got != "1" {
		t.Errorf("main.js ran %s times, want 1 (it does not accept)", got)
	}
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s, want no reload", got)
	}
}

// mapPage is a page with the import map imports (its JSON) that shows
// #view and loads the module entry.
func mapPage(imports, entry string) string {
	return `<!doctype html><html><head><title>map</title>
<script type="importmap">{"imports": ` + imports + `}</script>
</head><body><p id="view"></p>
<script type="module" src="` + entry + `"></script>
</body></html>`
}

// opaquePage loads /src/view.js, which imports "x" through an exact key
// of the import map: a specifier the server cannot give ?t= ("x?t=1"
// would not resolve).
var opaquePage = mapPage(`{"x": "/src/x.js"}`, "/src/view.js")

func TestBrowserHotOpaqueModuleDoesNotAcceptItself(t *testing.T) {
	files := map[string]string{
		"index.html": opaquePage,
		"src/view.js": `import { x } from "x";
document.getElementById("view").textContent = x;
window.viewRuns = (window.viewRuns || 0) + 1;
import.meta.hot.accept();
`,
		"src/x.js": `export const x = "x one";` + "\n",
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#view").textContent === "x one"`, 5*time.Second)

	// view.js imported fresh would import the x.js in the module map, the
	// old one: the page must reload, not claim a hot update.
	writeFile(t, filepath.Join(dir, "src", "x.js"), `export const x = "x two";`+"\n")
	if a := nthAck(t, tab, 1); a.Did != "reloaded" || a.Reason != "no module accepts src/x.js" {
		t.Errorf("ack %+v, want reloaded because no module accepts src/x.js", a)
	}
	testenv.WaitJS(t, tab, `document.querySelector("#view")?.textContent === "x two"`, 10*time.Second)
	if got := evalJS[string](t, tab, `sessionStorage.loads + " loads, view ran " + window.viewRuns`); got != "2 loads, view ran 1" {
		t.Errorf("after the edit: %s, want 2 loads, view ran 1 (a reload)", got)
	}
}

func TestBrowserHotOpaqueModuleAcceptsItsDependency(t *testing.T) {
	files := map[string]string{
		"index.html": opaquePage,
		"src/view.js": `import { x } from "x";
const view = document.getElementById("view");
view.textContent = x;
window.viewRuns = (window.viewRuns || 0) + 1;
import.meta.hot.accept("x", (mod) => {
  view.textContent = mod.x;
});
`,
		"src/x.js": `export const x = "x one";` + "\n",
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#view").textContent === "x one"`, 5*time.Second)

	writeFile(t, filepath.Join(dir, "src", "x.js"), `export const x = "x two";`+"\n")
	testenv.WaitJS(t, tab, `document.querySelector("#view").textContent === "x two"`, 10*time.Second)
	if a := nthAck(t, tab, 1); a.Did != "hot-update" || !slices.Equal(a.Boundaries, []string{"/src/view.js"}) {
		t.Errorf("ack %+v, want hot-update with the boundary /src/view.js", a)
	}
	if got := evalJS[string](t, tab, `String(window.viewRuns)`); got != "1" {
		t.Errorf("view.js ran %s times, want 1 (its callback takes the new x.js)", got)
	}
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s, want no reload", got)
	}
}

// TestBrowserHotImportThroughTheImportMapIsAnImport: main.js accepts
// x.js, but view.js imports it too, through the import map and after the
// browser already had it (no request says so): the edit must reach
// view.js, which accepts nothing, so the page reloads.
func TestBrowserHotImportThroughTheImportMapIsAnImport(t *testing.T) {
	files := map[string]string{
		"index.html": mapPage(`{"app/": "/src/"}`, "/src/main.js"),
		"src/main.js": `import "./x.js";
import "./view.js";
import.meta.hot.accept("./x.js", () => {});
`,
		"src/view.js": `import { x } from "app/x.js";
document.getElementById("view").textContent = x;
`,
		"src/x.js": `export const x = "one";` + "\n",
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#view").textContent === "one"`, 5*time.Second)
	writeFile(t, filepath.Join(dir, "src", "x.js"), `export const x = "two";`+"\n")
	if a := nthAck(t, tab, 1); a.Did != "reloaded" || a.Reason != "no module accepts src/x.js" {
		t.Errorf("ack %+v, want reloaded because no module accepts src/x.js", a)
	}
	testenv.WaitJS(t, tab, `document.querySelector("#view")?.textContent === "two"`, 10*time.Second)
}
