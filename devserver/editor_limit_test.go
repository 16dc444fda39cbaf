package devserver_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
)

// openPoster posts an open request for app.js to base (a URL ending in
// "/") as hotserve's own page there would, and returns the status and
// body.
func openPoster(t *testing.T, token, base string) func() (int, string) {
	return func() (int, string) {
		req, _ := http.NewRequest(http.MethodPost, base+"__hotserve/open", strings.NewReader(`{"file":"app.js","line":1}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hotserve-Token", token)
		req.Header.Set("Origin", strings.TrimSuffix(base, "/"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
}

// saidTimes counts the log lines that contain s.
func saidTimes(l *consoleLog, s string) int {
	n := 0
	for _, line := range l.lines() {
		if strings.Contains(line, s) {
			n++
		}
	}
	return n
}

// lanAddress is an address of this machine's that is not loopback, as a
// LAN client would reach hotserve by under --host, or "" when it has none.
func lanAddress(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	return ""
}

// lanPoster posts open requests to the server at port as a LAN client:
// over this machine's LAN address when it has one, else, on a machine
// with loopback alone, straight into the handler with a remote address of
// another machine's (TEST-NET-1), which is all the check reads.
func lanPoster(t *testing.T, s *site, token, port string) func() (int, string) {
	if lan := lanAddress(t); lan != "" {
		return openPoster(t, token, "http://"+lan+":"+port+"/")
	}
	return func() (int, string) {
		origin := "http://localhost:" + port
		req := httptest.NewRequest(http.MethodPost, origin+"/__hotserve/open", strings.NewReader(`{"file":"app.js","line":1}`))
		req.RemoteAddr = "192.0.2.2:40000"
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hotserve-Token", token)
		req.Header.Set("Origin", origin)
		w := httptest.NewRecorder()
		s.srv.ServeHTTP(w, req)
		return w.Code, w.Body.String()
	}
}

// Under --host, a LAN client is served pages and so the token, and can
// send its own Origin; it still cannot start the editor, and a flood of
// its requests is one line in the terminal.
func TestOpenInEditorOnlyFromThisMachine(t *testing.T) {
	var started atomic.Int64
	s, l, _ := consoleSite(t, map[string]string{"index.html": "<p>x</p>", "app.js": "x\n"}, func(c *devserver.Config) {
		c.Settings = []devserver.Setting{{Key: "port", Value: "0.0.0.0:0"}}
		c.OpenEditor = func(string, int, int) error { started.Add(1); return nil }
	})
	// consoleSite listens on loopback; this one listens on every address.
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.srv.HTTPServer().Serve(ln)
	t.Cleanup(func() { ln.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	token := devserver.Token(s.srv)
	fromLAN := lanPoster(t, s, token, port)
	var wg sync.WaitGroup
	var codes sync.Map
	for range 200 {
		wg.Go(func() {
			code, body := fromLAN()
			if code != http.StatusForbidden || !strings.Contains(body, "another machine") {
				codes.Store(code, body)
			}
		})
	}
	wg.Wait()
	codes.Range(func(k, v any) bool {
		t.Errorf("a LAN request was answered %v %q, want 403 saying it came from another machine", k, v)
		return true
	})
	if n := started.Load(); n != 0 {
		t.Fatalf("LAN requests started the editor %d times", n)
	}
	if n := saidTimes(l, "came from another machine"); n != 1 {
		t.Errorf("200 LAN requests were said %d times in the terminal, want once:\n%s", n, strings.Join(l.lines(), "\n"))
	}
	if code, body := openPoster(t, token, "http://127.0.0.1:"+port+"/")(); code != http.StatusNoContent || started.Load() != 1 {
		t.Fatalf("this machine's request got %d %q and started the editor %d times, want 204 and once", code, body, started.Load())
	}
}

// A flood from this machine's own pages starts the editor one at a time
// and a few times a second; the rest get 429 saying why, said once in the
// terminal, and a click a moment later opens the editor again.
func TestOpenInEditorIsPaced(t *testing.T) {
	var started, running, overlapped atomic.Int64
	s, l, _ := consoleSite(t, map[string]string{"index.html": "<p>x</p>", "app.js": "x\n"}, func(c *devserver.Config) {
		c.OpenEditor = func(string, int, int) error {
			if running.Add(1) > 1 {
				overlapped.Add(1)
			}
			defer running.Add(-1)
			started.Add(1)
			time.Sleep(time.Millisecond) // as long as starting a program takes, at least
			return nil
		}
	})
	post := openPoster(t, devserver.Token(s.srv), s.URL)
	var wg sync.WaitGroup
	var ok, limited atomic.Int64
	for range 300 {
		wg.Go(func() {
			switch code, body := post(); {
			case code == http.StatusNoContent:
				ok.Add(1)
			case code == http.StatusTooManyRequests && strings.Contains(body, "click again in a moment") && !strings.Contains(strings.TrimSpace(body), "\n"):
				limited.Add(1)
			default:
				t.Errorf("answered %d %q", code, body)
			}
		})
	}
	wg.Wait()
	t.Logf("300 requests at once: %d opened, %d refused with 429", ok.Load(), limited.Load())
	if overlapped.Load() != 0 {
		t.Errorf("the editor was started %d times while another start was under way", overlapped.Load())
	}
	if started.Load() > 12 || ok.Load() != started.Load() || ok.Load()+limited.Load() != 300 {
		t.Errorf("300 requests at once started the editor %d times (%d answered 204, %d 429), want a few", started.Load(), ok.Load(), limited.Load())
	}
	said := saidTimes(l, "did not open an editor")
	if said == 0 || said > 2 {
		t.Errorf("the refusals were said %d times in the terminal, want once for each reason:\n%s", said, strings.Join(l.lines(), "\n"))
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, _ := post()
		if code == http.StatusNoContent {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5 s after the flood a click still gets %d", code)
		}
		time.Sleep(50 * time.Millisecond) // a person clicking again, not a wait for a condition
	}
}
