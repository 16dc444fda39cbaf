package devserver

import (
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestUpdateLine(t *testing.T) {
	start := time.Now()
	sent := start.Add(26 * time.Millisecond)
	cases := []struct {
		name string
		p    pendingUpdate
		want string
	}{
		{"every tab applied", pendingUpdate{what: "style.css", typ: msgCSSUpdate, tabs: 3, applied: 3, slowest: 12.4, start: start, sent: sent},
			"style.css → css-update · 3 tabs · 38 ms save-to-paint"},
		{"one tab", pendingUpdate{what: "index.html", typ: msgLiveReload, tabs: 1, applied: 1, slowest: 94, start: start, sent: sent},
			"index.html → live-reload · 1 tab · 120 ms save-to-paint"},
		{"some applied", pendingUpdate{what: "a.png", typ: msgImgUpdate, tabs: 3, applied: 2, slowest: 4, start: start, sent: sent},
			"a.png → img-update · 2 of 3 tabs applied · 30 ms save-to-paint"},
		{"none applied", pendingUpdate{what: "3 files", typ: msgLiveReload, tabs: 2, start: start, sent: sent},
			"3 files → live-reload · 2 tabs · none applied within 3s"},
		{"no tab shows it", pendingUpdate{what: "about.html", typ: msgLiveReload, start: start, sent: sent},
			"about.html → live-reload · no open tab shows it"},
		{"LiveReload clients only", pendingUpdate{what: "a.css", typ: msgCSSUpdate, liveReload: 2, start: start, sent: sent},
			"a.css → css-update · 2 LiveReload clients"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.p.line(); got != c.want {
				t.Errorf("have: %s\nwant: %s", got, c.want)
			}
		})
	}
}

func TestLiveReloadOrigin(t *testing.T) {
	for origin, want := range map[string]bool{
		"":                                   true,
		"http://127.0.0.1:3000":              true,
		"http://localhost:5173":              true,
		"http://app.localhost":               true,
		"http://[::1]:8000":                  true,
		"chrome-extension://jnihajbhpnppcgg": true,
		"moz-extension://1234":               true,
		"https://evil.example":               false,
		"http://192.168.1.5:3000":            false,
		"null":                               false,
		"file://":                            false,
	} {
		r := httptest.NewRequest("GET", "http://127.0.0.1:8080/livereload", nil)
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		if got := liveReloadOrigin(r); got != want {
			t.Errorf("origin %q admitted: %v, want %v", origin, got, want)
		}
	}
}

func TestLiveReloadFrames(t *testing.T) {
	cases := []struct {
		name string
		m    message
		want []lrReload
	}{
		{"stylesheets are each swapped live", message{Type: msgCSSUpdate, Paths: []string{"/a.css", "/b.png"}},
			[]lrReload{{"reload", "/a.css", true, true}, {"reload", "/b.png", true, true}}},
		{"a reload is one command, never live", message{Type: msgLiveReload, Paths: []string{"/a.css", "/app.js"}},
			[]lrReload{{"reload", "/a.css", false, false}}},
		{"a reload of everything", message{Type: msgLiveReload}, []lrReload{{"reload", "/", false, false}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := liveReloadFrames(c.m); !slices.Equal(got, c.want) {
				t.Errorf("have: %+v\nwant: %+v", got, c.want)
			}
		})
	}
}

func TestWantsClient(t *testing.T) {
	cases := []struct {
		name    string
		headers map[string]string
		want    bool
	}{
		{"a navigation", map[string]string{"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}, true},
		{"a frame", map[string]string{"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe"}, true},
		{"fetch()", map[string]string{"Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"}, false},
		{"same-origin fetch", map[string]string{"Sec-Fetch-Mode": "same-origin", "Sec-Fetch-Dest": "empty"}, false},
		{"htmx over plain HTTP (no Fetch Metadata)", map[string]string{"HX-Request": "true"}, false},
		{"htmx", map[string]string{"HX-Request": "true", "Sec-Fetch-Mode": "cors"}, false},
		{"no Fetch Metadata (curl, old browsers, a LAN address)", nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/x.html", nil)
			for k, v := range c.headers {
				r.Header.Set(k, v)
			}
			if got := wantsClient(r); got != c.want {
				t.Errorf("wantsClient = %v, want %v", got, c.want)
			}
		})
	}
}

func TestUninjectedPageIsReportedOnce(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "about"), []byte("<!DOCTYPE html><title>About</title><p>hi</p>"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes"), []byte("plain text"), 0o644)
	var logged []string
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		logged = append(logged, string(p))
		return len(p), nil
	}), nil))
	s, err := New(Config{Root: dir, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range []string{"/about", "/about", "/notes"} {
		r := httptest.NewRequest("GET", "http://127.0.0.1:8080"+p, nil)
		r.Header.Set("Sec-Fetch-Mode", "navigate")
		s.ServeHTTP(httptest.NewRecorder(), r)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(logged) != 1 || !strings.Contains(logged[0], "served without the live-reload script") || !strings.Contains(logged[0], "path=/about to=about.html") {
		t.Errorf("logged %q, want one line saying /about is not injected and why", logged)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
