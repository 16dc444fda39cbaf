package devserver

import (
	"bufio"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// headerSite serves a small folder with cfg's headers, and returns its
// address.
func headerSite(t *testing.T, cfg Config) string {
	t.Helper()
	cfg.Root = t.TempDir()
	write(t, cfg.Root, map[string]string{
		"index.html":    "<!doctype html><p>home</p>",
		"app.wasm":      "\x00asm",
		"docs/a.txt":    "a",
		"sub/page.html": "<p>sub</p>",
	})
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); s.Close() })
	return ts.Listener.Addr().String()
}

func TestHeadersOnEveryResponse(t *testing.T) {
	addr := headerSite(t, Config{Headers: []HeaderRule{{Header: http.Header{"x-frame-options": {"DENY"}}}}})
	for _, c := range []struct {
		name, method, path string
		header             []string
		status             int
	}{
		{"a page", "GET", "/", nil, 200},
		{"a file", "GET", "/app.wasm", nil, 200},
		{"a listing", "GET", "/docs/", nil, 200},
		{"a redirect to the folder", "GET", "/docs", nil, 302},
		{"a 404", "GET", "/missing", nil, 404},
		{"a 405", "POST", "/", nil, 405},
		{"a 304", "GET", "/app.wasm", []string{"If-Modified-Since", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}, 304},
		{"a refusal by the guard", "GET", "/", []string{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "script"}, 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := request(t, addr, c.method, c.path, c.header...)
			if resp.status != c.status || resp.header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("%s %s: %d, X-Frame-Options %q, want %d with DENY", c.method, c.path, resp.status, resp.header.Get("X-Frame-Options"), c.status)
			}
		})
	}
}

// The person's rules are for the project's responses: hotserve's own,
// under /__hotserve/, keep their headers, so that a strict
// Content-Security-Policy cannot break the status page. --isolate applies
// there too: an isolated page must be able to load the client.
func TestHeadersNotOnHotservesOwn(t *testing.T) {
	const csp = "default-src 'self'"
	addr := headerSite(t, Config{Isolate: true, Headers: []HeaderRule{{Header: http.Header{"Content-Security-Policy": {csp}}}}})
	if resp := request(t, addr, "GET", "/"); resp.header.Get("Content-Security-Policy") != csp {
		t.Errorf("the project's page has CSP %q, want %q", resp.header.Get("Content-Security-Policy"), csp)
	}
	for _, p := range []string{"/__hotserve/client.js", "/__hotserve/", "/__hotserve/nothing"} {
		resp := request(t, addr, "GET", p)
		if got := resp.header.Get("Content-Security-Policy"); got != "" {
			t.Errorf("%s has the person's CSP %q, want none", p, got)
		}
		if got := resp.header.Get("Cross-Origin-Embedder-Policy"); got != "require-corp" {
			t.Errorf("%s has COEP %q under --isolate, want require-corp", p, got)
		}
	}
}

func TestHeadersByGlob(t *testing.T) {
	addr := headerSite(t, Config{Headers: []HeaderRule{
		{For: "/**/*.wasm", Header: http.Header{"Content-Type": {"application/x-test"}, "X-Kind": {"wasm"}}},
		{For: "/sub/**", Header: http.Header{"X-Kind": {"sub"}}},
		{For: "/**", Header: http.Header{"X-All": {"1"}}},
		{For: "/sub/page.html", Header: http.Header{"X-Kind": {"the page"}}}, // later wins
	}})
	for _, c := range []struct {
		path, kind, ctype string
		status            int
	}{
		{"/app.wasm", "wasm", "application/x-test", 200},
		{"/sub/page.html", "the page", "text/html; charset=utf-8", 200},
		{"/sub/other", "sub", "text/html; charset=utf-8", 404},
		// A Content-Type rule is for what is found: the 404 page stays HTML.
		{"/missing.wasm", "wasm", "text/html; charset=utf-8", 404},
		{"/", "", "text/html; charset=utf-8", 200},
	} {
		resp := request(t, addr, "GET", c.path)
		if resp.status != c.status || resp.header.Get("X-Kind") != c.kind || resp.header.Get("Content-Type") != c.ctype || resp.header.Get("X-All") != "1" {
			t.Errorf("GET %s: %d, X-Kind %q, Content-Type %q, X-All %q; want %d, %q, %q, \"1\"", c.path, resp.status,
				resp.header.Get("X-Kind"), resp.header.Get("Content-Type"), resp.header.Get("X-All"), c.status, c.kind, c.ctype)
		}
	}
}

func TestIsolate(t *testing.T) {
	addr := headerSite(t, Config{Isolate: true})
	for _, p := range []string{"/", "/app.wasm", "/missing", "/__hotserve/client.js", "/__hotserve/"} {
		resp := request(t, addr, "GET", p)
		if resp.header.Get("Cross-Origin-Opener-Policy") != "same-origin" || resp.header.Get("Cross-Origin-Embedder-Policy") != "require-corp" ||
			resp.header.Get("Cross-Origin-Resource-Policy") != "same-origin" {
			t.Errorf("GET %s: COOP %q, COEP %q, CORP %q; want same-origin, require-corp, same-origin", p, resp.header.Get("Cross-Origin-Opener-Policy"),
				resp.header.Get("Cross-Origin-Embedder-Policy"), resp.header.Get("Cross-Origin-Resource-Policy"))
		}
	}
	// A rule may ask for the laxer embedder policy.
	lax := headerSite(t, Config{Isolate: true, Headers: []HeaderRule{{Header: http.Header{"Cross-Origin-Embedder-Policy": {"credentialless"}}}}})
	if got := request(t, lax, "GET", "/").header.Get("Cross-Origin-Embedder-Policy"); got != "credentialless" {
		t.Errorf("COEP with a rule after --isolate: %q, want the rule's credentialless", got)
	}
}

func TestHeadersOnProxiedResponses(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Frame-Options", "SAMEORIGIN")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	t.Cleanup(backend.Close)
	addr := headerSite(t, Config{Proxy: Proxy{URL: backend.URL}, Isolate: true, Headers: []HeaderRule{{Header: http.Header{
		"X-Frame-Options": {"DENY"}, "Permissions-Policy": {"camera=()"}, "Content-Type": {"text/plain"}}}}})
	resp := request(t, addr, "GET", "/api/x")
	if resp.body != "{}" {
		t.Fatalf("GET /api/x: %d %q, want the backend's {}", resp.status, resp.body)
	}
	for name, want := range map[string]string{
		"X-Frame-Options":              "SAMEORIGIN",       // the backend's own
		"Content-Type":                 "application/json", // the backend's own
		"Permissions-Policy":           "camera=()",        // not the backend's: the rule's
		"Cross-Origin-Embedder-Policy": "require-corp",
	} {
		if got := resp.header.Values(name); len(got) != 1 || got[0] != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

func TestHeadersKeepTheSocket(t *testing.T) {
	_, url := startServer(t, Config{Isolate: true, Headers: []HeaderRule{{Header: http.Header{"X-Test": {"1"}}}}})
	conn := dial(t, url, 0)
	if m := readMessage(t, conn); m.Type != msgConnected {
		t.Fatalf("first message %q, want %q", m.Type, msgConnected)
	}
}

func TestCheckHeader(t *testing.T) {
	for _, c := range []struct {
		name, value, refusal string // "" when allowed
	}{
		{"Cross-Origin-Opener-Policy", "same-origin", ""},
		{"content-security-policy", "default-src 'self'", ""},
		{"Cache-Control", "max-age=60", ""},
		{"Content-Type", "application/wasm", ""},
		{"X-Empty", "", ""},
		{"X-Tab", "a\tb", ""},
		{"Access-Control-Allow-Origin", "*", "--cors"},
		{"access-control-allow-credentials", "true", "--cors"},
		{"ACCESS-CONTROL-ALLOW-HEADERS", "x", "--cors"},
		{"Cross-Origin-Resource-Policy", "cross-origin", "SECURITY.md"},
		{"x-content-type-options", "", "SECURITY.md"},
		{"Content-Length", "0", "each response"},
		{"ETag", `"x"`, "each response"},
		{"Transfer-Encoding", "chunked", "each response"},
		{"X Bad", "1", "not a header name"},
		{"X:Bad", "1", "not a header name"},
		{"", "1", "not a header name"},
		{"X-Split", "a\r\nSet-Cookie: x=1", "control character"},
		{"X-Line", "a\nb", "control character"},
		{"X-Nul", "a\x00", "control character"},
	} {
		err := CheckHeader(c.name, c.value)
		switch {
		case c.refusal == "" && err != nil:
			t.Errorf("%q: %q refused: %v", c.name, c.value, err)
		case c.refusal != "" && (err == nil || !strings.Contains(err.Error(), c.refusal)):
			t.Errorf("%q: %q: %v, want a refusal saying %q", c.name, c.value, err, c.refusal)
		case err != nil && strings.ContainsAny(err.Error(), "\r\n"):
			t.Errorf("%q: the refusal is not one line: %q", c.name, err)
		}
	}
}

func TestHeaderRulesRefused(t *testing.T) {
	for _, r := range []HeaderRule{
		{For: "*.wasm", Header: http.Header{"X-A": {"1"}}},
		{For: "/[", Header: http.Header{"X-A": {"1"}}},
		{Header: http.Header{"Access-Control-Allow-Origin": {"*"}}},
		{Header: http.Header{"X-A": {"1\r\n"}}},
	} {
		s, err := New(Config{Root: t.TempDir(), Headers: []HeaderRule{{Header: http.Header{"X-Ok": {"1"}}}, r}})
		if err == nil {
			s.Close()
			t.Errorf("%+v was accepted", r)
			continue
		}
		var ce *ConfigError
		if !errors.As(err, &ce) || !strings.HasPrefix(ce.Field, "Headers[1].") {
			t.Errorf("%+v: %v, want a ConfigError for Headers[1]", r, err)
		}
	}
}

// A proxied stream (server-sent events) still reaches the browser event
// by event through the header rules.
func TestHeadersKeepStreaming(t *testing.T) {
	next := make(chan struct{})
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write([]byte("data: one\n\n"))
		http.NewResponseController(w).Flush()
		<-next
		w.Write([]byte("data: two\n\n"))
	}))
	t.Cleanup(backend.Close)
	t.Cleanup(func() { close(next) })
	addr := headerSite(t, Config{Proxy: Proxy{URL: backend.URL}, Headers: []HeaderRule{{Header: http.Header{"X-Test": {"1"}}}}})
	req, _ := http.NewRequest("GET", "http://"+addr+"/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("X-Test") != "1" {
		t.Errorf("X-Test %q on the stream, want 1", resp.Header.Get("X-Test"))
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || line != "data: one\n" {
		t.Errorf("first event %q, %v; want it before the stream ends", line, err)
	}
}
