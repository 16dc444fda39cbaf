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
// connections from parallel clients.
func BenchmarkProxy10KB(b *testing.B) {
	bs := startBackendSite(b, b.TempDir(), devserver.Config{}, false)
	do(b, "GET", bs.URL, nil) // held until the backend answers
	for _, c := range []struct{ name, url string }{
		{"direct", bs.backend + "/?pad=10240"},
		{"proxy", bs.URL + "?pad=10240"},
	} {
		b.Run(c.name, func(b *testing.B) {
			tr := &http.Transport{MaxIdleConnsPerHost: 64}
			defer tr.CloseIdleConnections()
			cl := &http.Client{Transport: tr}
			b.SetBytes(10240)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := cl.Get(c.url)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("status %s", resp.Status)
						return
					}
				}
			})
		})
	}
}
