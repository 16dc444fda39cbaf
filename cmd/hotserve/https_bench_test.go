package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver/certs"
	"github.com/hotserve/hotserve/internal/syncbuf"
	"github.com/hotserve/hotserve/internal/testenv"
)

// moduleCount is how many ES modules the benchmark's page imports, as a
// Lit or Preact app served unbundled does.
const moduleCount = 300

// modulesSite writes a page whose script imports moduleCount small
// modules, each importing a shared one, and says when all have run.
func modulesSite(b *testing.B) string {
	dir := b.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "m"), 0o755); err != nil {
		b.Fatal(err)
	}
	var main strings.Builder
	for i := range moduleCount {
		fmt.Fprintf(&main, "import { v as v%d } from \"./m/%d.js\";\n", i, i)
		writeTestFile(b, filepath.Join(dir, "m", fmt.Sprint(i)+".js"),
			fmt.Sprintf("import { base } from \"./base.js\";\n// module %d of an app served unbundled\nexport const v = base + %d;\n", i, i))
	}
	main.WriteString("window.modulesRan = true;\n")
	writeTestFile(b, filepath.Join(dir, "m", "base.js"), "export const base = 1;\n")
	writeTestFile(b, filepath.Join(dir, "main.js"), main.String())
	writeTestFile(b, filepath.Join(dir, "index.html"), `<!doctype html><html><head><script type="module" src="/main.js"></script></head><body>modules</body></html>`)
	return dir
}

var anyURLRE = regexp.MustCompile(`https?://127\.0\.0\.1:\d+/`)

// BenchmarkBrowserModules loads a page of moduleCount ES modules in
// Chromium, cache off, until its load event: plain HTTP/1.1 (hotserve),
// HTTPS forced to HTTP/1.1 (Chromium's --disable-http2), and HTTPS with
// HTTP/2 (hotserve --https). ms/load is the navigation's loadEventEnd.
func BenchmarkBrowserModules(b *testing.B) {
	ca, _, err := certs.LoadOrCreate()
	if err != nil {
		b.Fatal(err)
	}
	dir := modulesSite(b)
	type mode struct {
		name  string
		https bool
		flags []chromedp.ExecAllocatorOption
	}
	modes := []mode{
		{name: "http1.1"},
		{name: "https-http1.1", https: true, flags: []chromedp.ExecAllocatorOption{chromedp.Flag("disable-http2", true)}},
		{name: "https-h2", https: true},
	}
	// Loopback has no latency; a phone on Wi-Fi has some, and HTTP/1.1's
	// six connections per host then queue the modules.
	for _, latency := range []float64{0, 10} {
		for _, m := range modes {
			b.Run(fmt.Sprintf("latency=%gms/%s", latency, m.name), func(b *testing.B) { loadModules(b, ca, dir, m.https, latency, m.flags) })
		}
	}
}

// loadModules is one case of BenchmarkBrowserModules.
func loadModules(b *testing.B, ca *certs.CA, dir string, https bool, latency float64, flags []chromedp.ExecAllocatorOption) {
	tab := trustingBrowser(b, ca, flags...)
	args := []string{"--port", "0", "--strict-port", "--quiet", dir}
	if https {
		args = append([]string{"--https"}, args...)
	}
	url := benchURL(b, args)
	if _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Call(tab, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		b.Fatal(err)
	}
	if latency > 0 {
		rule := &network.Conditions{Latency: latency, DownloadThroughput: -1, UploadThroughput: -1}
		if _, err := chromedp.Call(tab, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: []*network.Conditions{rule}}); err != nil {
			b.Fatal(err)
		}
	}
	var total float64
	proto := ""
	for b.Loop() {
		if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
			b.Fatal(err)
		}
		testenv.WaitJS(b, tab, `window.modulesRan === true && performance.getEntriesByType('navigation')[0].loadEventEnd > 0`, 30*time.Second)
		ms, err := chromedp.Run(tab, chromedp.Evaluate[float64](`performance.getEntriesByType('navigation')[0].loadEventEnd`))
		if err != nil {
			b.Fatal(err)
		}
		total += ms
		if proto == "" {
			proto, _ = chromedp.Run(tab, chromedp.Evaluate[string](`performance.getEntriesByType('resource').find(e => e.name.endsWith('/m/0.js')).nextHopProtocol`))
		}
	}
	b.ReportMetric(total/float64(b.N), "ms/load")
	b.Logf("modules over %s", proto)
}

// benchURL starts hotserve with args and returns its URL, with the name
// localhost that the leaf names.
func benchURL(b *testing.B, args []string) string {
	cmd := exec.Command(testenv.Build(b, "github.com/hotserve/hotserve/cmd/hotserve"), args...)
	out := new(syncbuf.Buffer)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) { // poll interval
		if u := anyURLRE.FindString(out.String()); u != "" {
			return strings.Replace(u, "127.0.0.1", "localhost", 1)
		}
	}
	b.Fatalf("no URL within 10s:\n%s", out)
	return ""
}
