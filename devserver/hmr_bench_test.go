package devserver_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/testenv"
)

// hmrBenchModules is how many modules the benchmark's page loads: main.js,
// the text module that is edited, and the rest.
const hmrBenchModules = 20

// textModule shows text and stamps, on the clock the save is timed with,
// when the frame that shows it has been painted. accept makes it accept
// its own updates.
func textModule(text int, accept bool) string {
	js := fmt.Sprintf(`const text = "%d";
document.getElementById("out").textContent = text;
requestAnimationFrame(() => setTimeout(() => { window.painted = { text, at: performance.timeOrigin + performance.now() }; }, 0));
`, text)
	if accept {
		js += "if (import.meta.hot) import.meta.hot.accept();\n"
	}
	return js
}

// hmrBenchSite writes a page of hmrBenchModules modules into dir.
func hmrBenchSite(b *testing.B, dir string, accept bool) {
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	var main strings.Builder
	for i := range hmrBenchModules - 2 {
		name := fmt.Sprintf("m%02d.js", i)
		writeFile(b, filepath.Join(dir, "src", name), fmt.Sprintf("export const v%d = %d;\n", i, i))
		fmt.Fprintf(&main, "import %q;\n", "./"+name)
	}
	main.WriteString(`import "./text.js";` + "\n")
	writeFile(b, filepath.Join(dir, "src", "main.js"), main.String())
	writeFile(b, filepath.Join(dir, "src", "text.js"), textModule(0, accept))
	writeFile(b, filepath.Join(dir, "index.html"), `<!doctype html><title>bench</title><p id="out"></p><script type="module" src="/src/main.js"></script>`)
}

// BenchmarkBrowserHotUpdate measures save → painted in Chromium for the
// same edit to a module of a 20-module page: hot, where the module accepts
// itself, and reload, where it does not and the page reloads.
func BenchmarkBrowserHotUpdate(b *testing.B) {
	for _, c := range []struct {
		name   string
		accept bool
	}{{"hot", true}, {"reload", false}} {
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			hmrBenchSite(b, dir, c.accept)
			_, tab := openSite(b, dir)
			testenv.WaitJS(b, tab, `window.painted?.text === "0"`, 10*time.Second)
			var ms []float64
			for i := 1; b.Loop(); i++ {
				start := time.Now()
				writeFile(b, filepath.Join(dir, "src", "text.js"), textModule(i, c.accept))
				testenv.WaitJS(b, tab, fmt.Sprintf(`window.painted?.text === "%d"`, i), 10*time.Second)
				ms = append(ms, evalJS[float64](b, tab, `window.painted.at`)-msSince1970(start))
			}
			slices.Sort(ms)
			b.ReportMetric(ms[len(ms)/2], "save-to-paint-p50-ms")
			b.ReportMetric(ms[len(ms)*9/10], "save-to-paint-p90-ms")
		})
	}
}
