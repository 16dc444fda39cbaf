package devserver

import (
	"errors"
	"net"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/watcher"
)

// startServer serves an empty folder with cfg on a real listener.
func startServer(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	cfg.Root = t.TempDir()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); ts.Close() })
	return s, "ws" + strings.TrimPrefix(ts.URL, "http") + "/__hotserve/ws"
}

// dial connects a WebSocket client, optionally with a tiny receive buffer
// so that a client that stops reading backs up quickly.
func dial(t *testing.T, url string, rcvbuf int) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	if rcvbuf > 0 {
		nd := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
			var serr error
			err := c.Control(func(fd uintptr) {
				serr = setsockoptInt(syscall.SetsockoptInt, fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF, rcvbuf)
			})
			return errors.Join(err, serr)
		}}
		d.NetDial = nd.Dial
	}
	conn, _, err := d.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// setsockoptInt calls set, syscall.SetsockoptInt, whose socket is an int
// on Unix and a Handle on Windows.
func setsockoptInt[FD ~int | ~uintptr](set func(FD, int, int, int) error, fd uintptr, level, opt, value int) error {
	return set(FD(fd), level, opt, value)
}

func readMessage(t *testing.T, conn *websocket.Conn) message {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var m message
	if err := conn.ReadJSON(&m); err != nil {
		t.Fatalf("read: %v", err)
	}
	return m
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond) // poll interval
	}
}

func TestHubGreetsWithServerID(t *testing.T) {
	s, url := startServer(t, Config{Version: "v9"})
	m := readMessage(t, dial(t, url, 0))
	if m.Type != msgConnected || m.Server != s.id || m.Version != "v9" {
		t.Errorf("first message = %+v, want connected with server %q version v9", m, s.id)
	}
	other, _ := startServer(t, Config{})
	if other.id == s.id {
		t.Errorf("two servers share the id %q; a restart would go unnoticed", s.id)
	}
}

func TestHubUpdateReachesEveryTab(t *testing.T) {
	s, url := startServer(t, Config{})
	tabs := []*websocket.Conn{dial(t, url, 0), dial(t, url, 0), dial(t, url, 0)}
	for _, c := range tabs {
		readMessage(t, c)
	}
	waitFor(t, "3 tabs", 5*time.Second, func() bool { return s.Tabs() == 3 })

	typ := s.Update(watcher.Batch{Events: []watcher.Event{{Op: watcher.Write, Path: "index.html"}}, Start: time.Now()})
	if typ != msgLiveReload {
		t.Fatalf("Update sent %q, want %q", typ, msgLiveReload)
	}
	for i, c := range tabs {
		if m := readMessage(t, c); m.Type != msgLiveReload || m.Paths[0] != "/index.html" {
			t.Errorf("tab %d got %+v", i, m)
		}
	}
}

func TestHubDropsStuckTabWithoutDelayingOthers(t *testing.T) {
	s, url := startServer(t, Config{})
	dial(t, url, 4096) // a tab that never reads again
	live := dial(t, url, 0)
	readMessage(t, live)
	waitFor(t, "2 tabs", 5*time.Second, func() bool { return s.Tabs() == 2 })

	// Large frames fill the stuck tab's socket buffers, then its queue.
	paths := make([]string, 2000)
	for i := range paths {
		paths[i] = "/a/rather/long/path/to/a/generated/file.js"
	}
	big := message{Type: msgLiveReload, Paths: paths}
	for i := 0; s.Tabs() == 2; i++ {
		if i == 1000 {
			t.Fatal("the stuck tab was never dropped")
		}
		start := time.Now()
		s.updates.tabs.broadcast(big)
		if m := readMessage(t, live); m.Type != msgLiveReload {
			t.Fatalf("live tab got %+v", m)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("live tab waited %v for frame %d: the stuck tab is delaying it", d, i)
		}
	}
	s.updates.tabs.broadcast(message{Type: msgBuildOK})
	if m := readMessage(t, live); m.Type != msgBuildOK {
		t.Errorf("after the drop the live tab got %+v", m)
	}
}

func TestHubDropsTabThatStopsAnsweringPings(t *testing.T) {
	// Short enough for a quick test, long enough that a loaded machine
	// (the whole suite on two cores) answers each ping in time: a tab has
	// two intervals.
	const ping = 500 * time.Millisecond
	s, url := startServer(t, Config{PingInterval: ping})
	dial(t, url, 0) // a tab that never reads, so never answers a ping
	live := dial(t, url, 0)
	// Reading is what answers pings in gorilla/websocket.
	go func() {
		for {
			if _, _, err := live.NextReader(); err != nil {
				return
			}
		}
	}()
	waitFor(t, "2 tabs", 5*time.Second, func() bool { return s.Tabs() == 2 })
	waitFor(t, "the silent tab to be dropped", 10*time.Second, func() bool { return s.Tabs() == 1 })
	// The live tab keeps answering across several ping intervals.
	time.Sleep(6 * ping)
	if n := s.Tabs(); n != 1 {
		t.Errorf("%d tabs after 6 ping intervals, want 1 (the one that answers)", n)
	}
}

func TestHubRefusesForeignOrigin(t *testing.T) {
	_, url := startServer(t, Config{})
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	h := map[string][]string{"Origin": {"https://evil.example"}}
	conn, resp, err := d.Dial(url, h)
	if err == nil {
		conn.Close()
		t.Fatal("handshake from https://evil.example succeeded")
	}
	if resp == nil || resp.StatusCode != 403 {
		t.Errorf("handshake from a foreign origin: %v, want 403", resp)
	}
}

func TestHubCloseSaysGoingAway(t *testing.T) {
	s, url := startServer(t, Config{})
	c := dial(t, url, 0)
	readMessage(t, c)
	s.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err := c.ReadMessage()
	if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Errorf("after Close the tab read %v, want a going-away close frame", err)
	}
}
