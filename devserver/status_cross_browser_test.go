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

// statusSecret is in the settings of the victim hotserve below; no page
// may show it, the status page included.
const statusSecret = "s3cr3t-FROM-EXEC"

// evilStatusPage, served by a hotserve on another site, tries to read the
// victim's status page and its socket (?a=host:port) and writes what it
// got into window.results.
const evilStatusPage = `<!doctype html><title>evil</title><body><script>
const victim = new URLSearchParams(location.search).get("a");
const socket = (url) => new Promise((done) => {
  const got = [];
  const ws = new WebSocket(url);
  ws.onmessage = (e) => got.push(e.data);
  ws.onclose = () => done(got.length ? "received:" + got.join() : "closed");
  setTimeout(() => done("still open, received:" + got.join()), 3000);
});
(async () => {
  const results = {};
  results.page = await fetch("http://" + victim + "/__hotserve/").then((r) => r.text(), () => "blocked");
  results.socket = await socket("ws://" + victim + "/__hotserve/status/ws");
  results.socketGuessedToken = await socket("ws://" + victim + "/__hotserve/status/ws?t=" + "0".repeat(32));
  window.results = results;
})();
</script></body>`

// TestBrowserStatusPageKeepsItsSecrets opens the status page of a hotserve
// whose backend command carries a secret: the page works, with its token,
// and shows the command redacted; a page of another site reads neither the
// page nor its socket.
func TestBrowserStatusPageKeepsItsSecrets(t *testing.T) {
	dir := newSiteDir(t)
	victim := startSite(t, dir, "127.0.0.1:0", func(c *devserver.Config) {
		c.Settings = append(c.Settings, devserver.Setting{Key: "exec", Value: "API_TOKEN=" + statusSecret + " ./server --password " + statusSecret})
	})
	status := newTab(t)
	if err := chromedp.Do(status, chromedp.Navigate(victim.URL+"__hotserve/")); err != nil {
		t.Fatal(err)
	}
	testenv.WaitJS(t, status, `document.getElementById("settings").textContent.includes("API_TOKEN=…")`, 10*time.Second)
	if text := evalJS[string](t, status, `document.documentElement.outerHTML`); strings.Contains(text, statusSecret) {
		t.Errorf("the status page shows the secret:\n%s", text)
	}

	evilDir := t.TempDir()
	writeFile(t, filepath.Join(evilDir, "evil.html"), evilStatusPage)
	evil := startSite(t, evilDir, "127.0.0.1:0", func(c *devserver.Config) { c.Security.AllowedHosts = []string{"attacker.example"} })
	_, evilPort, _ := net.SplitHostPort(evil.addr)
	tab := newTab(t)
	if err := chromedp.Do(tab, chromedp.Navigate("http://attacker.example:"+evilPort+"/evil.html?a="+victim.addr)); err != nil {
		t.Fatal(err)
	}
	testenv.WaitJS(t, tab, `window.results !== undefined`, 30*time.Second)
	got := evalJS[map[string]string](t, tab, `window.results`)
	want := map[string]string{"page": "blocked", "socket": "closed", "socketGuessedToken": "closed"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: the page got %.200q, want %q", k, got[k], w)
		}
	}
}
