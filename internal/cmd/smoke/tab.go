package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// tab is what a browser tab showing the demo site's home page does: the
// requests it makes, with the headers a browser sends, and its live-reload
// socket.
type tab struct {
	base   *url.URL
	client *http.Client
	conn   *websocket.Conn
}

// clientScript is the tag hotserve injects, with its token.
var clientScript = regexp.MustCompile(`<script src="/__hotserve/client\.js\?t=([^"&]+)[^"]*"></script>`)

// openTab loads the page at base as a tab would and connects its socket.
func openTab(base string, timeout time.Duration) (*tab, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("hotserve's ready line has a bad URL %q: %w", base, err)
	}
	t := &tab{base: u, client: &http.Client{Timeout: timeout}}
	page, err := t.load()
	if err != nil {
		return nil, fmt.Errorf("loading the page: %w", err)
	}
	if !strings.Contains(page, "<title>hotserve demo</title>") {
		return nil, fmt.Errorf("%s is not the demo site's home page", base)
	}
	m := clientScript.FindStringSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("the page has no client script injected")
	}
	token := m[1]
	if _, err := t.get("/__hotserve/client.js?t="+token, "script", "window.__hotserve"); err != nil {
		return nil, err
	}
	// The page's stylesheet, fetched for the page, so that hotserve knows
	// the tab uses it.
	if _, err := t.get("/css/site.css", "style", "--accent"); err != nil {
		return nil, err
	}

	ws := "ws://" + u.Host + "/__hotserve/ws?t=" + url.QueryEscape(token) + "&page=" + url.QueryEscape("/")
	dialer := websocket.Dialer{HandshakeTimeout: timeout}
	conn, resp, err := dialer.Dial(ws, http.Header{"Origin": {"http://" + u.Host}})
	if err != nil {
		if resp != nil {
			body, _ := io.ReadAll(resp.Body)
			return nil, fmt.Errorf("live-reload socket refused: %s: %s", resp.Status, strings.TrimSpace(string(body)))
		}
		return nil, fmt.Errorf("live-reload socket: %w", err)
	}
	t.conn = conn
	var hello message
	if err := t.read(&hello, timeout); err != nil {
		t.close()
		return nil, fmt.Errorf("live-reload socket: no greeting: %w", err)
	}
	if hello.Type != "connected" || hello.Server == "" || hello.Stale {
		t.close()
		return nil, fmt.Errorf("live-reload socket: greeting %+v, want connected from a server, not stale", hello)
	}
	return t, nil
}

// message is a server frame, the fields the smoke test looks at.
type message struct {
	Type   string
	Server string
	Stale  bool
	Epoch  int64
	Paths  []string
}

// await reads frames until one of type typ whose paths include path, and
// fails on any other update or when none comes within timeout.
func (t *tab) await(typ, path string, timeout time.Duration) (message, error) {
	deadline := time.Now().Add(timeout)
	for {
		var m message
		if err := t.read(&m, time.Until(deadline)); err != nil {
			return m, fmt.Errorf("no %s for %s: %w", typ, path, err)
		}
		switch {
		case m.Type == typ && slices.Contains(m.Paths, path):
			return m, nil
		case m.Type == "build-error" || m.Type == "build-ok":
			// Not an update; a backend's, which the demo has not.
		default:
			return m, fmt.Errorf("got %s for %v, want %s for %s", m.Type, m.Paths, typ, path)
		}
	}
}

// applied answers an update as the page does once it has painted it.
func (t *tab) applied(m message, did string) error {
	t.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return t.conn.WriteJSON(map[string]any{"type": "applied", "epoch": m.Epoch, "did": did, "ms": 1})
}

// read reads one JSON frame into v.
func (t *tab) read(v any, timeout time.Duration) error {
	t.conn.SetReadDeadline(time.Now().Add(timeout))
	_, frame, err := t.conn.ReadMessage()
	if err != nil {
		return err
	}
	if err := json.Unmarshal(frame, v); err != nil {
		return fmt.Errorf("malformed frame %q: %w", frame, err)
	}
	return nil
}

// load fetches the page as a navigation, which gets the client script.
func (t *tab) load() (string, error) {
	req, err := http.NewRequest("GET", t.base.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Sec-Fetch-Mode", "navigate")
	req.Header.Set("Sec-Fetch-Dest", "document")
	req.Header.Set("Sec-Fetch-Site", "none")
	return t.do(req)
}

// get fetches path for the page, as a subresource of kind dest ("script",
// "style"), and checks that the body contains want.
func (t *tab) get(path, dest, want string) (string, error) {
	req, err := http.NewRequest("GET", t.base.Scheme+"://"+t.base.Host+path, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Referer", t.base.String())
	req.Header.Set("Sec-Fetch-Mode", "no-cors")
	req.Header.Set("Sec-Fetch-Dest", dest)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	body, err := t.do(req)
	if err != nil {
		return "", fmt.Errorf("loading %s: %w", path, err)
	}
	if !strings.Contains(body, want) {
		return "", fmt.Errorf("%s does not contain %q", path, want)
	}
	return body, nil
}

func (t *tab) do(req *http.Request) (string, error) {
	resp, err := t.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return string(body), nil
}

func (t *tab) close() {
	if t.conn != nil {
		t.conn.Close()
	}
}
