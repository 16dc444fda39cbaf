package devserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestProxyOverHTTPS: hotserve ends TLS and the backend, in plain HTTP,
// learns from X-Forwarded-Proto; its redirects, to itself or to the
// forwarded host in http://, come back as https:// to hotserve.
func TestProxyOverHTTPS(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/self":
			http.Redirect(w, r, "http://"+r.Host+"/login", http.StatusFound)
		case "/forwarded":
			http.Redirect(w, r, "http://"+r.Header.Get("X-Forwarded-Host")+"/login", http.StatusFound)
		case "/away":
			http.Redirect(w, r, "http://example.com/", http.StatusFound)
		default:
			fmt.Fprintf(w, "proto=%s tls=%v", r.Header.Get("X-Forwarded-Proto"), r.TLS != nil)
		}
	}))
	t.Cleanup(backend.Close)
	addr, _, roots, _ := startHTTPS(t, Config{Root: t.TempDir(), Proxy: Proxy{URL: backend.URL}})
	get := func(path string) response {
		return tlsRequest(t, addr, roots, "GET "+path+" HTTP/1.1\r\nHost: "+addr+"\r\nConnection: close\r\n\r\n")
	}
	if body := get("/echo").body; body != "proto=https tls=false" {
		t.Errorf("backend saw %q, want proto=https tls=false", body)
	}
	for path, want := range map[string]string{
		"/self":      "https://" + addr + "/login",
		"/forwarded": "https://" + addr + "/login",
		"/away":      "http://example.com/",
	} {
		if loc := get(path).header.Get("Location"); loc != want {
			t.Errorf("%s: Location %q, want %q", path, loc, want)
		}
	}
}
