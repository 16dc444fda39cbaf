package devserver_test

import (
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// A stack that names a big page fifty times, from many tabs at once, must
// not make the server read the page per frame: the tag's place in it is
// read once per version of the page, and the frames still get the page's
// own columns.
func TestConsoleStackOfABigPageReadsItOnce(t *testing.T) {
	head := "<!doctype html><head>" // the tag goes after it: column 22 of line 1
	big := head + "<title>x</title></head><body>" + strings.Repeat("<p>filler line</p>\n", 15<<20/19) + "</body>"
	s, _, _ := consoleSite(t, map[string]string{"index.html": "<p>x</p>", "big.html": big})
	tag := len(clientTag(t, s, "/index.html"))
	var stack strings.Builder
	stack.WriteString("Error: e\n")
	for range 50 {
		stack.WriteString("    at f (http://" + s.addr + "/big.html:1:200)\n")
	}
	const tabs, messages = 20, 3
	var conns []*websocket.Conn
	for range tabs {
		conns = append(conns, consoleTab(t, s, "/big.html"))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak.Store(max(peak.Load(), m.HeapInuse))
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	cols := make(chan float64, tabs*messages)
	for _, c := range conns {
		wg.Go(func() {
			for i := range messages {
				m := runtimeErrorFor(t, c, "e"+string(rune('a'+i)), stack.String())
				frames, _ := m["frames"].([]any)
				if len(frames) == 0 {
					t.Errorf("runtime-error without frames: %v", m)
					return
				}
				cols <- frames[0].(map[string]any)["col"].(float64)
			}
		})
	}
	wg.Wait()
	close(stop)
	<-sampled
	runtime.ReadMemStats(&after)
	close(cols)
	for col := range cols {
		if int(col) != 200-tag {
			t.Fatalf("a frame at big.html:1:200 is at column %v, want %d (200 less the %d bytes of the tag before it)", col, 200-tag, tag)
		}
	}
	alloc, grew := (after.TotalAlloc-before.TotalAlloc)>>20, (peak.Load()-min(peak.Load(), before.HeapInuse))>>20
	t.Logf("%d tabs x %d messages x 50 frames: allocated %d MiB, heap in use grew by at most %d MiB", tabs, messages, alloc, grew)
	// One read of the 15 MiB page, and the messages themselves.
	if alloc > 100 || grew > 64 {
		t.Fatalf("%d tabs x %d messages naming a 15 MiB page allocated %d MiB, heap grew by %d MiB: the page is read more than once", tabs, messages, alloc, grew)
	}
}

// clientTag is the client's tag as the site puts it into page, which is
// "<p>x</p>" on disk.
func clientTag(t *testing.T, s *site, page string) string {
	t.Helper()
	resp, err := http.Get("http://" + s.addr + page)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	tag, ok := strings.CutSuffix(string(body), "<p>x</p>")
	if !ok || !strings.HasPrefix(tag, "<script") {
		t.Fatalf("%s is served as %q, not with the client's tag before <p>x</p>", page, body)
	}
	return tag
}
