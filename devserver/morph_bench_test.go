package devserver_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// editedPage is a page whose edit is the number in #edited (%[2]d), with
// %[1]s of other content, and a script that stamps, at the first animation
// frame that shows a new number, when that was, on the clock the save is
// timed with. A frame callback runs just before the paint it belongs to,
// in a page morphed and in a page reloaded alike. The script never
// changes, so an edit can be morphed.
const editedPage = `<!doctype html><html><head><title>bench</title></head><body>
<h1>edited page</h1>
%[1]s
<p id="edited">%[2]d</p>
%[3]s
<script>
(function frame() {
	const el = document.getElementById("edited");
	const n = el ? Number(el.textContent) : -1;
	if (!window.painted || window.painted.n !== n) window.painted = { n, at: performance.timeOrigin + performance.now() };
	requestAnimationFrame(frame);
})();
</script>
</body></html>`

// rows returns n elements of a realistic page, in rows of five whose ids
// start with prefix.
func rows(n int, prefix string) string {
	var b strings.Builder
	for i := range n / 5 {
		fmt.Fprintf(&b, `<div class="row" id="%s%d"><span>item %d</span><a href="#%[1]s%[2]d">link</a><em>note</em><b>%d</b></div>`+"\n", prefix, i, i, i*7)
	}
	return b.String()
}

// BenchmarkBrowserPageEdit measures save → painted in Chromium for one
// edit of a page's text, applied by a morph and by a reload (--no-morph),
// on a small page and on one of 5,000 elements, and, for a morph, the
// morph by itself in the page (morph-ms: the new document's diff and
// patch, without its fetch).
func BenchmarkBrowserPageEdit(b *testing.B) {
	for _, size := range []struct {
		name     string
		elements int
	}{{"small", 10}, {"5000-elements", 5000}} {
		for _, way := range []string{"morph", "reload"} {
			b.Run(size.name+"/"+way, func(b *testing.B) {
				benchPageEdit(b, [2]string{rows(size.elements/2, "a"), rows(size.elements/2, "b")}, way == "reload")
			})
		}
	}
}

func benchPageEdit(b *testing.B, content [2]string, reload bool) {
	dir := b.TempDir()
	file := filepath.Join(dir, "index.html")
	writeFile(b, file, fmt.Sprintf(editedPage, content[0], 0, content[1]))
	_, tab := openSite(b, dir, func(c *devserver.Config) { c.NoMorph = reload })
	testenv.WaitJS(b, tab, `window.painted?.n === 0 && document.readyState === "complete"`, 10*time.Second)
	var paint, morph []float64
	for i := 1; b.Loop(); i++ {
		start := time.Now()
		writeFile(b, file, fmt.Sprintf(editedPage, content[0], i, content[1]))
		testenv.WaitJS(b, tab, fmt.Sprintf(`window.painted?.n === %d && window.__hotserve?.socket?.readyState === 1`, i), 10*time.Second)
		paint = append(paint, evalJS[float64](b, tab, `window.painted.at`)-msSince1970(start))
		if !reload {
			morph = append(morph, evalJS[float64](b, tab, `window.__hotserve.morphMS`))
		}
	}
	if !reload && evalJS[string](b, tab, `String(window.__hotserve.morphMS !== undefined)`) != "true" {
		b.Fatal("the page was never morphed")
	}
	report := func(name string, ms []float64) {
		slices.Sort(ms)
		b.ReportMetric(ms[len(ms)/2], name+"-p50-ms")
		b.ReportMetric(ms[len(ms)*9/10], name+"-p90-ms")
	}
	report("save-to-paint", paint)
	if !reload {
		report("morph", morph)
	}
}
