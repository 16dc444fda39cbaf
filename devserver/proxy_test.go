package devserver_test

import (
	"bufio"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/backend"
	"github.com/hotserve/hotserve/internal/syncbuf"
	"github.com/hotserve/hotserve/internal/testenv"
	"github.com/hotserve/hotserve/watcher"
)

// backendSite is a running hotserve that supervises and proxies to the
// test backend.
type backendSite struct {
	*site
	srv     *devserver.Server
	backend string          // the backend's own URL
	out     *syncbuf.Buffer // what the backend printed
	log     *syncbuf.Buffer // what hotserve logged
}

// startBackendSite serves dir with the test backend run with args, cfg
// filled in with the backend's command, the proxy's URL and the outputs.
// With watch, file changes in dir reach the server as cmd/hotserve wires
// them; otherwise the test calls Update itself.
func startBackendSite(t testing.TB, dir string, cfg devserver.Config, watch bool, args ...string) *backendSite {
	t.Helper()
	addr, ln := testenv.FreeAddr(t), testenv.Listen(t)
	bs := &backendSite{backend: "http://" + addr, out: new(syncbuf.Buffer), log: new(syncbuf.Buffer)}
	cfg.Root, cfg.Version = dir, "test"
	if cfg.Backend == nil {
		cfg.Backend = new(backend.Config)
	}
	cfg.Backend.Command = strings.Join(append([]string{testenv.Backend(t), "-addr", addr}, args...), " ")
	cfg.Backend.Output = bs.out
	cfg.Proxy.URL = bs.backend
	cfg.Log = slog.New(slog.NewTextHandler(bs.log, nil))
	srv, err := devserver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	bs.srv = srv
	var w *watcher.Watcher
	if watch {
		if w, err = watcher.New(watcher.Options{Root: dir}); err != nil {
			srv.Close()
			t.Fatal(err)
		}
	}
	bs.site = serveSite(t, srv, ln, w)
	return bs
}

// pids returns the pids of the backends started so far, in order.
func (bs *backendSite) pids() []int {
	var pids []int
	for _, m := range regexp.MustCompile(`backend pid=(\d+)`).FindAllStringSubmatch(bs.out.String(), -1) {
		n, _ := strconv.Atoi(m[1])
		pids = append(pids, n)
	}
	return pids
}

// readyAt returns when the newest backend started listening, by its own
// clock, once it has printed it.
func (bs *backendSite) readyAt(t testing.TB, n int) time.Time {
	t.Helper()
	re := regexp.MustCompile(`ready-at=(\d+)`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := re.FindAllStringSubmatch(bs.out.String(), -1); len(m) >= n {
			ns, _ := strconv.ParseInt(m[n-1][1], 10, 64)
			return time.Unix(0, ns)
		}
		if time.Now().After(deadline) {
			t.Fatalf("backend %d never said it was ready:\n%s", n, bs.out)
		}
		time.Sleep(5 * time.Millisecond) // poll interval
	}
}

// change tells the server that dir/name was written, as the watcher would.
func (bs *backendSite) change(name string) string {
	return bs.srv.Update(watcher.Batch{Events: []watcher.Event{{Op: watcher.Write, Path: name}}, Start: time.Now()})
}

// client is an HTTP client that leaves compression and redirects alone.
var client = &http.Client{
	Transport:     &http.Transport{DisableCompression: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func do(t testing.TB, method, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

const clientScript = `/__hotserve/client.js?t=`

func TestProxyInjectsIntoCompressedHTML(t *testing.T) {
	bs := startBackendSite(t, t.TempDir(), devserver.Config{}, false)
	browserAE := "gzip, deflate, br, zstd" // what Chromium sends
	for _, c := range []struct{ name, enc string }{
		{"identity", ""},
		{"gzip", "gzip"},
		{"deflate (zlib, as RFC 9110 says)", "deflate"},
		{"deflate sent raw, as some servers do", "raw-deflate"},
		{"brotli is never asked for, so it is never sent", "br"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := do(t, "GET", bs.URL+"?enc="+c.enc, map[string]string{"Accept-Encoding": browserAE})
			if resp.StatusCode != 200 {
				t.Fatalf("status %s: %s", resp.Status, body)
			}
			if strings.Count(body, clientScript) != 1 || !strings.Contains(body, "<h1>untitled</h1>") {
				t.Errorf("want the page with the client injected once, got:\n%s", body)
			}
			if ce := resp.Header.Get("Content-Encoding"); ce != "" {
				t.Errorf("Content-Encoding %q on a decoded body", ce)
			}
			if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
				t.Errorf("Content-Length %s, body %d bytes", cl, len(body))
			}
			if seen := resp.Header.Get("X-Accept-Encoding"); strings.Contains(seen, "br") || strings.Contains(seen, "zstd") {
				t.Errorf("the backend was offered %q; only codings the proxy decodes may be", seen)
			}
		})
	}
	t.Run("HEAD does not claim the backend's length or encoding", func(t *testing.T) {
		resp, _ := do(t, "HEAD", bs.URL+"?enc=gzip", map[string]string{"Accept-Encoding": browserAE})
		if cl, ce := resp.Header.Get("Content-Length"), resp.Header.Get("Content-Encoding"); cl != "" || ce != "" {
			t.Errorf("HEAD has Content-Length %q, Content-Encoding %q; a GET is decoded and injected, so neither holds", cl, ce)
		}
	})
	t.Run("a fragment fetched by script is not injected", func(t *testing.T) {
		_, body := do(t, "GET", bs.URL+"?enc=gzip", map[string]string{"Accept-Encoding": "gzip", "Sec-Fetch-Mode": "cors"})
		if strings.Contains(body, "/__hotserve/") {
			t.Errorf("fragment injected:\n%s", body)
		}
	})
}

func TestProxyStreamsServerSentEvents(t *testing.T) {
	bs := startBackendSite(t, t.TempDir(), devserver.Config{}, false)
	resp, err := http.Get(bs.URL + "events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := make(chan string, 1)
	go func() {
		r := bufio.NewReader(resp.Body)
		var lines []string
		for len(lines) < 2 { // two events, while the stream stays open
			line, err := r.ReadString('\n')
			if err != nil {
				break
			}
			if strings.HasPrefix(line, "data:") {
				lines = append(lines, strings.TrimSpace(line))
			}
		}
		got <- strings.Join(lines, "|")
	}()
	select {
	case s := <-got:
		if s != "data: tick 0|data: tick 1" {
			t.Errorf("events %q, want the first two ticks", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no events within 5s: the proxy buffers the stream")
	}
}

func TestProxyPassesWebSockets(t *testing.T) {
	bs := startBackendSite(t, t.TempDir(), devserver.Config{}, false)
	ws := "ws://" + bs.addr + "/ws"
	// The backend checks that Origin matches its Host, as gorilla does by
	// default: the proxy makes our origin its own.
	conn, _, err := websocket.DefaultDialer.Dial(ws, http.Header{"Origin": {"http://" + bs.addr}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for _, m := range []string{"hello", "again"} {
		if err := conn.WriteMessage(websocket.TextMessage, []byte(m)); err != nil {
			t.Fatal(err)
		}
		if _, got, err := conn.ReadMessage(); err != nil || string(got) != "echo: "+m {
			t.Fatalf("read %q, %v; want the echo of %q", got, err, m)
		}
	}
	_, resp, err := websocket.DefaultDialer.Dial(ws, http.Header{"Origin": {"http://evil.example"}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("a handshake from a foreign origin got through: %v", err)
	}
}

func TestProxyHeadersAndRedirects(t *testing.T) {
	bs := startBackendSite(t, t.TempDir(), devserver.Config{}, false)
	_, body := do(t, "GET", bs.URL+"headers", nil)
	var h map[string]string
	if err := json.Unmarshal([]byte(body), &h); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	want := map[string]string{
		"Host":              strings.TrimPrefix(bs.backend, "http://"),
		"X-Forwarded-Host":  bs.addr,
		"X-Forwarded-Proto": "http",
		"X-Forwarded-For":   "127.0.0.1",
	}
	for k, v := range want {
		if h[k] != v {
			t.Errorf("backend saw %s %q, want %q", k, h[k], v)
		}
	}
	resp, _ := do(t, "GET", bs.URL+"redirect", nil)
	if loc, want := resp.Header.Get("Location"), bs.URL+"landed?from=redirect"; loc != want {
		t.Errorf("Location %q, want %q (the backend's origin rewritten to ours)", loc, want)
	}
}

func TestProxySendsWhatTheFolderLacks(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "style.css"), "h1 { color: red }")
	for _, c := range []struct {
		name     string
		all      bool
		path     string
		wantBody string
	}{
		{"a file in the folder is served from it", false, "style.css", "color: red"},
		{"a missing file goes to the backend", false, "headers", "X-Forwarded-Host"},
		{"the root without index.html goes to the backend", false, "", "<h1>untitled</h1>"},
		{"with Proxy.All, even a file goes to the backend", true, "style.css", "404 page not found"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bs := startBackendSite(t, dir, devserver.Config{Proxy: devserver.Proxy{All: c.all}}, false)
			if _, body := do(t, "GET", bs.URL+c.path, nil); !strings.Contains(body, c.wantBody) {
				t.Errorf("GET /%s: want %q in\n%s", c.path, c.wantBody, body)
			}
		})
	}
}

func TestRequestsDuringRestartAreServed(t *testing.T) {
	bs := startBackendSite(t, t.TempDir(), devserver.Config{Backend: &backend.Config{StopTimeout: time.Second}}, false, "-slow", "300ms")
	if resp, _ := do(t, "GET", bs.URL, nil); resp.StatusCode != 200 {
		t.Fatalf("first request: %s", resp.Status)
	}
	if typ := bs.change("config.json"); typ != "restart" {
		t.Fatalf("Update for config.json = %q, want restart", typ)
	}
	// Requests all through the restart: the old backend stops, the new
	// one takes 300ms to listen.
	var wg sync.WaitGroup
	statuses := make([]int, 30)
	for i := range statuses {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * 20 * time.Millisecond) // spread over 600ms
			resp, err := client.Get(bs.URL)
			if err != nil {
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for i, code := range statuses {
		if code != 200 {
			t.Errorf("request %d during the restart: status %d, want 200", i, code)
		}
	}
	if n := len(bs.pids()); n != 2 {
		t.Errorf("%d backends started, want 2\n%s", n, bs.out)
	}
}

func TestUpdateRestartsOnlyForItsFiles(t *testing.T) {
	for _, c := range []struct {
		name      string
		restartOn []string
		buildOn   []string
		path      string
		want      string
	}{
		{"a page reloads the tabs", nil, nil, "index.html", "live-reload"},
		{"a stylesheet is swapped", nil, nil, "css/site.css", "css-update"},
		{".env restarts", nil, nil, ".env", "restart"},
		{".env.local restarts", nil, nil, ".env.local", "restart"},
		{"a nested yaml restarts", nil, nil, "config/app.yaml", "restart"},
		{"go.mod restarts", nil, nil, "go.mod", "restart"},
		{"given patterns replace the defaults", []string{"app.cfg"}, nil, "app.json", "live-reload"},
		{"a given pattern restarts", []string{"app.cfg"}, nil, "app.cfg", "restart"},
		{"a path pattern", []string{"conf/**"}, nil, "conf/a/b.txt", "restart"},
		{"a source with BuildOn", nil, []string{"*.go"}, "cmd/main.go", "restart"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, err := devserver.New(devserver.Config{Root: t.TempDir(), Backend: &backend.Config{Command: "sleep 60", StopTimeout: time.Second},
				Restart: devserver.Restart{On: c.restartOn, BuildOn: c.buildOn}})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			b := watcher.Batch{Events: []watcher.Event{{Op: watcher.Write, Path: c.path}}, Start: time.Now()}
			if got := srv.Update(b); got != c.want {
				t.Errorf("Update(write %s) = %q, want %q", c.path, got, c.want)
			}
		})
	}
}

func TestBackendConfigErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  devserver.Config
		want string
	}{
		{"restart files without a backend", devserver.Config{Restart: devserver.Restart{On: []string{"*.ini"}}}, `Restart.On ["*.ini"] applies to a backend, and Backend is nil`},
		{"no command", devserver.Config{Backend: &backend.Config{}}, "Config.Command is required"},
		{"negative timeout", devserver.Config{Backend: &backend.Config{Command: "x", StopTimeout: -time.Second}}, "StopTimeout -1s is negative"},
		{"proxy-all without proxy", devserver.Config{Proxy: devserver.Proxy{All: true}}, "Proxy.All true needs Proxy.URL"},
		{"proxy not a URL", devserver.Config{Proxy: devserver.Proxy{URL: "localhost:3000"}}, `Proxy.URL "localhost:3000" is not an http:// or https:// URL`},
		{"bad glob", devserver.Config{Backend: &backend.Config{Command: "x"}, Restart: devserver.Restart{On: []string{"[a"}}}, `Restart.On "[a" is not a valid glob`},
		{"bad ready", devserver.Config{Backend: &backend.Config{Command: "x", Ready: "nowhere"}}, "neither a URL nor host:port"},
	} {
		t.Run(c.name, func(t *testing.T) { wantConfigError(t, c.cfg, c.want) })
	}
}

// wantConfigError checks that New refuses cfg, served from a new folder,
// with an error that says want.
func wantConfigError(t *testing.T, cfg devserver.Config, want string) {
	t.Helper()
	cfg.Root = t.TempDir()
	srv, err := devserver.New(cfg)
	if err == nil {
		srv.Close()
		t.Fatalf("no error, want %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
}
