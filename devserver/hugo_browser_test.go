package devserver_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/testenv"
)

// hugoSite is a Hugo project of 400 posts in a temporary folder, built
// into its public/ folder by the real hugo.
type hugoSite struct {
	t        testing.TB
	hugo     string
	src, out string
}

const hugoPosts = 400

// newHugoSite makes and builds the site. work is how many times five steps
// of a loop each post's template runs, standing in for a theme's partials:
// with 0 the 400 pages build in a tenth of a second here, with 1400 in
// 1.5s, with pauses of 10ms and more between files.
func newHugoSite(t testing.TB, work int) *hugoSite {
	h := &hugoSite{t: t, hugo: testenv.Hugo(t), src: t.TempDir()}
	h.out = filepath.Join(h.src, "public")
	h.write("config.toml", "baseURL = \"http://localhost/\"\ntitle = \"Posts\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n")
	h.layout("v0")
	theme := ""
	if work > 0 {
		theme = fmt.Sprintf(`{{ $n := 0 }}{{ range seq %d }}{{ range seq 5 }}{{ $n = add $n 1 }}{{ end }}{{ end }}`, work)
	}
	h.write("layouts/_default/single.html", `{{ define "main" }}`+theme+`<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}`)
	list := `{{ define "main" }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}`
	h.write("layouts/_default/list.html", list)
	h.write("layouts/index.html", list)
	h.write("static/style.css", "h1 { color: #333 }\n")
	for i := range hugoPosts {
		h.post(i, "first draft")
	}
	h.build()
	return h
}

func (h *hugoSite) write(name, text string) {
	h.t.Helper()
	p := filepath.Join(h.src, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		h.t.Fatal(err)
	}
	writeFile(h.t, p, text)
}

// layout sets the template every page is made with; each page counts its
// loads in the tab's sessionStorage, and stamps when it loaded.
func (h *hugoSite) layout(version string) {
	h.write("layouts/_default/baseof.html", `<!doctype html><html><head><title>{{ .Title }}</title>
<link rel="stylesheet" href="/style.css">
<script>sessionStorage.loads = (+sessionStorage.loads || 0) + 1; sessionStorage.loadedAt = Date.now()</script></head>
<body>{{ block "main" . }}{{ end }}<footer>`+version+`</footer></body></html>`)
}

func (h *hugoSite) post(i int, text string) {
	h.write(fmt.Sprintf("content/posts/p%d.md", i), fmt.Sprintf("---\ntitle: \"Post %d\"\n---\n\nPost %d: %s. %s\n", i, i, text, strings.Repeat("Lorem ipsum. ", 50)))
}

// build runs hugo, as the developer would in another terminal.
func (h *hugoSite) build() {
	h.t.Helper()
	cmd := exec.Command(h.hugo, "--quiet", "-d", h.out)
	cmd.Dir = h.src
	if out, err := cmd.CombinedOutput(); err != nil {
		h.t.Fatalf("hugo: %v\n%s", err, out)
	}
}

// TestHugoBuildIsOneUpdate runs real Hugo builds of a 400-page site into
// the served folder, with a tab open on each of two posts: every build
// that changes a page loads it once, never twice, and a build that changed
// one post reloads only the tab on that post.
func TestHugoBuildIsOneUpdate(t *testing.T) {
	h := newHugoSite(t, 0)
	s := startSite(t, h.out, "127.0.0.1:0", noMorph)
	tabA, tabB := newTab(t), newTab(t)
	navigate(t, tabA, s.URL+"posts/p7/")
	navigate(t, tabB, s.URL+"posts/p300/")
	updates := func() int64 { return s.count("live-reload") + s.count("css-update") + s.count("img-update") }
	// shows waits for what the tab shows after a build, then checks how
	// many times it has loaded since it was opened.
	shows := func(tab context.Context, name, text string, loads int) {
		t.Helper()
		testenv.WaitJS(t, tab, `document.body.textContent.includes(`+jsString(text)+`)`, 20*time.Second)
		if have := evalJS[string](t, tab, `sessionStorage.loads`); have != fmt.Sprint(loads) {
			t.Errorf("tab on %s loaded %s times, want %d", name, have, loads)
		}
	}

	// A template change rewrites every page with new bytes. The first
	// file may go on its own, as a save would (S24), but every tab
	// loads once.
	before := updates()
	h.layout("v1")
	h.build()
	shows(tabA, "p7", "v1", 2)
	shows(tabB, "p300", "v1", 2)
	if n := updates() - before; n < 1 || n > 2 {
		t.Errorf("a build of every page sent %d updates, want 1 (or 2, when its first file went alone)", n)
	}

	// An edit of one post: Hugo rewrites all 400 pages, one of them with
	// new bytes. One update, for the tab on that post alone.
	before = updates()
	h.post(300, "second draft")
	h.build()
	shows(tabB, "p300", "second draft", 3)
	if n := updates() - before; n != 1 {
		t.Errorf("a build that changed one post sent %d updates, want 1", n)
	}

	// The next build is the sync point for the tab that must not have
	// reloaded: it loads once more, the third time in all.
	h.layout("v2")
	h.build()
	shows(tabA, "p7", "v2", 3)
	shows(tabB, "p300", "v2", 4)
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// BenchmarkBrowserHugoBuild rebuilds a 400-page Hugo site with a new
// template, with a tab open on one post, and reports how many updates
// each build sent, how many times the tab loaded, and the time from the build's end (hugo exits) to the
// tab's new page, stamped by the page itself on the same clock; "theme"
// renders each page slowly, as a real theme does (see newHugoSite).
func BenchmarkBrowserHugoBuild(b *testing.B) {
	b.Run("fast", func(b *testing.B) { benchHugo(b, 0) })
	b.Run("theme", func(b *testing.B) { benchHugo(b, 1400) })
}

func benchHugo(b *testing.B, work int) {
	h := newHugoSite(b, work)
	s := startSite(b, h.out, "127.0.0.1:0", noMorph)
	tab := newTab(b)
	navigate(b, tab, s.URL+"posts/p7/")
	updates := func() int64 { return s.count("live-reload") + s.count("css-update") + s.count("img-update") }
	before := updates()
	var lat []float64
	for i := 0; b.Loop(); i++ {
		v := fmt.Sprintf("v%d", i+1)
		h.layout(v)
		h.build()
		end := time.Now()
		testenv.WaitJS(b, tab, `document.querySelector('footer')?.textContent === `+jsString(v), 20*time.Second)
		at := evalJS[string](b, tab, `sessionStorage.loadedAt`)
		var ms int64
		fmt.Sscan(at, &ms)
		lat = append(lat, float64(ms-end.UnixMilli()))
	}
	var loads float64
	fmt.Sscan(evalJS[string](b, tab, `sessionStorage.loads`), &loads)
	b.ReportMetric(float64(updates()-before)/float64(len(lat)), "updates/build")
	b.ReportMetric((loads-1)/float64(len(lat)), "loads/build")
	slices.Sort(lat)
	b.ReportMetric(lat[len(lat)/2], "ms-end-to-load-p50")
	b.ReportMetric(lat[len(lat)*9/10], "ms-end-to-load-p90")
}
