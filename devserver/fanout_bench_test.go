// The fan-out benchmark raises RLIMIT_NOFILE (see raiseFileLimit), which
// Windows does not have; it is not built there.

//go:build !windows

package devserver_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/watcher"
)

// fanOutEnv, set in a child of the test binary, makes TestFanOutTabs the
// tabs' side of BenchmarkFanOut, at the URL it holds: one process could not
// hold both ends of 10,000 sockets within the usual open-file limit.
const fanOutEnv = "HOTSERVE_FANOUT_URL"

// BenchmarkFanOut times one change until the last of 1,000 and of 10,000
// connected tabs (gorilla clients over loopback, in a child process) has
// its message, from the batch handed to the server.
func BenchmarkFanOut(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			raiseFileLimit(b, uint64(n+1000))
			dir := b.TempDir()
			page := filepath.Join(dir, "index.html")
			writeFile(b, page, "<body>0</body>")
			srv, err := devserver.New(devserver.Config{Root: dir, MaxTabs: n})
			if err != nil {
				b.Fatal(err)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			s := serveSite(b, srv, ln, nil)
			lines := startTabs(b, s.URL, n)
			var samples []time.Duration
			for i := 1; b.Loop(); i++ {
				writeFile(b, page, fmt.Sprintf("<body>%d</body>", i))
				start := time.Now()
				srv.Update(watcher.Batch{Events: []watcher.Event{{Op: watcher.Write, Path: "index.html"}}, Start: start})
				last, err := strconv.ParseInt(<-lines, 10, 64)
				if err != nil {
					b.Fatal(err)
				}
				samples = append(samples, time.Unix(0, last).Sub(start))
			}
			report(b, samples)
		})
	}
}

// startTabs runs n tabs of url in a child process and returns its lines:
// "ready" once every tab is connected (read here), then for every message
// the time (Unix ns) at which the last tab had it.
func startTabs(b *testing.B, url string, n int) <-chan string {
	cmd := exec.Command(os.Args[0], "-test.run=^TestFanOutTabs$", "-test.v")
	cmd.Env = append(os.Environ(), fanOutEnv+"="+url, "HOTSERVE_FANOUT_TABS="+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), "fanout: "); ok {
				lines <- line
			}
		}
		close(lines)
	}()
	select {
	case line := <-lines:
		if line != "ready" {
			b.Fatalf("the tabs' process said %q, want ready", line)
		}
	case <-time.After(time.Minute):
		b.Fatal("the tabs did not connect within a minute")
	}
	return lines
}

// TestFanOutTabs is the tabs' side of BenchmarkFanOut, and does nothing
// unless run by it.
func TestFanOutTabs(t *testing.T) {
	url := os.Getenv(fanOutEnv)
	if url == "" {
		return
	}
	n, err := strconv.Atoi(os.Getenv("HOTSERVE_FANOUT_TABS"))
	if err != nil {
		t.Fatal(err)
	}
	raiseFileLimit(t, uint64(n+1000))
	tabs := dialTabs(t, url, n)
	fmt.Println("fanout: ready")
	for {
		var wg sync.WaitGroup
		got := make([]int64, len(tabs))
		for k, c := range tabs {
			wg.Go(func() {
				if _, _, err := c.ReadMessage(); err == nil {
					got[k] = time.Now().UnixNano()
				}
			})
		}
		wg.Wait()
		if slices.Contains(got, 0) {
			return // the benchmark is over
		}
		fmt.Printf("fanout: %d\n", slices.Max(got))
	}
}

// dialTabs connects n tabs to the server at url and reads their
// greetings; the end of the test closes them.
func dialTabs(t testing.TB, url string, n int) []*websocket.Conn {
	ws := "ws" + strings.TrimPrefix(url, "http") + "__hotserve/ws?page=/"
	tabs := make([]*websocket.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range tabs {
			c.Close()
		}
	})
	for range n {
		c, _, err := websocket.DefaultDialer.Dial(ws, http.Header{})
		if err != nil {
			t.Fatalf("tab %d: %v", len(tabs)+1, err)
		}
		tabs = append(tabs, c)
		if _, _, err := c.ReadMessage(); err != nil {
			t.Fatal(err)
		}
	}
	return tabs
}
