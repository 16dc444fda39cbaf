package devserver_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/testenv"
)

// These tests pin what a user of a hot update sees where the update has
// more to do than the plain cases of hmr_browser_test.go: a module below
// a boundary that accepts itself, a pruned module imported again, Vite-written code, and a page
// that breaks the client's own logging.

// liveJS is a module that shows itself in #live while it runs: an item
// that its dispose handler removes, so the list shows every instance that
// is live, the old ones the update did not dispose included. %s are its
// imports and its accept call.
const liveJS = `%s
const item = document.createElement("li");
item.textContent = %s;
document.getElementById("live").append(item);
import.meta.hot.dispose(() => item.remove());
%s
`

func liveFiles(x string) map[string]string {
	return map[string]string{
		"index.html":  `<!doctype html><title>live</title><ul id="live"></ul><script type="module" src="/src/main.js"></script>`,
		"src/main.js": `import "./s.js";` + "\n",
		// s.js accepts itself; c.js, which it imports too, accepts x.js.
		"src/s.js": fmt.Sprintf(liveJS, `import "./c.js";`+"\n"+`import { x } from "./x.js";`, `"s " + x`, "import.meta.hot.accept();"),
		"src/c.js": fmt.Sprintf(liveJS, `import { x } from "./x.js";`, `"c " + x`,
			`import.meta.hot.accept("./x.js", (mod) => { item.textContent = "c " + mod.x; });`),
		"src/x.js": fmt.Sprintf(liveJS, `export const x = "`+x+`";`, `"x " + x`, ""),
	}
}

const liveItems = `JSON.stringify([...document.querySelectorAll("#live li")].map((li) => li.textContent).sort())`

func TestBrowserHotUpdateDisposesEveryModuleItRunsAgain(t *testing.T) {
	dir, tab, _ := hmrSite(t, liveFiles("one"), "")
	testenv.WaitJS(t, tab, `document.querySelectorAll("#live li").length === 3`, 5*time.Second)

	// s.js runs again as s.js?t=E, and with it c.js?t=E, which accepted the
	// change itself: the old c.js must be disposed too, or two of it live.
	changed := liveFiles("two")["src/x.js"]
	writeFile(t, filepath.Join(dir, "src", "x.js"), changed)
	if a := nthAck(t, tab, 1); a.Did != "hot-update" {
		t.Fatalf("ack %+v, want hot-update", a)
	}
	want := `["c two","s two","x two"]`
	testenv.WaitJS(t, tab, liveItems+` === `+jsString(want), 5*time.Second)
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s, want no reload", got)
	}
}

// pruneApp imports extra.js, or not (%s), and accepts itself.
const pruneApp = `%s
window.appRuns = (window.appRuns || 0) + 1;
import.meta.hot.accept();
`

// extraJS counts its runs in its data, which a pruned module loses: run
// again later, it starts afresh.
const extraJS = `const data = import.meta.hot.data;
data.runs = (data.runs || 0) + 1;
const extra = document.getElementById("extra");
extra.textContent = "extra, run " + data.runs;
window.steps = window.steps || [];
import.meta.hot.dispose(() => window.steps.push("dispose"));
import.meta.hot.prune(() => {
  window.steps.push("prune");
  extra.textContent = "pruned";
});
`

func TestBrowserHotPruneDisposesThenForgets(t *testing.T) {
	files := map[string]string{
		"index.html":   `<!doctype html><title>prune</title><p id="extra"></p><script type="module" src="/src/app.js"></script>`,
		"src/app.js":   fmt.Sprintf(pruneApp, `import "./extra.js";`),
		"src/extra.js": extraJS,
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#extra").textContent === "extra, run 1"`, 5*time.Second)

	writeFile(t, filepath.Join(dir, "src", "app.js"), fmt.Sprintf(pruneApp, "// extra.js is no longer imported"))
	testenv.WaitJS(t, tab, `document.querySelector("#extra").textContent === "pruned"`, 10*time.Second)
	if got := evalJS[string](t, tab, `window.steps.join()`); got != "dispose,prune" {
		t.Errorf("a pruned module's handlers ran as %q, want dispose,prune (as under Vite)", got)
	}

	// Imported again, extra.js runs again, with new data.
	writeFile(t, filepath.Join(dir, "src", "app.js"), fmt.Sprintf(pruneApp, `import "./extra.js";`))
	testenv.WaitJS(t, tab, `window.appRuns === 3`, 10*time.Second)
	if a := nthAck(t, tab, 2); a.Did != "hot-update" || !slices.Equal(a.Boundaries, []string{"/src/app.js"}) {
		t.Errorf("ack %+v, want hot-update with the boundary /src/app.js", a)
	}
	testenv.WaitJS(t, tab, `document.querySelector("#extra").textContent === "extra, run 1"`, 5*time.Second)
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s, want no reload", got)
	}
}

// viteJS calls what Vite's import.meta.hot has beyond accept and dispose,
// as code written for Vite does, and registers two dispose handlers, of
// which Vite keeps the last. %s is its label.
const viteJS = `const app = document.getElementById("app");
export const label = "%s";
if (import.meta.hot) {
  import.meta.hot.decline();
  import.meta.hot.send("my:event", { label });
  import.meta.hot.send("my:event", { label });
  import.meta.hot.dispose(() => { window.disposed = (window.disposed || []).concat("first " + label); });
  import.meta.hot.dispose(() => { window.disposed = (window.disposed || []).concat("last " + label); });
  import.meta.hot.acceptExports(["label"], (mod) => { window.accepted = mod.label; });
}
app.textContent = "ran all: " + label;
`

// vitePage counts hotserve's notes about send before the page's module runs.
const vitePage = `<!doctype html><title>vite</title><script>
const info = console.info;
window.sendNotes = 0;
console.info = function (...args) {
  if (typeof args[0] === "string" && args[0].startsWith("[hotserve]") && args[0].includes("send")) window.sendNotes++;
  return info.apply(this, args);
};
</script><div id="app"></div><script type="module" src="/src/view.js"></script>`

func TestBrowserHotViteMethodsDoNotThrow(t *testing.T) {
	files := map[string]string{
		"index.html":  vitePage,
		"src/view.js": fmt.Sprintf(viteJS, "one"),
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#app").textContent === "ran all: one"`, 5*time.Second)

	// acceptExports accepts the module itself, as Vite's client does.
	writeFile(t, filepath.Join(dir, "src", "view.js"), fmt.Sprintf(viteJS, "two"))
	testenv.WaitJS(t, tab, `document.querySelector("#app").textContent === "ran all: two"`, 10*time.Second)
	if a := nthAck(t, tab, 1); a.Did != "hot-update" || !slices.Equal(a.Boundaries, []string{"/src/view.js"}) {
		t.Errorf("ack %+v, want hot-update with the boundary /src/view.js", a)
	}
	checks := []struct{ what, expr, want string }{
		{"the dispose handlers that ran", `JSON.stringify(window.disposed)`, `["last one"]`},
		{"the acceptExports callback's module", `String(window.accepted)`, "two"},
		{"hotserve's notes about send", `String(window.sendNotes)`, "1"},
	}
	for _, c := range checks {
		if got := evalJS[string](t, tab, c.expr); got != c.want {
			t.Errorf("%s: %s, want %s", c.what, got, c.want)
		}
	}
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s, want no reload", got)
	}
}

// loggerJS replaces console.error with one that throws, as a broken error
// reporter would, which hotserve's report of a failed update calls; %s
// are its label and what its dispose handler does.
const loggerJS = `console.error = () => { throw new Error("the page's logger is down"); };
document.getElementById("app").textContent = "%s";
import.meta.hot.dispose(() => { %s });
import.meta.hot.accept();
`

func TestBrowserHotUpdateAfterAnUnexpectedFailure(t *testing.T) {
	files := map[string]string{
		"index.html":  `<!doctype html><title>logger</title><div id="app"></div><script type="module" src="/src/view.js"></script>`,
		"src/view.js": fmt.Sprintf(loggerJS, "one", `throw new Error("dispose failed");`),
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#app").textContent === "one"`, 5*time.Second)

	// The failed dispose is reported through the page's console.error,
	// which throws: the page reloads, saying why.
	file := filepath.Join(dir, "src", "view.js")
	writeFile(t, file, fmt.Sprintf(loggerJS, "two", ""))
	if a := nthAck(t, tab, 1); a.Did != "reloaded" || !strings.Contains(a.Reason, "the page's logger is down") {
		t.Errorf("ack %+v, want reloaded, naming the error", a)
	}
	testenv.WaitJS(t, tab, `document.querySelector("#app")?.textContent === "two"`, 10*time.Second)

	// And the next update is hot again.
	writeFile(t, file, fmt.Sprintf(loggerJS, "three", ""))
	testenv.WaitJS(t, tab, `document.querySelector("#app").textContent === "three"`, 10*time.Second)
	if a := nthAck(t, tab, 2); a.Did != "hot-update" {
		t.Errorf("ack %+v after the reload, want hot-update", a)
	}
	if got := evalJS[string](t, tab, `String(sessionStorage.loads)`); got != "2" {
		t.Errorf("the tab loaded %s times, want 2 (one reload)", got)
	}
}

// TestBrowserHotCSSBothLinkedAndImported: one stylesheet that the page
// both links and imports as a CSS module script is refreshed both ways by
// one edit.
func TestBrowserHotCSSBothLinkedAndImported(t *testing.T) {
	files := map[string]string{
		"index.html": `<!doctype html><title>css</title><link rel="stylesheet" href="/src/theme.css">
<h1>styled</h1><p>linked</p><script type="module" src="/src/app.js"></script>`,
		"src/app.js": `import sheet from "./theme.css" with { type: "css" };
document.adoptedStyleSheets = [sheet];
`,
		"src/theme.css": `h1, p { color: rgb(255, 0, 0); }`,
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("p")).color === "rgb(255, 0, 0)"`, 5*time.Second)
	// The adopted sheet comes after the link: make the link's rule the
	// only one for p, so each way shows on its own element.
	writeFile(t, filepath.Join(dir, "src", "theme.css"), `h1 { color: rgb(0, 0, 255); } p { color: rgb(0, 128, 0); }`)
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(0, 0, 255)"`, 10*time.Second)
	testenv.WaitJS(t, tab, `new URL(document.querySelector("link[rel=stylesheet]").href).searchParams.has("hotserve")`, 10*time.Second)
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s, want no reload", got)
	}
}

// TestBrowserHotOpaqueModuleIsNotRunAgain: s.js accepts itself and imports
// m.js, which imports x.js by an exact import map key ("x") and accepts
// it. Editing x.js updates m.js in place, but s.js's new version would run
// m.js again bound to the old x.js: the page reloads instead of showing
// it.
func TestBrowserHotOpaqueModuleIsNotRunAgain(t *testing.T) {
	files := map[string]string{
		"index.html": mapPage(`{"x": "/src/x.js"}`, "/src/s.js"),
		"src/s.js": `import { show } from "./m.js";
import "./x.js";
show();
import.meta.hot.accept();
`,
		"src/m.js": `import { x } from "x";
export function show(v = x) {
  document.getElementById("view").textContent = v;
}
import.meta.hot.accept("x", (mod) => show(mod.x));
`,
		"src/x.js": `export const x = "one";` + "\n",
	}
	dir, tab, _ := hmrSite(t, files, "")
	testenv.WaitJS(t, tab, `document.querySelector("#view").textContent === "one"`, 5*time.Second)
	writeFile(t, filepath.Join(dir, "src", "x.js"), `export const x = "two";`+"\n")
	if a := nthAck(t, tab, 1); a.Did != "reloaded" || !strings.Contains(a.Reason, "src/m.js") {
		t.Errorf("ack %+v, want reloaded, naming src/m.js", a)
	}
	testenv.WaitJS(t, tab, `document.querySelector("#view")?.textContent === "two"`, 10*time.Second)
}
