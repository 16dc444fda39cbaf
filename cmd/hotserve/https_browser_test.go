package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver/certs"
	"github.com/hotserve/hotserve/internal/testenv"
)

// trustingBrowser starts a Chromium that trusts hotserve's authority the
// way hotserve trust makes a person's Chromium trust it: through the NSS
// database of its $HOME, which Chromium on Linux reads at start. It never
// has --ignore-certificate-errors: a certificate error fails navigation.
// extra flags are added to Chromium's (e.g. disable-http2).
func trustingBrowser(t testing.TB, ca *certs.CA, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	chromium := testenv.Chromium(t)
	home := t.TempDir()
	db := filepath.Join(home, ".pki", "nssdb")
	if err := os.MkdirAll(db, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-N", "-d", "sql:" + db, "--empty-password"},
		{"-A", "-d", "sql:" + db, "-t", "C,,", "-n", "hotserve test CA", "-i", ca.CertPath()},
	} {
		if out, err := exec.Command("certutil", args...).CombinedOutput(); err != nil {
			testenv.BrowserMissing(t, "certutil ("+err.Error()+": "+string(out)+")", "apt-get install libnss3-tools")
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Env("HOME="+home),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("cannot start %s: %v", chromium, err)
	}
	return ctx
}

func TestBrowserHTTPSTrustedSecureH2(t *testing.T) {
	ca, _, err := certs.LoadOrCreate() // the one hotserve --https uses (isolateUserData)
	if err != nil {
		t.Fatal(err)
	}
	tab := trustingBrowser(t, ca)
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "index.html"), `<!doctype html><html><head><link rel="stylesheet" href="/style.css"></head><body><h1>one</h1></body></html>`)
	writeTestFile(t, filepath.Join(dir, "style.css"), "h1 { color: rgb(255, 0, 0); }\n")
	p := start(t, "--https", "--port", "0", "--strict-port", dir)
	url := ""
	deadline := time.Now().Add(10 * time.Second)
	for url == "" && time.Now().Before(deadline) {
		url = httpsURLRE.FindString(p.stdout.String())
		time.Sleep(10 * time.Millisecond) // poll interval
	}
	if url == "" {
		t.Fatalf("no https URL\nstdout: %s\nstderr: %s", p.stdout, p.stderr)
	}
	url = strings.Replace(url, "127.0.0.1", "localhost", 1)
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate %s: %v (a certificate error means the authority is not trusted)", url, err)
	}
	testenv.WaitJS(t, tab, `window.__hotserve?.socket?.readyState === 1`, 10*time.Second)
	for _, expr := range []string{
		`window.isSecureContext === true`,
		`performance.getEntriesByType('navigation')[0].nextHopProtocol === "h2"`,
		`window.__hotserve.socket.url.startsWith("wss://localhost:")`,
	} {
		if ok, err := chromedp.Run(tab, chromedp.Evaluate[bool](expr)); err != nil || !ok {
			t.Errorf("%s: false (%v)", expr, err)
		}
	}
	if _, err := chromedp.Run(tab, chromedp.Evaluate[int](`window.marker = 42`)); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(dir, "style.css"), "h1 { color: rgb(0, 0, 255); }\n")
	testenv.WaitJS(t, tab, `getComputedStyle(document.querySelector("h1")).color === "rgb(0, 0, 255)" && window.marker === 42`, 10*time.Second)
	writeTestFile(t, filepath.Join(dir, "index.html"), `<!doctype html><html><head><link rel="stylesheet" href="/style.css"></head><body><h1>two</h1></body></html>`)
	// A page edit is morphed in, over HTTP/2 too: the page is not reloaded.
	testenv.WaitJS(t, tab, `document.querySelector("h1")?.textContent === "two" && window.marker === 42 && window.isSecureContext`, 10*time.Second)
}

func writeTestFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
