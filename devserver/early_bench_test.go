package devserver_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/internal/testenv"
)

// firstPaint is, on the page's own clock from navigation start, when the
// document's first byte came and when the first contentful paint was; and
// whether the client came from the cache.
const firstPaint = `(() => {
	const nav = performance.getEntriesByType("navigation")[0];
	const fcp = performance.getEntriesByName("first-contentful-paint")[0];
	const js = performance.getEntriesByType("resource").find((e) => e.name.includes("/__hotserve/client.js"));
	if (!nav || !fcp || !js || document.readyState !== "complete") return null;
	return { firstByte: nav.responseStart, paint: fcp.startTime, cached: js.transferSize === 0 };
})()`

// BenchmarkBrowserDemoFirstPaint reloads the demo page (testdata/site) in
// Chromium, the client cached as after the first visit, and reports the
// median first byte and first contentful paint: what the client's place in
// the page (blocking at the top of <head>, or at the end of <body>) costs.
func BenchmarkBrowserDemoFirstPaint(b *testing.B) {
	dir := b.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "testdata", "site"))); err != nil {
		b.Fatal(err)
	}
	_, tab := openSite(b, dir)
	var firstByte, paint []float64
	cached := 0
	for b.Loop() {
		if err := chromedp.Do(tab, chromedp.Reload()); err != nil {
			b.Fatal(err)
		}
		testenv.WaitJS(b, tab, firstPaint+` !== null`, 10*time.Second)
		p := evalJS[struct {
			FirstByte, Paint float64
			Cached           bool
		}](b, tab, firstPaint)
		firstByte, paint = append(firstByte, p.FirstByte), append(paint, p.Paint)
		if p.Cached {
			cached++
		}
	}
	slices.Sort(firstByte)
	slices.Sort(paint)
	b.ReportMetric(firstByte[len(firstByte)/2], "first-byte-p50-ms")
	b.ReportMetric(paint[len(paint)/2], "first-paint-p50-ms")
	b.ReportMetric(paint[len(paint)*9/10], "first-paint-p90-ms")
	b.ReportMetric(float64(cached)/float64(len(paint)), "script-cached")
}
