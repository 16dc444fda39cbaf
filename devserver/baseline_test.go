package devserver_test

import (
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hotserve/hotserve/devserver"
)

// TestBaselineIsThePageAsServed: a navigation names the hash of the page
// it got (without the client) in Server-Timing, and the page's token gets
// exactly those bytes back by it, after the file has been saved again;
// without the token, from another origin, or for a hash never served, it
// gets nothing.
func TestBaselineIsThePageAsServed(t *testing.T) {
	dir := t.TempDir()
	const first = "<!doctype html><title>one</title><h1>one</h1>"
	writeFile(t, filepath.Join(dir, "index.html"), first)
	s := startSite(t, dir, "127.0.0.1:0")
	token := devserver.Token(s.srv)
	origin := strings.TrimSuffix(s.URL, "/")

	get := func(url string, header map[string]string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	nav, body := get(s.URL, map[string]string{"Sec-Fetch-Mode": "navigate", "Accept": "text/html"})
	if !strings.Contains(body, "/__hotserve/client.js") {
		t.Fatalf("the navigation got no client:\n%s", body)
	}
	m := regexp.MustCompile(`hotserve-page;desc="([0-9a-f]{32})"`).FindStringSubmatch(strings.Join(nav.Header.Values("Server-Timing"), ", "))
	if m == nil {
		t.Fatalf("Server-Timing %q names no hotserve-page", nav.Header.Values("Server-Timing"))
	}
	fetched, _ := get(s.URL, map[string]string{"Sec-Fetch-Mode": "cors"})
	if want := `"` + m[1] + `"`; fetched.Header.Get("ETag") != want {
		t.Errorf("the page fetched has ETag %s; the navigation named %s", fetched.Header.Get("ETag"), want)
	}

	writeFile(t, filepath.Join(dir, "index.html"), "<!doctype html><title>two</title><h1>two</h1>")
	own := map[string]string{"X-Hotserve-Token": token, "Sec-Fetch-Site": "same-origin"}
	with := func(k, v string) map[string]string {
		h := map[string]string{k: v}
		for a, b := range own {
			if a != k {
				h[a] = b
			}
		}
		return h
	}
	cases := []struct {
		name   string
		url    string
		header map[string]string
		status int
		body   string
	}{
		{"the page as served, saved since", "__hotserve/page?v=" + m[1], own, http.StatusOK, first},
		{"from its own origin", "__hotserve/page?v=" + m[1], with("Origin", origin), http.StatusOK, first},
		{"without the token", "__hotserve/page?v=" + m[1], with("X-Hotserve-Token", "wrong"), http.StatusForbidden, ""},
		{"from another origin", "__hotserve/page?v=" + m[1], with("Origin", "http://evil.example"), http.StatusForbidden, ""},
		{"from another site", "__hotserve/page?v=" + m[1], with("Sec-Fetch-Site", "cross-site"), http.StatusForbidden, ""},
		{"a hash never served", "__hotserve/page?v=" + strings.Repeat("0", 32), own, http.StatusNotFound, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, b := get(s.URL+c.url, c.header)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.status, b)
			}
			if c.body != "" && b != c.body {
				t.Errorf("body %q, want %q", b, c.body)
			}
			if c.status != http.StatusOK && strings.Contains(b, "<h1>") {
				t.Errorf("a refusal gave the page away: %q", b)
			}
		})
	}
}
