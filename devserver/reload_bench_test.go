package devserver_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/testenv"
)

// reloadPage stamps, on the clock the save is timed with, when the new
// document's navigation started (performance.timeOrigin) and when it
// fired load, and on the page's own clock what it waited for from
// hotserve: the document's first byte, the client script (and whether it
// came from the cache) and the socket's open (see watchSocket).
const reloadPage = `<!doctype html><title>b</title><body><p>%d</p><script>
	addEventListener("load", () => {
		const nav = performance.getEntriesByType("navigation")[0];
		const js = performance.getEntriesByType("resource").find((e) => e.name.includes("/__hotserve/client.js"));
		window.reloaded = {
			message: Number(sessionStorage.getItem("bench:message")), nav: performance.timeOrigin, load: performance.timeOrigin + performance.now(),
			firstByte: nav.responseStart, script: js ? js.responseEnd - js.startTime : -1,
			scriptCached: js ? js.transferSize === 0 : false,
		};
	});
</script></body>`

// watchSocket wraps the WebSocket class in every new document, before the
// client (the first script of the page) runs, so that its open is seen,
// and so that the old page leaves in sessionStorage when the update's
// message arrived.
const watchSocket = `
	const Socket = WebSocket;
	window.WebSocket = class extends Socket {
		constructor(...args) {
			super(...args);
			const opened = performance.now();
			this.addEventListener("open", () => { window.socketMS = performance.now() - opened; });
			this.addEventListener("message", () => sessionStorage.setItem("bench:message", performance.timeOrigin + performance.now()));
		}
	};`

// reloaded is what reloadPage stamps.
type reloaded struct {
	Message, Nav, Load, FirstByte, Script float64
	ScriptCached                          bool
}

// BenchmarkBrowserReloadSplit splits save → reloaded page in Chromium into
// hotserve's part (save → the new document's navigation start, which
// holds the quiet period) and the browser's (navigation start → load),
// and reports within the latter what the page waited for from hotserve:
// the document's first byte, the client script, the socket's handshake.
// hotserve's part is split again at the message's arrival in the old page
// (message-ms: save → message; the rest is the old page's script and
// Chromium starting the navigation).
func BenchmarkBrowserReloadSplit(b *testing.B) {
	dir := b.TempDir()
	file := filepath.Join(dir, "index.html")
	writeFile(b, file, fmt.Sprintf(reloadPage, 0))
	s, tab := openSite(b, dir, noMorph)
	onNewDocument(b, tab, watchSocket)
	navigate(b, tab, s.URL) // a document that has it, for the first message
	var message, server, browser, firstByte, script, socket []float64
	cached := 0
	for i := 1; b.Loop(); i++ {
		start := time.Now()
		writeFile(b, file, fmt.Sprintf(reloadPage, i))
		testenv.WaitJS(b, tab, fmt.Sprintf(`document.querySelector("p")?.textContent === "%d" && window.reloaded !== undefined && window.socketMS !== undefined`, i), 10*time.Second)
		r := evalJS[reloaded](b, tab, `window.reloaded`)
		message = append(message, r.Message-msSince1970(start))
		server = append(server, r.Nav-msSince1970(start))
		browser = append(browser, r.Load-r.Nav)
		firstByte = append(firstByte, r.FirstByte)
		script = append(script, r.Script)
		socket = append(socket, evalJS[float64](b, tab, `window.socketMS`))
		if r.ScriptCached {
			cached++
		}
	}
	for _, m := range []struct {
		name string
		ms   []float64
	}{{"message", message}, {"hotserve", server}, {"browser", browser}, {"first-byte", firstByte}, {"script", script}, {"socket", socket}} {
		slices.Sort(m.ms)
		b.ReportMetric(m.ms[len(m.ms)/2], m.name+"-p50-ms")
	}
	slices.Sort(server)
	b.ReportMetric(server[len(server)*9/10], "hotserve-p90-ms")
	b.ReportMetric(float64(cached)/float64(len(server)), "script-cached")
}

// msSince1970 is t as performance.timeOrigin counts, in fractional ms.
func msSince1970(t time.Time) float64 { return float64(t.UnixMicro()) / 1000 }
