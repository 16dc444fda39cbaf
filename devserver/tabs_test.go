package devserver

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// fetchedBy makes a GET of path with the referrer ref ("" for none).
func fetchedBy(path, ref string) *http.Request {
	r := httptest.NewRequest("GET", "http://127.0.0.1:8080"+path, nil)
	if ref != "" {
		r.Header.Set("Referer", ref)
	}
	return r
}

func TestDepsFollowReferrers(t *testing.T) {
	d := newDeps()
	for _, rq := range [][2]string{
		{"/", ""},
		{"/css/main.css", "http://127.0.0.1:8080/"},
		{"/css/mid.css", "http://127.0.0.1:8080/css/main.css"},   // @import
		{"/img/bg.png", "http://127.0.0.1:8080/css/mid.css?v=2"}, // url() in it
		{"/js/app.js", "http://127.0.0.1:8080/"},                 // module
		{"/js/util.js", "http://127.0.0.1:8080/js/app.js"},       // its import
		{"/about/", ""}, // another page
		{"/about/team.html", "http://127.0.0.1:8080/about/"}, // a fragment it fetched
		{"/theirs.css", "http://elsewhere.example/"},         // another site's page
		{"/missing.css", "http://127.0.0.1:8080/about/"},     // a 404 counts
	} {
		d.observe(fetchedBy(rq[0], rq[1]), rq[0] != "/missing.css")
	}
	cases := []struct {
		page    string
		changed []string
		want    bool
	}{
		{"/", []string{"/index.html"}, true},
		{"/", []string{"/css/mid.css"}, true},
		{"/", []string{"/img/bg.png"}, true},
		{"/", []string{"/js/util.js"}, true},
		{"/", []string{"/about/index.html"}, false},
		{"/", []string{"/about/team.html"}, false},
		{"/about/", []string{"/about/index.html"}, true},
		{"/about/", []string{"/about/team.html"}, true},
		{"/about/", []string{"/missing.css"}, true},
		{"/about/", []string{"/css/main.css"}, false},
		{"/", []string{"/theirs.css"}, false},
	}
	for _, c := range cases {
		if got := d.usesAny(c.page, changedURLs(c.changed)); got != c.want {
			t.Errorf("page %s uses %v: %v, want %v", c.page, c.changed, got, c.want)
		}
	}
	if d.known("/never/") {
		t.Error("a page never served is known")
	}
	if !d.known("/about/") {
		t.Error("a page served is not known")
	}
}

func TestAffects(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(dir, "docs"), 0o755)
	s, err := New(Config{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.updates.deps.observe(fetchedBy("/", ""), true)
	s.updates.deps.observe(fetchedBy("/docs/", ""), true)
	cases := []struct {
		name    string
		page    string
		changed string
		all     bool
		want    bool
	}{
		{"its own page", "/", "/index.html", false, true},
		{"another page", "/", "/other.html", false, false},
		{"in doubt", "/", "/other.html", true, true},
		{"a page hotserve never served", "/elsewhere", "/other.html", false, true},
		{"a tab that does not say", "", "/other.html", false, true},
		{"a file in a listed folder", "/docs/", "/docs/a.txt", false, true},
		{"a file deeper than a listed folder", "/docs/", "/docs/x/a.txt", false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := s.updates.affects(c.page, changedURLs([]string{c.changed}), c.all); got != c.want {
				t.Errorf("affects(%q, %s, all=%v) = %v, want %v", c.page, c.changed, c.all, got, c.want)
			}
		})
	}
}

func TestStale(t *testing.T) {
	dir := t.TempDir()
	s, err := New(Config{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.updates.deps.observe(fetchedBy("/a.html", ""), true)
	s.updates.deps.observe(fetchedBy("/b.html", ""), true)
	add := func(all bool, paths ...string) {
		s.updates.history.add(change{epoch: s.updates.epoch.Add(1), urls: changedURLs(paths), all: all})
	}
	add(false, "/a.html") // 1
	add(false, "/b.html") // 2
	q := func(server, epoch, page string) url.Values {
		return url.Values{"server": {server}, "epoch": {epoch}, "page": {page}}
	}
	cases := []struct {
		name string
		q    url.Values
		want bool
	}{
		{"first connection", url.Values{"page": {"/a.html"}}, false},
		{"another server", q("0123", "2", "/a.html"), true},
		{"up to date", q(s.id, "2", "/a.html"), false},
		{"missed a change to its page", q(s.id, "0", "/a.html"), true},
		{"missed only another page's change", q(s.id, "1", "/a.html"), false},
		{"a bad epoch", q(s.id, "x", "/a.html"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := s.updates.stale(c.q); got != c.want {
				t.Errorf("stale(%v) = %v, want %v", c.q, got, c.want)
			}
		})
	}
	t.Run("missed more than history keeps", func(t *testing.T) {
		for range historySize {
			add(false, "/b.html")
		}
		if !s.updates.stale(q(s.id, "1", "/a.html")) {
			t.Error("a tab whose missed changes were forgotten is not stale")
		}
		if s.updates.stale(q(s.id, strconv.FormatInt(s.updates.epoch.Load(), 10), "/a.html")) {
			t.Error("an up-to-date tab is stale")
		}
	})
}
