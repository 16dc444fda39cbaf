package devserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// statusTokenRE is the token hotserve writes into its status page.
var statusTokenRE = regexp.MustCompile(`<meta name="hotserve-token" content="([0-9a-f]+)">`)

// statusToken reads the token from the status page, as the page's own
// script does.
func statusToken(t *testing.T, addr string) string {
	t.Helper()
	page := request(t, addr, "GET", prefix)
	m := statusTokenRE.FindStringSubmatch(page.body)
	if page.status != 200 || m == nil {
		t.Fatalf("GET %s: %d, no token in the page:\n%.300s", prefix, page.status, page.body)
	}
	return m[1]
}

// dialStatus opens the status socket at addr with the query q and the
// header h, and returns the first frame, or the handshake's status.
func dialStatus(t *testing.T, addr, q string, h http.Header) (statusFrame, int) {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, resp, err := d.Dial("ws://"+addr+prefix+"status/ws"+q, h)
	if err != nil {
		if resp == nil {
			t.Fatalf("status socket: %v", err)
		}
		return statusFrame{}, resp.StatusCode
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var f statusFrame
	if err := conn.ReadJSON(&f); err != nil {
		t.Fatalf("status socket: no frame: %v", err)
	}
	return f, resp.StatusCode
}

func TestStatusSocketToken(t *testing.T) {
	_, root := fixture(t)
	_, addr := startGuarded(t, Config{Root: root})
	token := statusToken(t, addr)
	own := "http://" + addr
	origin := func(o string) http.Header { return http.Header{"Origin": {o}} }
	cases := []struct {
		name, query string
		header      http.Header
		want        int
	}{
		{"the page's token from its own origin", "?t=" + token, origin(own), 101},
		{"no token from its own origin", "", origin(own), 403},
		{"an empty token", "?t=", origin(own), 403},
		{"a wrong token", "?t=" + strings.Repeat("0", len(token)), origin(own), 403},
		{"the token from another site", "?t=" + token, origin("http://evil.example"), 403},
		{"the token from null", "?t=" + token, origin("null"), 403},
		{"no Origin: a command-line client, as on the client's socket", "", nil, 101},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, status := dialStatus(t, addr, c.query, c.header)
			if status != c.want {
				t.Fatalf("handshake: %d, want %d", status, c.want)
			}
			if status == 101 && f.Type != "status" {
				t.Errorf("first frame %+v, want a status frame", f)
			}
		})
	}
}

func TestStatusFrameCaps(t *testing.T) {
	const secret = "s3cr3t-VALUE-42"
	_, root := fixture(t)
	srv, addr := startGuarded(t, Config{Root: root, Settings: []Setting{
		{Key: "exec", Value: "API_TOKEN=" + secret + " go run . --password " + secret},
		{Key: "proxy", Value: "http://me:" + secret + "@127.0.0.1:3000"},
		{Key: "api-token", Value: secret},
		{Key: "header", Value: strings.Repeat("X-Long: y ", 500)},
	}})
	token := statusToken(t, addr)
	const tabs = listedPages + 50
	long := "/" + strings.Repeat("p", 1000)
	for i := range tabs {
		q := url.Values{"page": {fmt.Sprintf("%s/%03d", long, i)}, "t": {token}}
		conn, _, err := websocket.DefaultDialer.Dial("ws://"+addr+prefix+"ws?"+q.Encode(), http.Header{"Origin": {"http://" + addr}})
		if err != nil {
			t.Fatalf("tab %d: %v", i, err)
		}
		defer conn.Close()
	}
	for deadline := time.Now().Add(5 * time.Second); srv.Tabs() < tabs; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d tabs connected, want %d", srv.Tabs(), tabs)
		}
	}
	f, _ := dialStatus(t, addr, "?t="+token, http.Header{"Origin": {"http://" + addr}})
	if len(f.Pages) != listedPages || f.More != tabs-listedPages {
		t.Errorf("the frame lists %d pages and %d more, want %d and %d", len(f.Pages), f.More, listedPages, tabs-listedPages)
	}
	for _, p := range f.Pages {
		if len(p) > shownPath+len(hidden) {
			t.Errorf("a page of %d bytes is shown, more than %d", len(p), shownPath)
			break
		}
	}
	frame, _ := json.Marshal(f)
	if strings.Contains(string(frame), secret) {
		t.Errorf("the status frame carries the secret:\n%s", frame)
	}
	for _, kv := range f.Settings {
		if len(kv.Value) > shownValue+len(hidden) {
			t.Errorf("setting %s shows %d bytes, more than %d", kv.Key, len(kv.Value), shownValue)
		}
	}
	if len(frame) > 64<<10 {
		t.Errorf("a status frame for %d tabs is %d bytes", tabs, len(frame))
	}
}
