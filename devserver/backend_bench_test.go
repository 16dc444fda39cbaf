package devserver_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/devserver"
)

// BenchmarkRestartToReload times the overhead hotserve adds to a backend
// restart: from the moment the new backend listens (stamped by the
// backend itself) to the moment a tab has the live-reload message.
func BenchmarkRestartToReload(b *testing.B) {
	bs := startBackendSite(b, b.TempDir(), devserver.Config{}, false)
	_, page := do(b, "GET", bs.URL, nil)
	token := regexp.MustCompile(`client\.js\?t=(\w+)`).FindStringSubmatch(page)
	if token == nil {
		b.Fatalf("no client token in the page:\n%s", page)
	}
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+bs.addr+"/__hotserve/ws?t="+token[1], http.Header{"Origin": {"http://" + bs.addr}})
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	conn.ReadMessage() // connected
	var samples []time.Duration
	for i := 2; b.Loop(); i++ {
		bs.change("config.json")
		for {
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, frame, err := conn.ReadMessage()
			if err != nil {
				b.Fatal(err)
			}
			if strings.Contains(string(frame), `"live-reload"`) {
				break
			}
		}
		samples = append(samples, time.Since(bs.readyAt(b, i)))
	}
	report(b, samples)
}

// BenchmarkProxy10KB serves a 10 KB HTML page straight from the backend
// and through hotserve's proxy (decoded, injected), on keep-alive
// connections: from parallel clients (throughput, with proxy's
// %direct the share of direct's throughput it keeps) and from one client
// (latency, with proxy-serial's µs-added the time the hop adds to each
// request). Client, hotserve and backend share the machine's cores, so
// the parallel figure is bounded by the CPU a second HTTP hop takes: see
// BENCHMARKS.md and scripts/bench-proxy for the same from outside Go.
//
// The test backend answers in ~23 µs of CPU; work=250us does the same
// with a backend that spends 250 µs of CPU on each page (its -work), as
// one rendering a template would.
func BenchmarkProxy10KB(b *testing.B) {
	benchProxy(b)
	b.Run("work=250us", func(b *testing.B) { benchProxy(b, "-work", "250us") })
}

// benchProxy runs BenchmarkProxy10KB's cases against the test backend run
// with args.
func benchProxy(b *testing.B, args ...string) {
	bs := startBackendSite(b, b.TempDir(), devserver.Config{}, false, args...)
	do(b, "GET", bs.URL, nil)    // held until the backend answers
	direct := map[bool]float64{} // ns/op of the direct run, by serial
	for _, c := range []struct {
		name, url string
		proxied   bool
		serial    bool
	}{
		{"direct", bs.backend + "/?pad=10240", false, false},
		{"proxy", bs.URL + "?pad=10240", true, false},
		{"direct-serial", bs.backend + "/?pad=10240", false, true},
		{"proxy-serial", bs.URL + "?pad=10240", true, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			tr := &http.Transport{MaxIdleConnsPerHost: 64}
			defer tr.CloseIdleConnections()
			cl := &http.Client{Transport: tr}
			get := func() bool {
				resp, err := cl.Get(c.url)
				if err != nil {
					b.Error(err)
					return false
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %s", resp.Status)
					return false
				}
				return true
			}
			b.SetBytes(10240)
			if c.serial {
				for b.Loop() {
					if !get() {
						return
					}
				}
			} else {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() && get() {
					}
				})
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if !c.proxied {
				direct[c.serial] = ns // the last, full-length run's
				return
			}
			if d := direct[c.serial]; d > 0 && c.serial {
				b.ReportMetric((ns-d)/1e3, "µs-added/op")
			} else if d > 0 {
				b.ReportMetric(100*d/ns, "%direct")
			}
		})
	}
}
