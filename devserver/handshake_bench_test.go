package devserver_test

import (
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

var tagToken = regexp.MustCompile(`client\.js\?t=([0-9a-f]+)`)

// BenchmarkSocketHandshake times what a reloaded page's socket waits for
// from hotserve: dial, upgrade, and the connected message, as a page
// connects (Origin, token, page, server and epoch), over loopback.
func BenchmarkSocketHandshake(b *testing.B) {
	dir := b.TempDir()
	writeFile(b, filepath.Join(dir, "index.html"), "<body>x</body>")
	s := startSite(b, dir, "127.0.0.1:0")
	resp, err := http.Get(s.URL)
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	token := tagToken.FindStringSubmatch(string(page))
	if token == nil {
		b.Fatalf("no token in the page:\n%s", page)
	}
	url := "ws" + strings.TrimPrefix(s.URL, "http") + "__hotserve/ws?t=" + token[1] + "&page=/"
	origin := http.Header{"Origin": {strings.TrimSuffix(s.URL, "/")}}
	var samples []time.Duration
	for b.Loop() {
		start := time.Now()
		conn, _, err := websocket.DefaultDialer.Dial(url, origin)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := conn.ReadMessage(); err != nil {
			b.Fatal(err)
		}
		samples = append(samples, time.Since(start))
		conn.Close()
	}
	report(b, samples)
}
