package devserver_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// countedPage is a page that counts its loads in sessionStorage (one per
// tab), so that a test can tell which tabs reloaded.
const countedPage = `<!doctype html><html><head><title>%[1]s</title><link rel="stylesheet" href="/shared.css"></head>
<body><h1>%[1]s</h1><script>sessionStorage.loads = (+sessionStorage.loads || 0) + 1;</script></body></html>`

// noReloadWithin fails if any of the tabs loads its page again within d,
// an explicit absence window.
func noReloadWithin(t *testing.T, d time.Duration, tabs ...context.Context) {
	t.Helper()
	time.Sleep(d)
	for i, tab := range tabs {
		if loads := evalJS[string](t, tab, `sessionStorage.loads`); loads != "1" {
			t.Errorf("tab %d loaded its page %s times, want 1 (no reload)", i, loads)
		}
	}
}

func TestBrowserOnlyTheAffectedTabReloads(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"a", "b", "c", "d"} {
		writeFile(t, filepath.Join(dir, p+".html"), fmt.Sprintf(countedPage, p))
	}
	writeFile(t, filepath.Join(dir, "shared.css"), "h1 { color: rgb(1, 0, 0); }")
	s := startSite(t, dir, "127.0.0.1:0", noMorph)
	var tabs []context.Context
	for _, p := range []string{"a", "b", "c"} {
		tab := newTab(t)
		navigate(t, tab, s.URL+p+".html")
		tabs = append(tabs, tab)
	}

	t.Run("a page open in one tab", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "b.html"), fmt.Sprintf(countedPage, "b2"))
		testenv.WaitJS(t, tabs[1], `document.querySelector("h1")?.textContent === "b2" && window.__hotserve?.socket?.readyState === 1`, 10*time.Second)
		noReloadWithin(t, 500*time.Millisecond, tabs[0], tabs[2])
	})
	t.Run("a page no tab shows", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "d.html"), fmt.Sprintf(countedPage, "d2"))
		noReloadWithin(t, 500*time.Millisecond, tabs[0], tabs[2])
		if loads := evalJS[string](t, tabs[1], `sessionStorage.loads`); loads != "2" {
			t.Errorf("tab b loaded %s times, want 2 (no reload for d.html)", loads)
		}
	})
	t.Run("a stylesheet all of them use", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "shared.css"), "h1 { color: rgb(2, 0, 0); }")
		for _, tab := range tabs {
			testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(2, 0, 0)"`, 10*time.Second)
		}
		noReloadWithin(t, 0, tabs[0], tabs[2])
	})
	t.Run("a script, which could be anywhere", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "unused.js"), "// nobody loads this")
		for _, tab := range tabs {
			testenv.WaitJS(t, tab, `+sessionStorage.loads >= 2 && window.__hotserve?.socket?.readyState === 1`, 10*time.Second)
		}
	})
}

func TestBrowserFragmentsAreNotInjected(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), "<!doctype html><title>p</title><body><main></main></body>")
	writeFile(t, filepath.Join(dir, "frag.html"), "<li>one</li>\n</body>")
	s, tab := openSite(t, dir)

	has := `(text) => text.includes("/__hotserve/client.js")`
	cases := []struct{ name, fetch string }{
		{"fetch()", `fetch("/frag.html")`},
		{"htmx (fetch with HX-Request)", `fetch("/frag.html", { headers: { "HX-Request": "true" } })`},
		{"XMLHttpRequest", `new Promise((ok) => { const x = new XMLHttpRequest(); x.onload = () => ok({ text: () => x.responseText }); x.open("GET", "/frag.html"); x.send(); })`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(`+c.fetch+`).then((r) => r.text()).then(`+has+`)`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			if got {
				t.Errorf("a fragment loaded by %s got the client script", c.name)
			}
		})
	}
	t.Run("navigation", func(t *testing.T) {
		navigate(t, tab, s.URL+"frag.html")
		if !evalJS[bool](t, tab, `!!document.querySelector('script[src^="/__hotserve/client.js"]')`) {
			t.Error("a fragment navigated to got no client script")
		}
	})
}

func TestBrowserReloadKeepsScroll(t *testing.T) {
	dir := t.TempDir()
	const tall = `<!doctype html><title>t</title><body style="margin:0"><div style="height:6000px">%s</div>
		<script>sessionStorage.loads = (+sessionStorage.loads || 0) + 1;</script></body>`
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(tall, "one"))
	_, tab := openSite(t, dir, noMorph)
	evalJS[bool](t, tab, `scrollTo(0, 2345); true`)
	testenv.WaitJS(t, tab, `scrollY === 2345`, 5*time.Second)

	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(tall, "two"))
	testenv.WaitJS(t, tab, `document.querySelector("div")?.textContent === "two" && document.readyState === "complete"`, 10*time.Second)
	testenv.WaitJS(t, tab, `scrollY === 2345`, 5*time.Second)
	if loads := evalJS[string](t, tab, `sessionStorage.loads`); loads != "2" {
		t.Errorf("page loaded %s times, want 2", loads)
	}
}

// holdSocket makes the client's next connections fail (to a closed port)
// while window.hold is set, and closes the current one, so that a test can
// change files while a tab is disconnected.
const holdSocket = `
	window.hold = true;
	const Real = WebSocket;
	window.WebSocket = class extends Real {
		constructor(url) { super(window.hold ? "ws://127.0.0.1:9/" : url); }
	};
	window.__hotserve.socket.close();
	true`

func TestBrowserReconnectReloadsOnlyIfSomethingChanged(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(countedPage, "one"))
	writeFile(t, filepath.Join(dir, "other.html"), fmt.Sprintf(countedPage, "other"))
	s, tab := openSite(t, dir)

	t.Run("nothing changed", func(t *testing.T) {
		evalJS[bool](t, tab, `window.first = window.__hotserve.socket; window.first.close(); true`)
		testenv.WaitJS(t, tab, `window.__hotserve.socket !== window.first && window.__hotserve.socket?.readyState === 1`, 10*time.Second)
		noReloadWithin(t, 500*time.Millisecond, tab)
	})
	t.Run("a page it does not show changed", func(t *testing.T) {
		evalJS[bool](t, tab, holdSocket)
		testenv.WaitJS(t, tab, `window.__hotserve.socket === null`, 5*time.Second)
		writeFile(t, filepath.Join(dir, "other.html"), fmt.Sprintf(countedPage, "other2"))
		waitUntil(t, "the update", 10*time.Second, func() bool { return s.count("live-reload") == 1 })
		evalJS[bool](t, tab, `window.hold = false; true`)
		testenv.WaitJS(t, tab, `window.__hotserve.socket?.readyState === 1`, 10*time.Second)
		noReloadWithin(t, 500*time.Millisecond, tab)
	})
	t.Run("its page changed", func(t *testing.T) {
		evalJS[bool](t, tab, `window.hold = true; window.__hotserve.socket.close(); true`)
		testenv.WaitJS(t, tab, `window.__hotserve.socket === null`, 5*time.Second)
		writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(countedPage, "two"))
		waitUntil(t, "the update", 10*time.Second, func() bool { return s.count("live-reload") == 2 })
		evalJS[bool](t, tab, `window.hold = false; true`)
		testenv.WaitJS(t, tab, `document.querySelector("h1")?.textContent === "two" && window.__hotserve?.socket?.readyState === 1`, 10*time.Second)
		time.Sleep(500 * time.Millisecond) // absence window: no second reload
		if loads := evalJS[string](t, tab, `sessionStorage.loads`); loads != "2" {
			t.Errorf("page loaded %s times, want 2 (one reload for the missed change)", loads)
		}
	})
}

func TestBrowserNoReloadLoopAfterRestart(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(countedPage, "one"))
	s, tab := openSite(t, dir)
	for i := range 2 {
		s.stop()
		testenv.WaitJS(t, tab, `window.__hotserve.socket === null || window.__hotserve.socket.readyState !== 1`, 5*time.Second)
		s = startSite(t, dir, s.addr)
		want := fmt.Sprint(i + 2)
		testenv.WaitJS(t, tab, `sessionStorage.loads === "`+want+`" && window.__hotserve?.socket?.readyState === 1`, 10*time.Second)
		time.Sleep(time.Second) // absence window: the reloaded page stays
		if loads := evalJS[string](t, tab, `sessionStorage.loads`); loads != want {
			t.Fatalf("after restart %d the page loaded %s times, want %s (one reload per restart)", i+1, loads, want)
		}
	}
}

func TestBrowserDisconnectedBadge(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(countedPage, "one"))
	writeFile(t, filepath.Join(dir, "shared.css"), "hotserve-badge { display: none !important; } span { color: red; }")
	s, tab := openSite(t, dir)
	s.stop()

	badge := `document.querySelector("hotserve-badge")`
	testenv.WaitJS(t, tab, badge+`?.shadowRoot.textContent.includes("hotserve disconnected — retrying")`, 5*time.Second)
	// The badge lives in a shadow root: the page's CSS can hide its host,
	// but not restyle what is inside.
	if c := evalJS[string](t, tab, `getComputedStyle(`+badge+`.shadowRoot.querySelector("span")).color`); c == "rgb(255, 0, 0)" {
		t.Error("the page's CSS reached into the badge")
	}
	evalJS[bool](t, tab, badge+`.shadowRoot.querySelector("button").click(); true`)
	testenv.WaitJS(t, tab, badge+` === null`, 5*time.Second)
	time.Sleep(time.Second) // absence window: dismissed stays dismissed while retrying
	if evalJS[bool](t, tab, badge+` !== null`) {
		t.Error("the dismissed badge came back while still disconnected")
	}
	startSite(t, dir, s.addr)
	testenv.WaitJS(t, tab, `window.__hotserve?.socket?.readyState === 1 && `+badge+` === null`, 10*time.Second)
}

func TestBrowserOverlayEscapesHostileText(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(countedPage, "one"))
	s, tab := openSite(t, dir)
	const title = `<img src=x onerror="window.pwned=1">`
	const text = "main.go:3: </pre><script>window.pwned=2</script>\n<b>bold?</b> & \"quotes\""
	devserver.Broadcast(s.srv, "build-error", title, text)

	overlay := `document.querySelector("hotserve-overlay")?.shadowRoot`
	testenv.WaitJS(t, tab, overlay+`?.querySelector("pre") != null`, 5*time.Second)
	if got := evalJS[string](t, tab, overlay+`.querySelector("h2").textContent`); got != title {
		t.Errorf("overlay title = %q, want the text as given", got)
	}
	if got := evalJS[string](t, tab, overlay+`.querySelector("pre").textContent`); got != text {
		t.Errorf("overlay text = %q, want the text as given", got)
	}
	if n := evalJS[int](t, tab, overlay+`.querySelectorAll("img, script, b").length`); n != 0 {
		t.Errorf("%d elements were made from the error text, want 0", n)
	}
	if p := evalJS[int](t, tab, `window.pwned ?? 0`); p != 0 {
		t.Errorf("the error text ran as script (window.pwned = %d)", p)
	}

	evalJS[bool](t, tab, `dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" })); true`)
	testenv.WaitJS(t, tab, `document.querySelector("hotserve-overlay") === null`, 5*time.Second)

	devserver.Broadcast(s.srv, "build-error", "again", "x")
	testenv.WaitJS(t, tab, `document.querySelector("hotserve-overlay") !== null`, 5*time.Second)
	devserver.Broadcast(s.srv, "build-ok", "", "")
	testenv.WaitJS(t, tab, `document.querySelector("hotserve-overlay") === null`, 5*time.Second)
}

func TestBrowserAcknowledgementsMakeTheTerminalLine(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(countedPage, "one"))
	writeFile(t, filepath.Join(dir, "shared.css"), "h1 { color: rgb(1, 0, 0); }")
	lines := &lineLog{}
	s := startSite(t, dir, "127.0.0.1:0", func(c *devserver.Config) { c.Log = lines.logger() })
	var tabs []context.Context
	for range 3 {
		tab := newTab(t)
		navigate(t, tab, s.URL)
		tabs = append(tabs, tab)
	}

	writeFile(t, filepath.Join(dir, "shared.css"), "h1 { color: rgb(2, 0, 0); }")
	line := lines.wait(t, "shared.css → ", 10*time.Second)
	if !regexpMatch(`^shared\.css → css-update · 3 tabs · \d+ ms save-to-paint$`, line) {
		t.Errorf("terminal line %q, want like: shared.css → css-update · 3 tabs · 38 ms save-to-paint", line)
	}
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(countedPage, "two"))
	line = lines.wait(t, "index.html → ", 10*time.Second)
	if !regexpMatch(`^index\.html → morphed · 3 tabs · \d+ ms save-to-paint$`, line) {
		t.Errorf("terminal line %q, want like: index.html → morphed · 3 tabs · 12 ms save-to-paint", line)
	}
	if n := strings.Count(strings.Join(lines.all(), "\n"), "→"); n != 2 {
		t.Errorf("%d update lines for 2 updates:\n%s", n, strings.Join(lines.all(), "\n"))
	}
}

// A page shown through a symbolic link inside the root ("current -> v2")
// reloads when the file it links to changes; the watcher reports the file
// under its real path.
func TestBrowserPageBehindASymlinkReloads(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "v2"), 0o755)
	writeFile(t, filepath.Join(dir, "v2", "page.html"), fmt.Sprintf(countedPage, "one"))
	writeFile(t, filepath.Join(dir, "shared.css"), "")
	if err := os.Symlink("v2", filepath.Join(dir, "current")); err != nil {
		t.Fatal(err)
	}
	s := startSite(t, dir, "127.0.0.1:0")
	page, folder := newTab(t), newTab(t)
	navigate(t, page, s.URL+"current/page.html")
	writeFile(t, filepath.Join(dir, "v2", "index.html"), fmt.Sprintf(countedPage, "index"))
	navigate(t, folder, s.URL+"current/")

	writeFile(t, filepath.Join(dir, "v2", "page.html"), fmt.Sprintf(countedPage, "two"))
	testenv.WaitJS(t, page, `document.querySelector("h1")?.textContent === "two"`, 10*time.Second)
	writeFile(t, filepath.Join(dir, "v2", "index.html"), fmt.Sprintf(countedPage, "index2"))
	testenv.WaitJS(t, folder, `document.querySelector("h1")?.textContent === "index2"`, 10*time.Second)
}
