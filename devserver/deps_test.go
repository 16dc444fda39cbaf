package devserver

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// size returns how many nodes and edges deps holds, and their bytes.
func (d *deps) size() (nodes, edges, bytes int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, e := range d.nodes {
		edges += len(e.Value.(*depNode).uses)
	}
	return len(d.nodes), edges, d.bytes
}

// uniquePath is a unique URL path of about n bytes.
func uniquePath(i, n int) string {
	return fmt.Sprintf("/%d/%s", i, strings.Repeat("x", n))
}

func TestDepsRecordOnlyOurPages(t *testing.T) {
	const page = "http://127.0.0.1:8080/"
	cases := []struct {
		name, path, ref, fetchSite string
		found                      bool
	}{
		{"a 404 with no referrer", "/nothing.css", "", "", false},
		{"a 404 from another site", "/nothing.css", "http://evil.example/", "", false},
		{"a file from another site", "/style.css", "http://evil.example/", "", true},
		{"a file from another port", "/style.css", "http://127.0.0.1:9090/", "", true},
		{"a file fetched cross-site without a Referer", "/style.css", "", "cross-site", true},
		{"a file fetched same-site without a Referer", "/style.css", "", "same-site", true},
		{"a 404 from a page never served", "/nothing.css", "http://127.0.0.1:8080/unknown.html", "", false},
		{"a path too long", uniquePath(0, maxPathLen), "", "", true},
		{"a path too long from our page", uniquePath(0, maxPathLen), page, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := newDeps()
			r := fetchedBy(c.path, c.ref)
			if c.fetchSite != "" {
				r.Header.Set("Sec-Fetch-Site", c.fetchSite)
			}
			d.observe(r, c.found)
			if n, e, b := d.size(); n != 0 || e != 0 || b != 0 {
				t.Errorf("recorded %d nodes, %d edges, %d bytes; want nothing", n, e, b)
			}
		})
	}
	t.Run("a 404 from a page served is an edge, not a node", func(t *testing.T) {
		d := newDeps()
		d.observe(fetchedBy("/", ""), true)
		d.observe(fetchedBy("/later.css", page), false)
		if n, e, _ := d.size(); n != 1 || e != 1 {
			t.Errorf("recorded %d nodes and %d edges, want 1 and 1", n, e)
		}
		if !d.usesAny("/", changedURLs([]string{"/later.css"})) {
			t.Error("the page is not updated when the file it asked for appears")
		}
	})
}

func TestDepsBounds(t *testing.T) {
	check := func(t *testing.T, d *deps) {
		t.Helper()
		n, e, b := d.size()
		if n > maxDepNodes || b > maxDepBytes || e > n*maxDepEdges {
			t.Errorf("deps holds %d nodes, %d edges, %d bytes; bounds are %d nodes, %d edges a node, %d bytes", n, e, b, maxDepNodes, maxDepEdges, maxDepBytes)
		}
	}
	t.Run("one page asks for endless long paths", func(t *testing.T) {
		d := newDeps()
		d.observe(fetchedBy("/", ""), true)
		for i := range 3 * maxDepEdges {
			d.observe(fetchedBy(uniquePath(i, maxPathLen-20), "http://127.0.0.1:8080/"), false)
		}
		check(t, d)
		if _, e, _ := d.size(); e != maxDepEdges {
			t.Errorf("the page has %d edges, want the cap %d", e, maxDepEdges)
		}
		if !d.usesAny("/", changedURLs([]string{"/unrelated.css"})) {
			t.Error("a page that asked for more than deps keeps is not in doubt")
		}
	})
	t.Run("endless pages", func(t *testing.T) {
		d := newDeps()
		for i := range 2 * maxDepNodes {
			d.observe(fetchedBy(fmt.Sprintf("/p%d.html", i), ""), true)
		}
		check(t, d)
		if d.known("/p0.html") {
			t.Error("the page used longest ago is still known")
		}
		if !d.known(fmt.Sprintf("/p%d.html", 2*maxDepNodes-1)) {
			t.Error("the page used last was evicted")
		}
	})
	t.Run("endless long pages with edges", func(t *testing.T) {
		d := newDeps()
		for i := range 2000 {
			p := uniquePath(i, maxPathLen-20)
			d.observe(fetchedBy(p, ""), true)
			for j := range 4 {
				d.observe(fetchedBy(uniquePath(j, maxPathLen-20), "http://127.0.0.1:8080"+p), false)
			}
		}
		check(t, d)
		if _, _, b := d.size(); b < maxDepBytes/2 {
			t.Errorf("deps holds %d bytes; the test meant to reach the budget %d", b, maxDepBytes)
		}
	})
	t.Run("a page whose stylesheet was evicted is in doubt", func(t *testing.T) {
		d := newDeps()
		d.observe(fetchedBy("/", ""), true)
		d.observe(fetchedBy("/main.css", "http://127.0.0.1:8080/"), true)
		d.observe(fetchedBy("/bg.png", "http://127.0.0.1:8080/main.css"), true)
		for i := range maxDepNodes {
			d.observe(fetchedBy(fmt.Sprintf("/p%d.html", i), ""), true)
			d.known("/") // the page's tab is open
		}
		if !d.known("/") || d.known("/main.css") {
			t.Fatal("the test meant to keep the page and evict its stylesheet")
		}
		if !d.usesAny("/", changedURLs([]string{"/bg.png"})) {
			t.Error("a change to an image of an evicted stylesheet does not reach the page")
		}
	})
}

func TestTabPageCap(t *testing.T) {
	long := uniquePath(0, maxPathLen)
	for _, c := range []struct{ page, want string }{
		{"/about/", "/about/"},
		{long, ""},
	} {
		r := httptest.NewRequest("GET", "http://127.0.0.1:8080/__hotserve/ws?page="+c.page, nil)
		if got := tabPage(r); got != c.want {
			t.Errorf("tabPage(%.40q) = %.40q, want %q", c.page, got, c.want)
		}
	}
}
