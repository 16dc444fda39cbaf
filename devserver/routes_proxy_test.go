package devserver_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// echoBackend is a backend on 127.0.0.1 that says, as JSON, which
// request it saw, and answers /…/page with HTML, /…/events with a stream,
// /…/ws with an echoing WebSocket and /…/go with a redirect to its own
// origin; name tells two apart.
func echoBackend(t testing.TB, name string) *httptest.Server {
	var upgrader websocket.Upgrader // same-origin check: Origin must match Host
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch base := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]; base {
		case "page":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<!doctype html><html><head><title>%s</title></head><body><h1>%s</h1></body></html>", name, name)
		case "events":
			w.Header().Set("Content-Type", "text/event-stream")
			for i := 0; i < 3; i++ {
				fmt.Fprintf(w, "data: %s %d\n\n", name, i)
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
			<-r.Context().Done()
		case "ws":
			c, err := upgrader.Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer c.Close()
			for {
				typ, m, err := c.ReadMessage()
				if err != nil {
					return
				}
				c.WriteMessage(typ, append([]byte(name+": "), m...))
			}
		case "go":
			http.Redirect(w, r, "http://"+r.Host+strings.TrimSuffix(r.URL.Path, "go")+"landed?x=1", http.StatusFound)
		default:
			json.NewEncoder(w).Encode(map[string]string{
				"backend": name, "path": r.URL.Path, "rawPath": r.URL.EscapedPath(), "query": r.URL.RawQuery,
				"host": r.Host, "prefix": r.Header.Get("X-Forwarded-Prefix"), "fwdHost": r.Header.Get("X-Forwarded-Host"),
			})
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// routeSite serves dir with cfg, its routes' targets given as
// "NAME/path" naming an echoBackend and the path of its target.
func routeSite(t testing.TB, dir string, cfg devserver.Config, backends map[string]*httptest.Server) *site {
	t.Helper()
	for i, r := range cfg.Routes {
		name, path, _ := strings.Cut(r.Target, "/")
		if b, ok := backends[name]; ok {
			cfg.Routes[i].Target = b.URL + strings.TrimSuffix("/"+path, "/")
			if strings.HasSuffix(r.Target, "/") {
				cfg.Routes[i].Target += "/"
			}
		}
	}
	cfg.Root, cfg.Version = dir, "test"
	srv, err := devserver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return serveSite(t, srv, testenv.Listen(t), nil)
}

// seen is what an echoBackend said it saw.
func seen(t testing.TB, body string) map[string]string {
	t.Helper()
	var m map[string]string
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return m
}

func TestRoutesSendEachPrefixToItsBackend(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "api"), 0o755)
	writeFile(t, filepath.Join(dir, "api", "users"), "a file the route hides")
	writeFile(t, filepath.Join(dir, "page.html"), "<h1>a file</h1>")
	api, v2, rest := echoBackend(t, "api"), echoBackend(t, "v2"), echoBackend(t, "rest")
	s := routeSite(t, dir, devserver.Config{
		Routes: []devserver.Route{{Prefix: "/api", Target: "api"}, {Prefix: "/api/v2/", Target: "v2/v2/"}},
		Proxy:  devserver.Proxy{URL: rest.URL},
	}, map[string]*httptest.Server{"api": api, "v2": v2})
	for _, c := range []struct {
		name, path                string
		backend, path2, raw, pref string // what the backend saw; backend "" = the file
	}{
		{"a route wins over a file", "/api/users", "api", "/api/users", "/api/users", ""},
		{"the path goes as it is", "/api/a/b?q=1", "api", "/api/a/b", "/api/a/b", ""},
		{"the longest prefix wins and its path replaces it", "/api/v2/users/7", "v2", "/v2/users/7", "/v2/users/7", "/api/v2"},
		{"an encoded slash reaches the backend encoded", "/api/v2/a%2Fb", "v2", "/v2/a/b", "/v2/a%2Fb", "/api/v2"},
		{"/api2 is not /api: Proxy.URL gets it", "/api2", "rest", "/api2", "/api2", ""},
		{"a file is still a file for Proxy.URL", "/page.html", "", "", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := do(t, "GET", s.URL+strings.TrimPrefix(c.path, "/"), nil)
			if c.backend == "" {
				if !strings.Contains(body, "a file") {
					t.Errorf("GET %s: want the file, got %s %s", c.path, resp.Status, body)
				}
				return
			}
			got := seen(t, body)
			want := map[string]string{"backend": c.backend, "path": c.path2, "rawPath": c.raw, "prefix": c.pref, "fwdHost": s.addr}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("GET %s: backend saw %s %q, want %q (%v)", c.path, k, got[k], v, got)
				}
			}
			if _, q, _ := strings.Cut(c.path, "?"); got["query"] != q {
				t.Errorf("GET %s: query %q, want %q", c.path, got["query"], q)
			}
			if b := map[string]*httptest.Server{"api": api, "v2": v2, "rest": rest}[c.backend]; got["host"] != strings.TrimPrefix(b.URL, "http://") {
				t.Errorf("GET %s: backend saw Host %q, want its own", c.path, got["host"])
			}
		})
	}
}

func TestRoutesRedirectInjectAndStream(t *testing.T) {
	api := echoBackend(t, "api")
	s := routeSite(t, t.TempDir(), devserver.Config{Routes: []devserver.Route{{Prefix: "/api/", Target: "api/v1/"}}},
		map[string]*httptest.Server{"api": api})

	resp, _ := do(t, "GET", s.URL+"api?x=1", nil)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusTemporaryRedirect || loc != "/api/?x=1" {
		t.Errorf("GET /api: %s to %q, want 307 to /api/?x=1", resp.Status, loc)
	}
	resp, _ = do(t, "GET", s.URL+"api/go", nil)
	if loc, want := resp.Header.Get("Location"), s.URL+"api/landed?x=1"; loc != want {
		t.Errorf("a redirect to the backend's /v1/landed became %q, want %q", loc, want)
	}
	_, body := do(t, "GET", s.URL+"api/page", map[string]string{"Accept": "text/html", "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"})
	if !strings.Contains(body, clientScript) || !strings.Contains(body, "<h1>api</h1>") {
		t.Errorf("a page through a route lacks the client:\n%s", body)
	}

	sse, err := http.Get(s.URL + "api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer sse.Body.Close()
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(sse.Body).ReadString('\n')
		got <- line
	}()
	select {
	case line := <-got:
		if line != "data: api 0\n" {
			t.Errorf("first event %q", line)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s: the route buffers the stream")
	}

	conn, _, err := websocket.DefaultDialer.Dial("ws://"+s.addr+"/api/ws", http.Header{"Origin": {"http://" + s.addr}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	conn.WriteMessage(websocket.TextMessage, []byte("hi"))
	if _, m, err := conn.ReadMessage(); err != nil || string(m) != "api: hi" {
		t.Errorf("WebSocket through the route: %q, %v", m, err)
	}
}

func TestRoutesKeepTheGuard(t *testing.T) {
	api := echoBackend(t, "api")
	s := routeSite(t, t.TempDir(), devserver.Config{Routes: []devserver.Route{{Prefix: "/api/", Target: "api/v1/"}}},
		map[string]*httptest.Server{"api": api})
	for _, c := range []struct {
		name   string
		path   string
		header map[string]string
		want   int
	}{
		{"a foreign Host (DNS rebinding)", "/api/x", map[string]string{"Host": "evil.example"}, http.StatusForbidden},
		{"a script of another site", "/api/x", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "script"}, http.StatusForbidden},
		{"an encoded .. out of the target's path", "/api/..%2F..%2Fsecret", nil, http.StatusBadRequest},
		{"an encoded dot segment", "/api/%2e%2e/secret", nil, http.StatusBadRequest},
		{"a backslash", "/api/..%5Csecret", nil, http.StatusBadRequest},
		{"a NUL", "/api/a%00b", nil, http.StatusBadRequest},
		{"a .. with path parameters, as servlet containers read it", "/api/..;x/admin", nil, http.StatusBadRequest},
		{"a double slash before the prefix", "//api/x", nil, http.StatusTemporaryRedirect},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", s.URL+strings.TrimPrefix(c.path, "/"), nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			if h := c.header["Host"]; h != "" {
				req.Host = h
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Errorf("GET %s: %s, want %d", c.path, resp.Status, c.want)
			}
			if loc := resp.Header.Get("Location"); c.want == http.StatusTemporaryRedirect && loc != "/api/x" {
				t.Errorf("GET %s sent to %q, want /api/x: the route's own spelling", c.path, loc)
			}
		})
	}
	_, resp, err := websocket.DefaultDialer.Dial("ws://"+s.addr+"/api/ws", http.Header{"Origin": {"http://evil.example"}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("a WebSocket handshake from a foreign origin got through a route: %v", err)
	}
}

func TestRouteConfigErrors(t *testing.T) {
	lib := t.TempDir()
	for _, c := range []struct {
		name string
		cfg  devserver.Config
		want string
	}{
		{"no slash", devserver.Config{Routes: []devserver.Route{{Prefix: "api", Target: "http://127.0.0.1:1"}}}, `Routes[0].Prefix "api" must start with /`},
		{"hotserve's own", devserver.Config{Routes: []devserver.Route{{Prefix: "/__hotserve/x", Target: "http://127.0.0.1:1"}}}, "is under /__hotserve/"},
		{"not a URL", devserver.Config{Routes: []devserver.Route{{Prefix: "/api", Target: "127.0.0.1:1"}}}, `Routes[0].Target "127.0.0.1:1" is not an http://`},
		{"twice", devserver.Config{Routes: []devserver.Route{{Prefix: "/api", Target: "http://127.0.0.1:1"}, {Prefix: "/api", Target: "http://127.0.0.1:2"}}}, `"/api" is given twice`},
		{"unknown backend", devserver.Config{Routes: []devserver.Route{{Prefix: "/api", Target: "http://127.0.0.1:1", Backend: "api"}}}, `Routes[0].Backend "api" names no backend`},
		{"bad backend name", devserver.Config{Backends: []devserver.NamedBackend{{Name: "a b"}}}, `Backends[0].Name "a b" is not a backend name`},
		{"a mount under a route", devserver.Config{Routes: []devserver.Route{{Prefix: "/api/", Target: "http://127.0.0.1:1"}}, Mounts: []devserver.Mount{{Prefix: "/api/docs", Dir: lib}}}, `Mounts "/api/docs" is under the proxy route /api/`},
		{"a mount on a route", devserver.Config{Routes: []devserver.Route{{Prefix: "/api", Target: "http://127.0.0.1:1"}}, Mounts: []devserver.Mount{{Prefix: "/api", Dir: lib}}}, `Mounts "/api" is under the proxy route /api`},
	} {
		t.Run(c.name, func(t *testing.T) { wantConfigError(t, c.cfg, c.want) })
	}
}
