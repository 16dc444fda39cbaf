package devserver_test

import (
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"testing"

	hotclient "github.com/hotserve/hotserve/client"
)

var scriptSrc = regexp.MustCompile(`<script src="(/__hotserve/client\.js[^"]*)">`)

// clientSrc returns the client's URL in the page that site serves at /.
func clientSrc(t *testing.T, s *site) string {
	t.Helper()
	resp, err := http.Get(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	m := scriptSrc.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no client script in the page:\n%s", page)
	}
	return string(m[1])
}

// cacheControl returns the Cache-Control of the client script at src.
func cacheControl(t *testing.T, s *site, src string) string {
	t.Helper()
	resp, err := http.Get(s.URL + src[1:])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", src, resp.Status)
	}
	return resp.Header.Get("Cache-Control")
}

// TestClientScriptCachedForGood checks that the injected tag names the
// script by its version, that this URL may be kept for good by the
// browser but by no shared cache (it holds the token), and that every
// other URL of the script is revalidated.
func TestClientScriptCachedForGood(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), "<body>x</body>")
	s := startSite(t, dir, "127.0.0.1:0")
	src := clientSrc(t, s)
	if want := "&v=" + hotclient.Version(); !regexp.MustCompile(`\?t=[0-9a-f]+` + regexp.QuoteMeta(want) + `$`).MatchString(src) {
		t.Fatalf("the tag's URL is %s; want the token, then %s", src, want)
	}
	if cc := cacheControl(t, s, src); cc != "private, max-age=31536000, immutable" {
		t.Errorf("the tag's URL has Cache-Control %q; want private, max-age=31536000, immutable", cc)
	}
	for _, other := range []string{"/__hotserve/client.js", "/__hotserve/client.js?v=0123", "/__hotserve/client.js?t=x&v=" + hotclient.Version() + "0"} {
		if cc := cacheControl(t, s, other); cc != "no-cache" {
			t.Errorf("%s has Cache-Control %q; want no-cache", other, cc)
		}
	}
}

// TestClientScriptFromDiskRevalidated checks that a client read from disk
// for development gets no version, so each edit of it is seen.
func TestClientScriptFromDiskRevalidated(t *testing.T) {
	clientDir := t.TempDir()
	writeFile(t, filepath.Join(clientDir, "hotserve.js"), "window.__hotserve = {};")
	t.Setenv(hotclient.DevEnv, clientDir)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), "<body>x</body>")
	s := startSite(t, dir, "127.0.0.1:0")
	src := clientSrc(t, s)
	if regexp.MustCompile(`[?&]v=`).MatchString(src) {
		t.Errorf("the tag's URL is %s; want no version while %s is set", src, hotclient.DevEnv)
	}
	if cc := cacheControl(t, s, src); cc != "no-cache" {
		t.Errorf("Cache-Control %q; want no-cache", cc)
	}
}
