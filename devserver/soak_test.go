// The soak test is a browser test (see newTab) that also raises
// RLIMIT_NOFILE, which Windows does not have; it is not built there.

//go:build !windows

package devserver_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// TestSoakThousandTabsAndSlowloris holds 1,000 WebSocket clients and 200
// connections that never finish their request headers, then saves a page:
// a real browser tab still reloads promptly, every client gets the update,
// and a plain request is still answered at once.
func TestSoakThousandTabsAndSlowloris(t *testing.T) {
	const clients, slowloris = 1000, 200
	raiseFileLimit(t, 4*(clients+slowloris)+1024)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), "<!doctype html><title>soak</title><body><h1>one</h1></body>")
	s := startSite(t, dir, "127.0.0.1:0", func(c *devserver.Config) { c.MaxTabs = clients + 10 })
	wsURL := "ws" + strings.TrimPrefix(s.URL, "http") + "__hotserve/ws"

	// The clients, dialled 8 at a time; each counts the reloads it reads.
	var reloads atomic.Int64
	conns := make([]*websocket.Conn, clients)
	var dialErr atomic.Value
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range 8 {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < clients; i = int(next.Add(1)) - 1 {
				c, _, err := websocket.DefaultDialer.Dial(wsURL, nil)
				if err != nil {
					dialErr.Store(err)
					return
				}
				conns[i] = c
			}
		})
	}
	wg.Wait()
	if err := dialErr.Load(); err != nil {
		t.Fatalf("dialling %d clients: %v", clients, err)
	}
	var readers sync.WaitGroup
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
		readers.Wait()
	})
	for _, c := range conns {
		readers.Go(func() {
			for {
				_, frame, err := c.ReadMessage()
				if err != nil {
					return
				}
				if strings.Contains(string(frame), `"live-reload"`) {
					reloads.Add(1)
				}
			}
		})
	}

	// The slowloris connections: a request line and half a header, then
	// nothing.
	for range slowloris {
		c, err := net.Dial("tcp", s.addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\nX-Slow: ", s.addr)
	}

	tab := newTab(t)
	navigate(t, tab, s.URL)
	start := time.Now()
	resp, err := http.Get(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if d := time.Since(start); d > time.Second {
		t.Errorf("a plain GET took %v with %d clients and %d slowloris connections", d, clients, slowloris)
	}

	start = time.Now()
	writeFile(t, filepath.Join(dir, "index.html"), "<!doctype html><title>soak</title><body><h1>two</h1></body>")
	testenv.WaitJS(t, tab, `document.querySelector("h1")?.textContent === "two"`, 5*time.Second)
	t.Logf("browser tab reloaded %v after the save, with %d clients and %d slowloris connections", time.Since(start), clients, slowloris)
	deadline := time.Now().Add(5 * time.Second)
	for reloads.Load() < clients {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d clients got the reload within 5s", reloads.Load(), clients)
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
}

// raiseFileLimit makes sure the process may hold n descriptors, beyond
// the hard limit too where it may (as root).
func raiseFileLimit(t testing.TB, n uint64) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	if uint64(lim.Cur) >= n {
		return
	}
	atLeast(&lim.Max, n)
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || uint64(lim.Cur) < n {
		t.Fatalf("need %d file descriptors, may have %d (raise it with ulimit -n): %v", n, lim.Cur, err)
	}
}

// atLeast raises *v to n: Rlimit's fields are int64 on some OSes, uint64
// on others.
func atLeast[T int64 | uint64](v *T, n uint64) {
	if uint64(*v) < n {
		*v = T(n)
	}
}
