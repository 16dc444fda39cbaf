package devserver_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// consoleLog keeps the records the server logs, with their attributes.
type consoleLog struct {
	mu   sync.Mutex
	recs []consoleRec
}

type consoleRec struct {
	msg   string
	attrs map[string]string
}

func (l *consoleLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *consoleLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *consoleLog) WithGroup(string) slog.Handler            { return l }
func (l *consoleLog) Handle(_ context.Context, r slog.Record) error {
	rec := consoleRec{msg: r.Message, attrs: map[string]string{}}
	r.Attrs(func(a slog.Attr) bool { rec.attrs[a.Key] = a.Value.String(); return true })
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, rec)
	return nil
}

// browser returns the records that came from a page's console.
func (l *consoleLog) browser() []consoleRec {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []consoleRec
	for _, r := range l.recs {
		if r.attrs["source"] == "browser" {
			out = append(out, r)
		}
	}
	return out
}

// lines returns the messages of every record.
func (l *consoleLog) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.recs {
		out = append(out, r.msg)
	}
	return out
}

// pageTab opens a tab in the shared browser where the page may throw, as
// the console's tests make it do; newTab fails the test on a throw.
func pageTab(t testing.TB) context.Context {
	t.Helper()
	chromium := testenv.Chromium(t)
	browser.once.Do(func() { startBrowser(chromium) })
	if browser.err != nil {
		t.Fatalf("cannot start %s: %v", chromium, browser.err)
	}
	ctx, cancel := chromedp.NewContext(browser.ctx)
	t.Cleanup(cancel)
	return ctx
}

// consoleSite writes files into a new folder and serves it with the
// console on, logging into l.
func consoleSite(t *testing.T, files map[string]string, tune ...func(*devserver.Config)) (*site, *consoleLog, string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		writeFile(t, filepath.Join(dir, name), content)
	}
	l := &consoleLog{}
	s := startSite(t, dir, "127.0.0.1:0", append([]func(*devserver.Config){func(c *devserver.Config) { c.Log = slog.New(l) }}, tune...)...)
	return s, l, dir
}

const boomJS = `// app.js
function start() {
  throw new Error("boom");
}
start();
`

// overlayText is the text of the runtime-error overlay, or "" without one.
const overlayText = `(() => { for (const o of document.querySelectorAll("hotserve-overlay")) { const t = o.shadowRoot.textContent; if (t.includes("Uncaught")) return t; } return ""; })()`

func TestBrowserConsoleUncaughtError(t *testing.T) {
	var opened []string
	var mu sync.Mutex
	s, l, dir := consoleSite(t, map[string]string{
		"about.html": `<!doctype html><title>about</title><link rel=stylesheet href="style.css"><p>about</p><script src="js/app.js" defer></script>`,
		"style.css":  `p { color: black }`,
		"js/app.js":  boomJS,
	}, func(c *devserver.Config) {
		c.OpenEditor = func(path string, line, col int) error {
			mu.Lock()
			defer mu.Unlock()
			opened = append(opened, fmt.Sprintf("%s:%d:%d", path, line, col))
			return nil
		}
	})
	tab := pageTab(t)
	navigate(t, tab, s.URL+"about.html")

	want := "about.html · Error: boom · js/app.js:3:9"
	waitUntil(t, "the error's line", 10*time.Second, func() bool { return len(l.browser()) > 0 })
	recs := l.browser()
	if len(recs) != 1 || recs[0].msg != want {
		t.Fatalf("lines from the page:\nhave %q\nwant [%q]", lines(recs), want)
	}
	if got := recs[0].attrs; got["file"] != "js/app.js" || got["line"] != "3" || got["col"] != "9" || got["path"] != filepath.Join(dir, "js", "app.js") || got["console"] != "error" {
		t.Errorf("attributes %v: want file js/app.js, line 3, col 9, its path, console error", got)
	}

	testenv.WaitJS(t, tab, overlayText+` !== ""`, 5*time.Second)
	text := evalJS[string](t, tab, overlayText)
	for _, part := range []string{"Uncaught error in about.html", "Error: boom", "start  js/app.js:3:9", `3 │   throw new Error("boom");`, `1 │ // app.js`} {
		if !strings.Contains(text, part) {
			t.Errorf("overlay text %q lacks %q", text, part)
		}
	}

	// A click on the frame asks the server to open the file there.
	evalJS[bool](t, tab, `(() => { for (const o of document.querySelectorAll("hotserve-overlay")) { const b = o.shadowRoot.querySelector(".where"); if (b) { b.click(); return true; } } return false; })()`)
	waitUntil(t, "the editor", 5*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(opened) > 0 })
	if want := filepath.Join(dir, "js", "app.js") + ":3:9"; opened[0] != want {
		t.Errorf("editor opened %q, want %q", opened[0], want)
	}
	testenv.WaitJS(t, tab, overlayText+`.includes("opened in your editor")`, 5*time.Second)

	// The next update the page applies removes it.
	writeFile(t, filepath.Join(dir, "style.css"), `p { color: red }`)
	testenv.WaitJS(t, tab, overlayText+` === ""`, 5*time.Second)
}

func lines(recs []consoleRec) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.msg)
	}
	return out
}

func TestBrowserConsoleOverlayEscAndNoOverlay(t *testing.T) {
	files := map[string]string{"index.html": `<!doctype html><p>x</p><script type="module" src="app.js"></script>`, "app.js": boomJS}
	t.Run("Esc dismisses it", func(t *testing.T) {
		s, _, _ := consoleSite(t, files)
		tab := pageTab(t)
		navigate(t, tab, s.URL)
		testenv.WaitJS(t, tab, overlayText+` !== ""`, 5*time.Second)
		if err := chromedp.Do(tab, chromedp.KeyEvent("\u001b")); err != nil {
			t.Fatal(err)
		}
		testenv.WaitJS(t, tab, overlayText+` === ""`, 5*time.Second)
	})
	t.Run("no overlay", func(t *testing.T) {
		s, l, _ := consoleSite(t, files, func(c *devserver.Config) { c.NoOverlay = true })
		tab := pageTab(t)
		navigate(t, tab, s.URL)
		waitUntil(t, "the error's line", 10*time.Second, func() bool { return len(l.browser()) > 0 })
		// The overlay would have been sent before the build-error that
		// follows, on the same socket.
		devserver.Broadcast(s.srv, "build-error", "Build failed", "after")
		testenv.WaitJS(t, tab, `!!document.querySelector("hotserve-overlay")`, 5*time.Second)
		if text := evalJS[string](t, tab, overlayText); text != "" {
			t.Errorf("with NoOverlay the page shows %q", text)
		}
	})
}

func TestBrowserConsoleLevels(t *testing.T) {
	page := `<!doctype html><p>x</p><script>
addEventListener("load", () => setTimeout(() => {
  console.log("a log"); console.info("an info"); console.warn("a warning"); console.error("an error", {n: 1});
  Promise.reject(new TypeError("nobody waits"));
  setTimeout(() => { console.error("done"); window.done = true; }, 50);
}, 0));
</script>`
	cases := []struct {
		level string
		want  []string
	}{
		{devserver.ConsoleErrors, []string{`/ · a warning`, `/ · an error {"n":1}`, `/ · TypeError: nobody waits`, `/ · done`}},
		{devserver.ConsoleAll, []string{`/ · a log`, `/ · an info`, `/ · a warning`, `/ · an error {"n":1}`, `/ · TypeError: nobody waits`, `/ · done`}},
	}
	for _, c := range cases {
		t.Run(c.level, func(t *testing.T) {
			s, l, _ := consoleSite(t, map[string]string{"index.html": page}, func(cfg *devserver.Config) { cfg.Console = c.level })
			tab := pageTab(t)
			navigate(t, tab, s.URL)
			waitUntil(t, "the last line", 10*time.Second, func() bool {
				r := l.browser()
				return len(r) > 0 && strings.HasPrefix(r[len(r)-1].msg, "/ · done")
			})
			var have []string
			for _, r := range l.browser() {
				// "/ · a warning · <anonymous>:3:…" has no file in the folder: an inline script.
				have = append(have, regexp.MustCompile(` · [^ ]*:\d+:\d+$`).ReplaceAllString(r.msg, ""))
			}
			if strings.Join(have, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("lines:\nhave %q\nwant %q", have, c.want)
			}
		})
	}
	t.Run("off", func(t *testing.T) {
		s, l, dir := consoleSite(t, map[string]string{"index.html": page, "style.css": ""}, func(cfg *devserver.Config) { cfg.Console = devserver.ConsoleOff })
		tab := pageTab(t)
		navigate(t, tab, s.URL)
		testenv.WaitJS(t, tab, `window.done === true`, 5*time.Second)
		// The update's acknowledgement, which its line waits for, is sent
		// after anything the page said before it.
		writeFile(t, filepath.Join(dir, "style.css"), "p{}")
		waitUntil(t, "the update's line", 10*time.Second, func() bool {
			return strings.Contains(strings.Join(l.lines(), "\n"), "style.css →")
		})
		if r := l.browser(); len(r) != 0 {
			t.Errorf("with the console off, lines %q", lines(r))
		}
	})
}

// TestBrowserConsoleFlood: 10,000 console.error calls are a few lines,
// every one of them printed or counted, and the server answers a request
// quickly all the while.
func TestBrowserConsoleFlood(t *testing.T) {
	for _, c := range []struct{ name, call string }{
		{"all different", `console.error("flood " + i)`},
		{"all the same", `console.error("flood")`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, l, _ := consoleSite(t, map[string]string{"index.html": `<!doctype html><p>x</p>`})
			tab := pageTab(t)
			navigate(t, tab, s.URL)
			stop := make(chan struct{})
			took := make(chan []time.Duration)
			go func() {
				var all []time.Duration
				for {
					select {
					case <-stop:
						took <- all
						return
					default:
					}
					start := time.Now()
					if resp, err := http.Get(s.URL + "index.html"); err == nil {
						resp.Body.Close()
					}
					all = append(all, time.Since(start))
				}
			}()
			start := time.Now()
			evalJS[bool](t, tab, `(() => { for (let i = 0; i < 10000; i++) `+c.call+`; return true; })()`)
			printed, counted := 0, 0
			notShown := regexp.MustCompile(`^/ · (\d+) console messages? not shown`)
			repeated := regexp.MustCompile(` ×(\d+)$`)
			// 10,000 calls through the page's hooks, the socket and the
			// server take a few seconds on a loaded 2-core machine; what
			// was seen is said if they do not all arrive.
			defer func() {
				if t.Failed() {
					t.Logf("%d printed, %d counted; the lines:\n%s", printed, counted, strings.Join(lines(l.browser()), "\n"))
				}
			}()
			waitUntil(t, "every call printed or counted", 45*time.Second, func() bool {
				printed, counted = 0, 0
				for _, r := range l.browser() {
					if m := notShown.FindStringSubmatch(r.msg); m != nil {
						n, _ := strconv.Atoi(m[1])
						counted += n
					} else if m := repeated.FindStringSubmatch(r.msg); m != nil {
						n, _ := strconv.Atoi(m[1])
						counted += n
					} else {
						printed++
					}
				}
				return printed+counted >= 10000
			})
			close(stop)
			requests := <-took
			slices.Sort(requests)
			median, worst := requests[len(requests)/2], requests[len(requests)-1]
			all := l.browser()
			t.Logf("%d lines for 10,000 calls (%d printed, %d counted); %d requests during the flood, median %v, slowest %v",
				len(all), printed, counted, len(requests), median, worst)
			if printed+counted != 10000 {
				t.Errorf("%d printed + %d counted, want 10000", printed, counted)
			}
			// The burst, the rate over the flood, and one line a foldWait
			// for what was folded or left out.
			secs := time.Since(start).Seconds()
			if most := devserver.ConsoleBurst + int(secs*(devserver.ConsoleRate+1/devserver.FoldWait.Seconds())) + 2; len(all) > most {
				t.Errorf("%d lines in %.1f s, want at most %d: %q", len(all), secs, most, lines(all))
			}
			// The machine is shared with Chromium, which is busy making the
			// flood: the median says whether the server kept answering.
			if median > 100*time.Millisecond || worst > 2*time.Second {
				t.Errorf("requests during the flood took %v (median), %v (slowest)", median, worst)
			}
		})
	}
}

// TestBrowserBuildOutputPlacesOpenTheEditor: a file:line:col in a build
// error's text is a button that opens the file there.
func TestBrowserBuildOutputPlacesOpenTheEditor(t *testing.T) {
	opened := make(chan string, 1)
	s, _, dir := consoleSite(t, map[string]string{"index.html": "<p>x</p>", "main.go": "package main\n"}, func(c *devserver.Config) {
		c.OpenEditor = func(path string, line, col int) error {
			opened <- fmt.Sprintf("%s:%d:%d", path, line, col)
			return nil
		}
	})
	tab := newTab(t)
	navigate(t, tab, s.URL)
	devserver.Broadcast(s.srv, "build-error", "Build failed", "# site\n./main.go:12:5: undefined: x\nserving on 127.0.0.1:8080")
	const places = `[...document.querySelector("hotserve-overlay").shadowRoot.querySelectorAll(".where")].map((b) => b.textContent).join("|")`
	testenv.WaitJS(t, tab, `!!document.querySelector("hotserve-overlay")`, 5*time.Second)
	if have := evalJS[string](t, tab, places); have != "./main.go:12:5" {
		t.Fatalf("places %q, want ./main.go:12:5 alone", have)
	}
	evalJS[bool](t, tab, `(document.querySelector("hotserve-overlay").shadowRoot.querySelector(".where").click(), true)`)
	select {
	case have := <-opened:
		if want := filepath.Join(dir, "main.go") + ":12:5"; have != want {
			t.Errorf("opened %q, want %q", have, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the editor was not asked for within 5s")
	}
	// The click opened the file; it did not dismiss the overlay.
	if !evalJS[bool](t, tab, `!!document.querySelector("hotserve-overlay")`) {
		t.Error("the click on a place dismissed the overlay")
	}
}

// TestBrowserConsoleBeforeTheSocketOpensIsCounted: a page that prints
// more than the client keeps before its socket opens gets the rest
// counted, not lost. The socket is held shut until the page has printed.
func TestBrowserConsoleBeforeTheSocketOpensIsCounted(t *testing.T) {
	s, l, _ := consoleSite(t, map[string]string{"index.html": `<!doctype html><p>x</p>
<script>for (let i = 0; i < 500; i++) console.error("early " + i);</script>`})
	tab := pageTab(t)
	// Whatever the machine's speed, the page prints before it connects:
	// its WebSocket waits for the page's load.
	onNewDocument(t, tab, `(() => {
		const Real = WebSocket;
		window.WebSocket = function (...args) {
			const ws = { readyState: 0 };
			const go = () => { const real = new Real(...args); for (const k of ["onopen", "onmessage", "onclose"]) real[k] = (...a) => ws[k]?.(...a); ws.send = (d) => real.send(d); Object.defineProperty(ws, "readyState", { get: () => real.readyState }); };
			if (document.readyState === "complete") go(); else addEventListener("load", go, { once: true });
			return ws;
		};
		window.WebSocket.OPEN = Real.OPEN;
	})()`)
	navigate(t, tab, s.URL)
	notShown := regexp.MustCompile(`^/ · (\d+) console messages? not shown`)
	repeated := regexp.MustCompile(` ×(\d+)$`)
	waitUntil(t, "every early call printed or counted", 20*time.Second, func() bool {
		n := 0
		for _, r := range l.browser() {
			if m := notShown.FindStringSubmatch(r.msg); m != nil {
				k, _ := strconv.Atoi(m[1])
				n += k
			} else if m := repeated.FindStringSubmatch(r.msg); m != nil {
				k, _ := strconv.Atoi(m[1])
				n += k
			} else {
				n++
			}
		}
		return n == 500
	})
}
