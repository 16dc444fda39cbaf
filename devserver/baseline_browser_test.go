package devserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// scriptedPage is a page whose script adds a node once it has loaded; %s
// is the heading, which the edit changes.
const scriptedPage = `<!doctype html><html><head><title>%[1]s</title></head>
<body>
<h1>%[1]s</h1>
<p id="para">a paragraph the edit leaves as it was</p>
<script>
addEventListener("load", () => {
	const p = document.createElement("p");
	p.id = "added";
	p.textContent = "added by the page's script";
	document.body.append(p);
	window.marker = 42;
});
</script>
</body></html>`

// TestBrowserEditSavedBeforeTheBaselineIsMorphed forces the race of a
// save between a page's load and its baseline's fetch: the tab's first
// fetch is held (Chromium's Fetch domain) until the edit is saved and its
// message has reached the tab. The edit shows, and the node the page's
// script added stays, with no reload: the baseline is the page the
// document was made from, not the save that came after.
func TestBrowserEditSavedBeforeTheBaselineIsMorphed(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(scriptedPage, "one"))
	lines := &lineLog{}
	s := startSite(t, dir, "127.0.0.1:0", func(c *devserver.Config) { c.Log = lines.logger() })
	tab := newTab(t)
	held := make(chan fetch.RequestID, 16)
	if err := chromedp.Listen(tab, func(ev any) {
		if p, ok := ev.(*fetch.EventRequestPaused); ok {
			select {
			case held <- p.RequestID:
			default:
				t.Errorf("more than %d fetches held", cap(held))
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*", ResourceType: network.ResourceTypeFetch}}}); err != nil {
		t.Fatal(err)
	}
	navigate(t, tab, s.URL)
	var id fetch.RequestID
	select {
	case id = <-held:
	case <-time.After(10 * time.Second):
		t.Fatal("the tab fetched no baseline within 10 s")
	}
	testenv.WaitJS(t, tab, `document.querySelector("#added") !== null`, 5*time.Second)
	epoch := evalJS[float64](t, tab, `window.__hotserve.epoch`)

	writeFile(t, filepath.Join(dir, "index.html"), fmt.Sprintf(scriptedPage, "two"))
	testenv.WaitJS(t, tab, fmt.Sprintf(`window.__hotserve.epoch > %v`, epoch), 10*time.Second)
	if _, err := chromedp.Call(tab, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id}); err != nil {
		t.Fatal(err)
	}
	// The morph's own fetch of the page goes on as it comes.
	go func() {
		for {
			select {
			case id := <-held:
				chromedp.Call(tab, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id})
			case <-tab.Done():
				return
			}
		}
	}()

	testenv.WaitJS(t, tab, `document.querySelector("h1").textContent === "two"`, 10*time.Second)
	line := lines.wait(t, "index.html → ", 10*time.Second)
	for _, c := range []struct{ what, expr, want string }{
		{"the title", `document.title`, "two"},
		{"the node the page's script added", `document.querySelector("#added")?.textContent ?? "gone"`, "added by the page's script"},
		{"window.marker (a reload loses it)", `String(window.marker)`, "42"},
	} {
		if got := evalJS[string](t, tab, c.expr); got != c.want {
			t.Errorf("%s after the morph: %q, want %q", c.what, got, c.want)
		}
	}
	if !regexpMatch(`^index\.html → morphed · 1 tab · \d+ ms save-to-paint$`, line) {
		t.Errorf("terminal line %q, want like: index.html → morphed · 1 tab · 12 ms save-to-paint", line)
	}
}

// TestBrowserProxiedPageIsAskedForOnce: a page from the backend is kept
// for the tab's baseline as a page from the folder is, so the backend
// serves it once per load, not a second time for the baseline: a page
// with a per-request token or a counter would be another page.
func TestBrowserProxiedPageIsAskedForOnce(t *testing.T) {
	var gets atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/app" {
			http.NotFound(w, r)
			return
		}
		n := gets.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><html><head><title>app</title></head><body><h1>load %d</h1><input name=csrf value=token-%d></body></html>", n, n)
	}))
	t.Cleanup(api.Close)
	s := startSite(t, t.TempDir(), "127.0.0.1:0", func(c *devserver.Config) { c.Proxy.URL = api.URL })
	tab := newTab(t)
	navigate(t, tab, s.URL+"app")
	testenv.WaitJS(t, tab, `performance.getEntriesByType("resource").some((e) => new URL(e.name).pathname === "/__hotserve/page")`, 10*time.Second)
	if got := evalJS[string](t, tab, `performance.getEntriesByType("navigation")[0].serverTiming.find((e) => e.name === "hotserve-page")?.description ?? ""`); got == "" {
		t.Error("the proxied page names no hotserve-page in its Server-Timing")
	}
	if n := gets.Load(); n != 1 {
		t.Errorf("the backend served the page %d times for one load, want 1", n)
	}
}
