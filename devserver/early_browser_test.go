package devserver_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// earlyPage throws from an inline script in <head>, before the end of
// <body> where the client used to be: line 5, column 9.
const earlyPage = `<!doctype html>
<html lang="en">
<head>
<script>
  throw new Error("early boom");
</script>
<title>early</title>
</head>
<body><p>early</p></body>
</html>
`

func TestBrowserEarlyInlineHeadError(t *testing.T) {
	tests := []struct {
		name, file, page, want string
		source                 []string
	}{
		{"an inline script in head", "early.html", earlyPage,
			"early.html · Error: early boom · early.html:5:9", []string{`5 │   throw new Error("early boom");`, "3 │ <head>"}},
		// On the line of <head>, where the client's tag goes: the column
		// is the file's, not the served page's.
		{"a page on one line", "min.html", `<!doctype html><html><head><script>throw new Error("boom")</script></head><body><p>x</p></body></html>`,
			"min.html · Error: boom · min.html:1:42", []string{`1 │ <!doctype html><html><head><script>throw new Error("boom")`}},
		{"a folder's index.html", "sub/index.html", earlyPage,
			"sub/ · Error: early boom · sub/index.html:5:9", []string{`5 │   throw new Error("early boom");`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, l, _ := consoleSite(t, map[string]string{tt.file: tt.page})
			tab := pageTab(t)
			navigate(t, tab, s.URL+strings.TrimSuffix(tt.file, "index.html"))

			testenv.WaitJS(t, tab, overlayText+` !== ""`, 10*time.Second)
			if recs := l.browser(); len(recs) != 1 || recs[0].msg != tt.want {
				t.Errorf("lines from the page:\nhave %q\nwant [%q]", lines(recs), tt.want)
			}
			text := evalJS[string](t, tab, overlayText)
			for _, part := range append([]string{"Uncaught error in", "Error: "}, tt.source...) {
				if !strings.Contains(text, part) {
					t.Errorf("overlay text %q lacks %q", text, part)
				}
			}
			// The overlay is in the body, after the page's own content.
			if !evalJS[bool](t, tab, `document.body.contains(document.querySelector("hotserve-overlay"))`) {
				t.Errorf("the overlay is not in the page's body")
			}
		})
	}
}

func TestBrowserEarlyClassicScriptError(t *testing.T) {
	s, l, _ := consoleSite(t, map[string]string{
		"index.html": "<!doctype html>\n<html><head><title>top</title>\n<script>console.warn(\"loading\")</script>\n</head>\n<body>\n<script src=\"js/boot.js\"></script>\n<p>top</p>\n</body></html>\n",
		"js/boot.js": boomJS,
	})
	tab := pageTab(t)
	navigate(t, tab, s.URL)

	testenv.WaitJS(t, tab, overlayText+` !== ""`, 10*time.Second)
	waitUntil(t, "both lines", 5*time.Second, func() bool { return len(l.browser()) >= 2 })
	want := []string{"/ · loading · index.html:3:17", "/ · Error: boom · js/boot.js:3:9"}
	if got := lines(l.browser()); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines from the page:\nhave %q\nwant %q", got, want)
	}
	if text := evalJS[string](t, tab, overlayText); !strings.Contains(text, `3 │   throw new Error("boom");`) {
		t.Errorf("overlay text %q lacks the line that threw", text)
	}
}

// TestBrowserEarlyErrorUnderCSP serves a page whose policy forbids inline
// scripts and styles: the client still loads, sees the page's first script
// fail, shows the overlay styled, reloads the page on a save, and the
// browser reports no violation.
func TestBrowserEarlyErrorUnderCSP(t *testing.T) {
	const csp = "script-src 'self'; style-src 'self'"
	page := func(text string) string {
		return "<!doctype html>\n<html><head>\n<script src=\"js/boot.js\"></script>\n</head><body><p>" + text + "</p></body></html>\n"
	}
	s, l, dir := consoleSite(t, map[string]string{"index.html": page("one"), "js/boot.js": boomJS}, func(c *devserver.Config) {
		c.Headers = []devserver.HeaderRule{{Header: http.Header{"Content-Security-Policy": {csp}}}}
	})
	tab := pageTab(t)
	const watch = `addEventListener("securitypolicyviolation", (e) => {
		const v = JSON.parse(sessionStorage.getItem("violations") || "[]");
		v.push(e.violatedDirective + " " + e.blockedURI);
		sessionStorage.setItem("violations", JSON.stringify(v));
	});`
	onNewDocument(t, tab, watch)
	navigate(t, tab, s.URL)

	testenv.WaitJS(t, tab, overlayText+` !== ""`, 10*time.Second)
	if want := "/ · Error: boom · js/boot.js:3:9"; len(l.browser()) != 1 || l.browser()[0].msg != want {
		t.Errorf("lines from the page:\nhave %q\nwant [%q]", lines(l.browser()), want)
	}
	if pos := evalJS[string](t, tab, `getComputedStyle(document.querySelector("hotserve-overlay")).position`); pos != "fixed" {
		t.Errorf("the overlay's position is %q under %q; want it styled (fixed)", pos, csp)
	}
	writeFile(t, filepath.Join(dir, "index.html"), page("two"))
	testenv.WaitJS(t, tab, `document.body.textContent.includes("two") && window.__hotserve?.socket?.readyState === 1`, 10*time.Second)
	if got := evalJS[string](t, tab, `sessionStorage.getItem("violations") || "[]"`); got != "[]" {
		t.Errorf("the browser reported violations of %q: %s", csp, got)
	}
}

// onNewDocument has the tab run js in every document it opens from now
// on, before any of the page's scripts and hotserve's (and outside the
// page's Content-Security-Policy).
func onNewDocument(t testing.TB, tab context.Context, js string) {
	t.Helper()
	add := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: js})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(tab, add); err != nil {
		t.Fatal(err)
	}
}
