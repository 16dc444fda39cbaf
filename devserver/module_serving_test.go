package devserver

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/watcher"
)

// moduleSite serves files (name → content) from a new folder with cfg on
// a real listener, and returns the server, its URL and the folder.
func moduleSite(t *testing.T, cfg Config, files map[string]string) (*Server, string, string) {
	t.Helper()
	cfg.Root = t.TempDir()
	for name, body := range files {
		writeFile(t, filepath.Join(cfg.Root, name), body)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); ts.Close() })
	return s, ts.URL, cfg.Root
}

func writeFile(t *testing.T, name, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fetchAs requests path as a browser does for dest in mode (a module
// import: "script", "cors"), with from as the referrer ("" for none), and
// returns the response and its body.
func fetchAs(t *testing.T, base, path, dest, mode, from string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Sec-Fetch-Dest", dest)
	req.Header.Set("Sec-Fetch-Mode", mode)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if from != "" {
		req.Header.Set("Referer", base+from)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestModulePrefixJoinsTheFirstLine(t *testing.T) {
	const hot = "if (import.meta.hot) import.meta.hot.accept();\nexport const x = 1;\n"
	const plain = "export const y = 2;\n//# sourceMappingURL=lib.js.map\n"
	files := map[string]string{
		"app.js":  hot,
		"lib.js":  plain,
		"bom.mjs": "\xef\xbb\xbf" + hot,
		"cli.js":  "#!/usr/bin/env node\n" + hot,
	}
	_, base, _ := moduleSite(t, Config{}, files)
	cases := []struct{ path, dest, mode, want string }{
		{"/app.js", "script", "cors", hotPrefix + hot},
		{"/app.js", "script", "no-cors", hot}, // a classic script cannot read import.meta
		{"/app.js", "empty", "cors", hot},     // fetch()
		{"/app.js", "worker", "same-origin", hot},
		{"/lib.js", "script", "cors", plain}, // never reads import.meta.hot: byte for byte
		{"/bom.mjs", "script", "cors", "\xef\xbb\xbf" + hotPrefix + hot},
		{"/cli.js", "script", "cors", "#!/usr/bin/env node\n" + hotPrefix + hot},
	}
	for _, c := range cases {
		resp, body := fetchAs(t, base, c.path, c.dest, c.mode, "/")
		if body != c.want {
			t.Errorf("%s as %s/%s:\nhave %q\nwant %q", c.path, c.dest, c.mode, body, c.want)
		}
		if strings.Count(body, "\n") != strings.Count(files[strings.TrimPrefix(c.path, "/")], "\n") {
			t.Errorf("%s as %s/%s: the lines moved", c.path, c.dest, c.mode)
		}
		if v := resp.Header.Values("Vary"); !slices.ContainsFunc(v, func(s string) bool { return strings.Contains(s, "Sec-Fetch-Dest") }) {
			t.Errorf("%s as %s/%s: Vary %q does not name Sec-Fetch-Dest", c.path, c.dest, c.mode, v)
		}
	}

	resp, _ := fetchAs(t, base, "/app.js", "script", "cors", "/")
	again, body := fetchAs(t, base, "/app.js", "script", "cors", "/", "If-None-Match", resp.Header.Get("ETag"))
	if again.StatusCode != http.StatusNotModified || body != "" {
		t.Errorf("revalidating the module: %s with %d bytes, want 304", again.Status, len(body))
	}
	classic, _ := fetchAs(t, base, "/app.js", "script", "no-cors", "/")
	if classic.Header.Get("ETag") == resp.Header.Get("ETag") {
		t.Errorf("the module and the classic script share the ETag %s", resp.Header.Get("ETag"))
	}
}

func TestModuleNoHMRServesModulesAsTheyAre(t *testing.T) {
	const hot = "if (import.meta.hot) import.meta.hot.accept();\n"
	_, base, _ := moduleSite(t, Config{NoHMR: true}, map[string]string{"app.js": hot})
	if _, body := fetchAs(t, base, "/app.js", "script", "cors", "/"); body != hot {
		t.Errorf("with NoHMR the module is %q, want it byte for byte", body)
	}
}

// tabOn connects a tab showing page to the server s at base, reads its
// greeting, and waits until s counts it.
func tabOn(t *testing.T, s *Server, base, page string) *websocket.Conn {
	t.Helper()
	before := s.Tabs()
	c := dial(t, "ws"+strings.TrimPrefix(base, "http")+"/__hotserve/ws?page="+page, 0)
	readMessage(t, c)
	waitFor(t, "the tab", 5*time.Second, func() bool { return s.Tabs() > before })
	return c
}

// loadModules does what a browser loading the home page of base does: it
// navigates to the page, then fetches each module, written "PATH <-
// IMPORTER", as a module import from that importer.
func loadModules(t *testing.T, base string, modules ...string) {
	t.Helper()
	fetchAs(t, base, "/", "document", "navigate", "")
	for _, m := range modules {
		path, from, ok := strings.Cut(m, " <- ")
		if !ok {
			t.Fatalf("module %q is not written PATH <- IMPORTER", m)
		}
		fetchAs(t, base, path, "script", "cors", from)
	}
}

// save writes body to the file name under root and tells s, as the
// watcher would.
func save(t *testing.T, s *Server, root, name, body string) string {
	t.Helper()
	writeFile(t, filepath.Join(root, name), body)
	return s.Update(watcher.Batch{Events: []watcher.Event{{Op: watcher.Write, Path: name}}, Start: time.Now()})
}

func TestModuleEditIsAHotUpdate(t *testing.T) {
	s, base, root := moduleSite(t, Config{}, map[string]string{
		"index.html": `<script type="module" src="/main.js"></script>`,
		"other.html": `<p>no modules</p>`,
		"main.js":    "import { render } from './counter.js';\nimport data from \"./data.json\" with { type: \"json\" };\nimport sheet from './look.css' with { type: 'css' };\nimport './old.js';\nrender(data, sheet);\n",
		"counter.js": "export function render() {}\nif (import.meta.hot) import.meta.hot.accept();\n",
		"data.json":  `{"n": 1}`,
		"look.css":   "p { color: red }",
		"old.js":     "export {};\n",
		"classic.js": "console.log('classic');\n",
		"linked.css": "p { color: blue }",
	})
	fetchAs(t, base, "/", "document", "navigate", "")
	fetchAs(t, base, "/other.html", "document", "navigate", "")
	fetchAs(t, base, "/main.js", "script", "cors", "/")
	for _, p := range []string{"/counter.js", "/old.js"} {
		fetchAs(t, base, p, "script", "cors", "/main.js")
	}
	fetchAs(t, base, "/data.json", "json", "cors", "/main.js")
	fetchAs(t, base, "/look.css", "style", "cors", "/main.js")
	fetchAs(t, base, "/classic.js", "script", "no-cors", "/")
	fetchAs(t, base, "/linked.css", "style", "no-cors", "/")
	tab, away := tabOn(t, s, base, "/"), tabOn(t, s, base, "/other.html")

	if typ := save(t, s, root, "counter.js", "export function render() { /* new */ }\nif (import.meta.hot) import.meta.hot.accept();\n"); typ != msgLiveReload {
		t.Fatalf("a module edit sent %q, want %q", typ, msgLiveReload)
	}
	m := readMessage(t, tab)
	if m.Hot == nil || !slices.Equal(m.Hot.Modules, []string{"/counter.js"}) {
		t.Fatalf("a module edit sent %+v, want a hot update of /counter.js", m)
	}
	if got := m.Hot.Importers; !slices.Equal(got["/counter.js"], []string{"/main.js"}) || !slices.Equal(got["/main.js"], []string{"/"}) {
		t.Errorf("importers = %v, want counter.js ← main.js ← /", got)
	}

	// The save was scanned once, for the update: the tab's import of the
	// new version finds it scanned.
	if f, err := os.Open(filepath.Join(root, "counter.js")); err == nil {
		info, _ := f.Stat()
		if sc, _ := s.files.modules().scanned("/counter.js", fileETag(f, info)); sc == nil {
			t.Error("the update did not keep its scan of the new counter.js")
		}
		f.Close()
	}

	// The tab imports the new version fresh, and a module fetched later
	// imports that same version.
	_, fresh := fetchAs(t, base, "/counter.js?t="+itoa(m.Epoch), "script", "cors", "/main.js")
	if !strings.HasPrefix(fresh, hotPrefix+"export function render() { /* new */ }") {
		t.Errorf("the fresh import of counter.js is %q", fresh)
	}
	_, main := fetchAs(t, base, "/main.js", "script", "cors", "/")
	if want := "from './counter.js?t=" + itoa(m.Epoch) + "'"; !strings.Contains(main, want) {
		t.Errorf("main.js as served now does not import %s:\n%s", want, main)
	}
	if strings.Contains(main, "look.css?t=") || strings.Contains(main, "data.json?t=") || strings.Contains(main, "old.js?t=") {
		t.Errorf("main.js as served now imports a module that did not change at a new version:\n%s", main)
	}

	// A JSON module, and a CSS module script.
	save(t, s, root, "data.json", `{"n": 2}`)
	if m := readMessage(t, tab); m.Hot == nil || !slices.Equal(m.Hot.Modules, []string{"/data.json"}) {
		t.Errorf("a JSON module edit sent %+v, want a hot update of /data.json", m)
	}
	save(t, s, root, "look.css", "p { color: green }")
	if m := readMessage(t, tab); m.Type != msgLiveReload || m.Hot == nil || !slices.Equal(m.Hot.Styles, []string{"/look.css"}) {
		t.Errorf("a CSS module script edit sent %+v, want a live-reload with hot.styles /look.css", m)
	}

	// A module that stops importing another prunes it.
	save(t, s, root, "main.js", "import { render } from './counter.js';\nrender();\n")
	if m := readMessage(t, tab); m.Hot == nil || !slices.Equal(m.Hot.Prune, []string{"/data.json", "/look.css", "/old.js"}) {
		t.Errorf("main.js dropping three imports sent %+v, want them pruned", m.Hot)
	}

	// Anything else is what it was: a classic script reloads every tab, a
	// linked stylesheet is swapped.
	if typ := save(t, s, root, "classic.js", "console.log('new');\n"); typ != msgLiveReload {
		t.Errorf("a classic script edit sent %q", typ)
	}
	if m := readMessage(t, tab); m.Hot != nil {
		t.Errorf("a classic script edit offered a hot update: %+v", m.Hot)
	}
	if m := readMessage(t, away); !slices.Equal(m.Paths, []string{"/classic.js"}) {
		t.Errorf("the tab on a page that loads no module got %+v first, want only the classic script's reload", m)
	}
	if typ := save(t, s, root, "linked.css", "p { color: black }"); typ != msgCSSUpdate {
		t.Errorf("a linked stylesheet edit sent %q, want %q", typ, msgCSSUpdate)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestModuleBareSpecifiersResolveThroughThePagesImportMap(t *testing.T) {
	s, base, root := moduleSite(t, Config{}, map[string]string{
		"index.html": `<script type="importmap">{"imports": {"app/": "/src/", "xx": "/src/x.js", "lit": "https://cdn.example/lit.js"}}</script>` +
			`<script type="module" src="/main.js"></script>`,
		"main.js":        "import './src/x.js';\nimport './src/view.js';\nimport './src/exact.js';\n",
		"src/view.js":    "import { x } from 'app/x.js';\nimport 'lit';\nconst lazy = (n) => import(`./pages/${n}.js`);\n",
		"src/exact.js":   "import { x } from 'xx';\n",
		"src/x.js":       "export const x = 1;\n",
		"src/pages/a.js": "export const a = 1;\n",
	})
	loadModules(t, base, "/main.js <- /", "/src/x.js <- /main.js")
	// view.js and exact.js import x.js too, but the browser has it already:
	// only their source, read through the import map, says so.
	fetchAs(t, base, "/src/view.js", "script", "cors", "/main.js")
	fetchAs(t, base, "/src/exact.js", "script", "cors", "/main.js")
	fetchAs(t, base, "/src/pages/a.js", "script", "cors", "/src/view.js") // a computed import()
	tab := tabOn(t, s, base, "/")

	save(t, s, root, "src/x.js", "export const x = 2;\n")
	m := readMessage(t, tab)
	if m.Hot == nil {
		t.Fatalf("sent %+v, want a hot update", m)
	}
	if got := m.Hot.Importers["/src/x.js"]; !slices.Equal(got, []string{"/main.js", "/src/exact.js", "/src/view.js"}) {
		t.Errorf("x.js is imported by %v, want main.js, exact.js and view.js", got)
	}
	// "app/x.js?t=N" still resolves through "app/"; "xx?t=N" would not
	// resolve through "xx": exact.js cannot be imported fresh.
	if !slices.Equal(m.Hot.Opaque, []string{"/src/exact.js"}) || !slices.Equal(m.Hot.Importers["/src/view.js"], []string{"/main.js"}) {
		t.Errorf("opaque = %v, view.js imported by %v; want exact.js opaque, view.js passing it on to main.js", m.Hot.Opaque, m.Hot.Importers["/src/view.js"])
	}
	_, view := fetchAs(t, base, "/src/view.js?t="+itoa(m.Epoch), "script", "cors", "/main.js")
	if !strings.Contains(view, "from 'app/x.js?t="+itoa(m.Epoch)+"'") || strings.Contains(view, "lit?t=") {
		t.Errorf("view.js fetched for the update:\n%s", view)
	}

	save(t, s, root, "src/pages/a.js", "export const a = 2;\n")
	if m := readMessage(t, tab); m.Hot == nil || !slices.Equal(m.Hot.Opaque, []string{"/src/view.js"}) {
		t.Errorf("a module view.js imports by a computed import() sent %+v, want view.js opaque", m.Hot)
	}
}

func TestModuleLateUpdateKeepsItsOwnVersions(t *testing.T) {
	s, base, root := moduleSite(t, Config{}, map[string]string{
		"index.html": `<script type="module" src="/x.js"></script>`,
		"x.js":       "import './y.js';\nif (import.meta.hot) import.meta.hot.accept();\n",
		"y.js":       "export const y = 1;\n",
	})
	loadModules(t, base, "/x.js <- /", "/y.js <- /x.js")
	tab := tabOn(t, s, base, "/")

	save(t, s, root, "x.js", "import './y.js';\n// 2\nif (import.meta.hot) import.meta.hot.accept();\n")
	first := readMessage(t, tab)
	save(t, s, root, "y.js", "export const y = 2;\n")
	second := readMessage(t, tab)
	// The tab applies the first update only now: its x.js keeps the y.js
	// it had, which the second update replaces with x.js again.
	if _, x := fetchAs(t, base, "/x.js?t="+itoa(first.Epoch), "script", "cors", "/"); strings.Contains(x, "y.js?t=") {
		t.Errorf("x.js fetched for update %d imports a y.js that update %d made:\n%s", first.Epoch, second.Epoch, x)
	}
	if _, x := fetchAs(t, base, "/x.js?t="+itoa(second.Epoch), "script", "cors", "/"); !strings.Contains(x, "y.js?t="+itoa(second.Epoch)) {
		t.Errorf("x.js fetched for update %d does not import its y.js:\n%s", second.Epoch, x)
	}
}

func TestModuleCrossoriginLinkIsNotACSSModule(t *testing.T) {
	s, base, root := moduleSite(t, Config{}, map[string]string{
		"index.html": `<link rel="stylesheet" crossorigin href="/site.css"><script type="module" src="/main.js"></script>`,
		"main.js":    "import sheet from './mod.css' with { type: 'css' };\ndocument.adoptedStyleSheets = [sheet];\n",
		"site.css":   "p { color: red }",
		"mod.css":    "p { color: red }",
	})
	fetchAs(t, base, "/", "document", "navigate", "")
	fetchAs(t, base, "/site.css", "style", "cors", "/") // <link crossorigin> is fetched like a CSS module script
	fetchAs(t, base, "/main.js", "script", "cors", "/")
	fetchAs(t, base, "/mod.css", "style", "cors", "/main.js")
	tab := tabOn(t, s, base, "/")

	if typ := save(t, s, root, "site.css", "p { color: blue }"); typ != msgCSSUpdate {
		t.Errorf("a <link crossorigin> stylesheet's edit sent %q, want %q", typ, msgCSSUpdate)
	}
	readMessage(t, tab)
	save(t, s, root, "mod.css", "p { color: blue }")
	if m := readMessage(t, tab); m.Hot == nil || !slices.Equal(m.Hot.Styles, []string{"/mod.css"}) {
		t.Errorf("the CSS module script's edit sent %+v, want it in hot.styles", m)
	}
}

func TestModuleImportedByAClassicScriptEndsTheWalk(t *testing.T) {
	s, base, root := moduleSite(t, Config{}, map[string]string{
		"index.html": `<script src="/classic.js"></script>`,
		"classic.js": "import('./lazy.js');\n",
		"lazy.js":    "export const x = 1;\n",
	})
	fetchAs(t, base, "/", "document", "navigate", "")
	fetchAs(t, base, "/classic.js", "script", "no-cors", "/")
	fetchAs(t, base, "/lazy.js", "script", "cors", "/classic.js")
	tab := tabOn(t, s, base, "/")
	save(t, s, root, "lazy.js", "export const x = 2;\n")
	// The classic script cannot accept, nor be imported again: it ends
	// the walk as a page does, and the tab reloads unless lazy.js accepts
	// itself.
	m := readMessage(t, tab)
	if m.Hot == nil {
		t.Fatalf("sent %+v, want a hot update", m)
	}
	if _, isModule := m.Hot.Importers["/classic.js"]; isModule || !slices.Equal(m.Hot.Importers["/lazy.js"], []string{"/classic.js"}) {
		t.Errorf("importers = %v, want lazy.js imported by classic.js as by a page", m.Hot.Importers)
	}
}

func TestModuleVersionOnlyForItsOwnUpdate(t *testing.T) {
	s, base, root := moduleSite(t, Config{}, map[string]string{
		"index.html": `<script type="module" src="/main.js"></script>`,
		"main.js":    "import './store.js';\nimport './view.js';\n",
		"store.js":   "export const store = {};\n",
		"view.js":    "if (import.meta.hot) import.meta.hot.accept();\n",
	})
	loadModules(t, base, "/main.js <- /", "/store.js <- /main.js", "/view.js <- /main.js")
	tab := tabOn(t, s, base, "/")
	save(t, s, root, "view.js", "// new\nif (import.meta.hot) import.meta.hot.accept();\n")
	m := readMessage(t, tab)
	if m.Hot == nil {
		t.Fatalf("sent %+v, want a hot update", m)
	}
	// A page's own ?t= on a module the update did not touch, and an epoch
	// no update had, change nothing.
	fetchAs(t, base, "/store.js?t="+itoa(m.Epoch), "script", "cors", "/main.js")
	fetchAs(t, base, "/store.js?t=999", "script", "cors", "/main.js")
	_, main := fetchAs(t, base, "/main.js", "script", "cors", "/")
	if strings.Contains(main, "store.js?t=") {
		t.Errorf("a request for store.js?t=… gave it a version:\n%s", main)
	}
	if !strings.Contains(main, "view.js?t="+itoa(m.Epoch)) {
		t.Errorf("main.js does not import the new view.js:\n%s", main)
	}
}

func TestModuleTypeScriptSourceIsNoChange(t *testing.T) {
	s, base, root := moduleSite(t, Config{}, map[string]string{
		"index.html": `<script type="module" src="/x.js"></script>`,
		"x.ts":       "export const x: number = 1;\n",
		"x.js":       "export const x = 1;\nif (import.meta.hot) import.meta.hot.accept();\n",
	})
	loadModules(t, base, "/x.js <- /")
	tab := tabOn(t, s, base, "/")
	if typ := save(t, s, root, "x.ts", "export const x: number = 2;\n"); typ != "" {
		t.Errorf("saving a .ts file no tab loaded sent %q, want nothing", typ)
	}
	writeFile(t, filepath.Join(root, "x.js"), "export const x = 2;\nif (import.meta.hot) import.meta.hot.accept();\n")
	writeFile(t, filepath.Join(root, "x.js.map"), "{}")
	writeFile(t, filepath.Join(root, "tsconfig.tsbuildinfo"), "{}")
	s.Update(watcher.Batch{Events: []watcher.Event{{Op: watcher.Write, Path: "x.js"}, {Op: watcher.Write, Path: "x.js.map"},
		{Op: watcher.Write, Path: "tsconfig.tsbuildinfo"}, {Op: watcher.Write, Path: "x.ts"}}, Start: time.Now()})
	if m := readMessage(t, tab); m.Hot == nil || !slices.Equal(m.Hot.Modules, []string{"/x.js"}) {
		t.Errorf("tsc's output sent %+v, want a hot update of x.js", m)
	}
	// A .ts file a page did load (as text, say) is a change like any other.
	fetchAs(t, base, "/x.ts", "empty", "cors", "/")
	if typ := save(t, s, root, "x.ts", "export const x: number = 3;\n"); typ != msgLiveReload {
		t.Errorf("saving a .ts file a tab loaded sent %q, want %q", typ, msgLiveReload)
	}
}

func TestModulesForgetPastTheirBoundAndSaySo(t *testing.T) {
	var out strings.Builder
	m := newModules(slog.New(slog.NewTextHandler(&out, nil)))
	m.fetchedAs("/app.js", asModule, "/")
	for i := range maxModules + 10 {
		m.fetchedAs("/lib/m"+itoa(int64(i))+".js", asModule, "/app.js")
	}
	if c, ok := m.hot([]string{"/lib/m1.js"}); ok {
		t.Errorf("after forgetting, a module edit is a hot update %+v; it must reload", c)
	}
	if n := strings.Count(out.String(), "stopped replacing ES modules"); n != 1 {
		t.Errorf("said %d times that hot updates stopped, want once:\n%s", n, out.String())
	}
	if m.bytes > maxModuleBytes {
		t.Errorf("holds %d bytes, over %d", m.bytes, maxModuleBytes)
	}
}

func TestModuleImportMapOfABackendsPage(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><head><script type="importmap">{"imports": {"app/": "./static/"}}</script></head>`+
			`<body><script type="module" src="/static/main.js"></script></body>`)
	}))
	t.Cleanup(backend.Close)
	s, base, root := moduleSite(t, Config{Proxy: Proxy{URL: backend.URL}}, map[string]string{
		"static/main.js": "import { x } from 'app/x.js';\nif (import.meta.hot) import.meta.hot.accept('app/x.js', () => {});\n",
		"static/x.js":    "export const x = 1;\n",
	})
	// The page is the backend's; its modules are the folder's.
	loadModules(t, base, "/static/main.js <- /", "/static/x.js <- /static/main.js")
	tab := tabOn(t, s, base, "/")
	save(t, s, root, "static/x.js", "export const x = 2;\n")
	m := readMessage(t, tab)
	if m.Hot == nil || len(m.Hot.Opaque) != 0 || !slices.Equal(m.Hot.Importers["/static/x.js"], []string{"/static/main.js"}) {
		t.Fatalf("sent %+v, want x.js imported by main.js through the backend page's import map", m.Hot)
	}
	if _, main := fetchAs(t, base, "/static/main.js", "script", "cors", "/"); !strings.Contains(main, "'app/x.js?t="+itoa(m.Epoch)+"'") {
		t.Errorf("main.js does not import the new x.js through the map:\n%s", main)
	}
}
