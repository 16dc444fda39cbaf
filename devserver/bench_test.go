package devserver_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/internal/testenv"
)

// report adds the median and 90th percentile of the samples, in ms.
func report(b *testing.B, samples []time.Duration) {
	slices.Sort(samples)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(samples[len(samples)/2]), "p50-ms")
	b.ReportMetric(ms(samples[len(samples)*9/10]), "p90-ms")
}

// BenchmarkSaveToMessage times a save until a WebSocket client has the
// message: the watcher's debounce (25ms) plus everything hotserve adds.
func BenchmarkSaveToMessage(b *testing.B) {
	for _, c := range []struct{ name, file, want string }{
		{"html", "index.html", `"live-reload"`},
		{"css", "style.css", `"css-update"`},
	} {
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			os.WriteFile(filepath.Join(dir, c.file), []byte("x"), 0o644)
			url := startSite(b, dir, "127.0.0.1:0").URL
			conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(url, "http")+"__hotserve/ws", nil)
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			conn.ReadMessage() // connected
			var samples []time.Duration
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				os.WriteFile(filepath.Join(dir, c.file), []byte(fmt.Sprint(i)), 0o644)
				_, frame, err := conn.ReadMessage()
				if err != nil || !strings.Contains(string(frame), c.want) {
					b.Fatalf("read %s, %v; want %s", frame, err, c.want)
				}
				samples = append(samples, time.Since(start))
			}
			report(b, samples)
		})
	}
}

// BenchmarkBrowserSaveToReload times a save of the page until Chromium has
// loaded the new version (DOMContentLoaded), on the same clock.
func BenchmarkBrowserSaveToReload(b *testing.B) {
	const page = `<!doctype html><title>b</title><body><p>%d</p><script>
		addEventListener("DOMContentLoaded", () => { window.stamp = Date.now(); });
	</script></body>`
	benchBrowserSave(b, "index.html", func(i int) string { return fmt.Sprintf(page, i) },
		func(i int) string {
			return fmt.Sprintf(`document.querySelector("p")?.textContent === "%d" && window.__hotserve?.socket?.readyState === 1`, i)
		}, nil)
}

// BenchmarkBrowserCSSSaveToPaint times a stylesheet save until Chromium
// paints the new colour, seen from a requestAnimationFrame loop in the page.
func BenchmarkBrowserCSSSaveToPaint(b *testing.B) {
	const page = `<!doctype html><link rel="stylesheet" href="/s.css"><h1>x</h1><script>
		let last = "";
		(function frame() {
			const c = getComputedStyle(document.querySelector("h1")).color;
			if (c !== last) { last = c; window.stamp = Date.now(); window.color = c; }
			requestAnimationFrame(frame);
		})();
	</script>`
	css := func(i int) string { return fmt.Sprintf("h1 { color: rgb(%d, 0, 0); }", i%256) }
	benchBrowserSave(b, "s.css", css,
		func(i int) string { return fmt.Sprintf(`window.color === "rgb(%d, 0, 0)"`, i%256) },
		map[string]string{"index.html": page})
}

// benchBrowserSave serves file (plus others), saves content(i) into it at
// every iteration, waits until ready(i) holds in the page, and records the
// time from the save to the page's own window.stamp (Date.now() when the
// page saw the change), so the polling does not enter the figures.
func benchBrowserSave(b *testing.B, file string, content func(int) string, ready func(int) string, others map[string]string) {
	dir := b.TempDir()
	writeFile(b, filepath.Join(dir, file), content(0))
	for name, body := range others {
		writeFile(b, filepath.Join(dir, name), body)
	}
	_, tab := openSite(b, dir, noMorph) // a page save reloads, as the figures say
	var samples []time.Duration
	for i := 1; b.Loop(); i++ {
		start := time.Now()
		writeFile(b, filepath.Join(dir, file), content(i))
		testenv.WaitJS(b, tab, ready(i), 10*time.Second)
		stamp := evalJS[int64](b, tab, `window.stamp`)
		samples = append(samples, time.UnixMilli(stamp).Sub(start))
	}
	report(b, samples)
}
