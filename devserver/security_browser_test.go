package devserver_test

import (
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// evilPage is served by a second hotserve on another site
// (attacker.example, which the browser resolves to 127.0.0.1). It tries
// every way a page has to read the victim hotserve at ?a=host:port and
// writes what it got into window.results.
const evilPage = `<!doctype html><title>evil</title><body><script>
const victim = new URLSearchParams(location.search).get("a");
const port = victim.split(":")[1];
const results = {};
const read = (url, opts) => fetch(url, opts).then(
  (r) => r.text().then((t) => r.type + ":" + t),
  () => "blocked");
const script = (url) => new Promise((done) => {
  const s = document.createElement("script");
  s.src = url;
  s.onload = () => done("ran");
  s.onerror = () => done("error");
  document.head.append(s);
});
// socket resolves with everything the socket received, once it closes
// or after 3 s.
const socket = (url) => new Promise((done) => {
  const got = [];
  const ws = new WebSocket(url);
  ws.onmessage = (e) => got.push(e.data);
  ws.onclose = () => done(got.length ? "received:" + got.join() : "closed");
  setTimeout(() => done("still open, received:" + got.join()), 3000);
});
(async () => {
  results.fetch = await read("http://" + victim + "/app.js");
  results.fetchJSON = await read("http://" + victim + "/data.json");
  results.fetchNoCors = await read("http://" + victim + "/app.js", { mode: "no-cors" });
  results.script = await script("http://" + victim + "/app.js");
  results.stolen = String(window.stolen);
  results.page = await read("http://" + victim + "/");
  results.socket = await socket("ws://" + victim + "/__hotserve/ws");
  results.socketGuessedToken = await socket("ws://" + victim + "/__hotserve/ws?t=" + "0".repeat(32));
  results.socketLocalhost = await socket("ws://localhost:" + port + "/__hotserve/ws");
  results.socketRebound = await socket("ws://attacker.example:" + port + "/__hotserve/ws");
  window.results = results;
})();
</script></body>`

// TestBrowserCrossOriginPageLearnsNothing opens a page of another site in
// Chromium that attacks a running hotserve with fetch, <script src> and
// new WebSocket, and checks in the page that it got nothing; then it plays
// the end of a DNS rebinding (the attacker's name now points here).
func TestBrowserCrossOriginPageLearnsNothing(t *testing.T) {
	victimDir := t.TempDir()
	writeFile(t, filepath.Join(victimDir, "index.html"), "<!doctype html><title>victim</title><body>SECRET-PAGE</body>")
	writeFile(t, filepath.Join(victimDir, "app.js"), `window.stolen = "SECRET-SOURCE";`)
	writeFile(t, filepath.Join(victimDir, "data.json"), `{"secret": "SECRET-DATA"}`)
	// The victim's own tab works: it loads and its socket connects.
	victim, _ := openSite(t, victimDir)

	evilDir := t.TempDir()
	writeFile(t, filepath.Join(evilDir, "evil.html"), evilPage)
	evil := startSite(t, evilDir, "127.0.0.1:0", func(c *devserver.Config) { c.Security.AllowedHosts = []string{"attacker.example"} })
	_, evilPort, _ := net.SplitHostPort(evil.addr)
	_, victimPort, _ := net.SplitHostPort(victim.addr)

	tab := newTab(t)
	if err := chromedp.Do(tab, chromedp.Navigate("http://attacker.example:"+evilPort+"/evil.html?a="+victim.addr)); err != nil {
		t.Fatal(err)
	}
	testenv.WaitJS(t, tab, `window.results !== undefined`, 30*time.Second)
	got := evalJS[map[string]string](t, tab, `window.results`)
	want := map[string]string{
		"fetch":              "blocked",
		"fetchJSON":          "blocked",
		"fetchNoCors":        "blocked", // by Cross-Origin-Resource-Policy
		"script":             "error",
		"stolen":             "undefined",
		"page":               "blocked",
		"socket":             "closed",
		"socketGuessedToken": "closed",
		"socketLocalhost":    "closed",
		"socketRebound":      "closed",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: the page got %q, want %q", k, got[k], w)
		}
	}
	for k, v := range got {
		if strings.Contains(v, "SECRET") || strings.Contains(v, "connected") {
			t.Errorf("%s: the page learned %q", k, v)
		}
	}

	// DNS rebinding: attacker.example now resolves to this machine, so a
	// page on attacker.example:<victim port> is same-origin with hotserve
	// as far as the browser knows. hotserve refuses the name.
	if err := chromedp.Do(tab, chromedp.Navigate("http://attacker.example:"+victimPort+"/")); err != nil {
		t.Fatal(err)
	}
	text := evalJS[string](t, tab, `document.body.innerText`)
	if strings.Contains(text, "SECRET") || !strings.Contains(text, "add it to the allowed hosts") {
		t.Errorf("the rebound page shows %q, want the refusal saying how to allow the name", text)
	}
}
