package devserver_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/devserver"
)

// consoleTab is a tab's socket that says what a page's console would.
func consoleTab(t *testing.T, s *site, page string) *websocket.Conn {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+s.addr+"/__hotserve/ws?page="+page, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// runtimeErrorFor sends an uncaught error with stack and returns the
// runtime-error the tab gets back.
func runtimeErrorFor(t *testing.T, conn *websocket.Conn, text, stack string) map[string]any {
	t.Helper()
	msg, _ := json.Marshal(map[string]any{"type": "console", "level": "error", "kind": "uncaught", "text": text, "stack": stack})
	if err := conn.WriteMessage(websocket.TextMessage, msg); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, frame, err := conn.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(frame, &m)
		if m["type"] == "runtime-error" {
			return m
		}
	}
}

// TestConsoleSourceStaysInTheFolder: the source lines of a runtime-error
// come only from files the folder serves, whatever a page's stack says.
func TestConsoleSourceStaysInTheFolder(t *testing.T) {
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "secret.js"), "SECRET\n")
	s, _, dir := consoleSite(t, map[string]string{"index.html": "<p>x</p>", "app.js": "one\ntwo\nthree\n", ".env": "SECRET=1\n"})
	if runtime.GOOS != "windows" {
		if err := os.Symlink(filepath.Join(outside, "secret.js"), filepath.Join(dir, "out.js")); err != nil {
			t.Fatal(err)
		}
	}
	conn := consoleTab(t, s, "/")
	host := "http://" + s.addr
	m := runtimeErrorFor(t, conn, "Error: e", "Error: e\n    at f ("+host+"/app.js:2:1)\n    at "+host+"/.env:1:1\n    at "+host+"/out.js:1:1\n    at "+host+"/../../secret.js:1:1\n    at "+host+"/__hotserve/client.js:1:1")
	b, _ := json.Marshal(m)
	if strings.Contains(string(b), "SECRET") {
		t.Errorf("the runtime-error shows what the folder does not serve: %s", b)
	}
	frames, _ := m["frames"].([]any)
	if len(frames) != 1 {
		t.Fatalf("frames %s, want app.js's alone", b)
	}
	f := frames[0].(map[string]any)
	src, _ := json.Marshal(f["source"])
	if f["file"] != "app.js" || string(src) != `[{"n":1,"text":"one"},{"n":2,"text":"two"},{"n":3,"text":"three"}]` {
		t.Errorf("frame %s", b)
	}
}

// TestConsoleLongLines: a minified file's line is cut around the column,
// and a message with line breaks is one line.
func TestConsoleLongLines(t *testing.T) {
	long := strings.Repeat("a", 100000) + "HERE" + strings.Repeat("b", 100000)
	s, l, _ := consoleSite(t, map[string]string{"index.html": "<p>x</p>", "min.js": long})
	conn := consoleTab(t, s, "/index.html")
	m := runtimeErrorFor(t, conn, "Error: first\nsecond", "f@http://"+s.addr+"/min.js:1:100001")
	src := m["frames"].([]any)[0].(map[string]any)["source"].([]any)[0].(map[string]any)["text"].(string)
	if !strings.Contains(src, "HERE") || len(src) > 200 {
		t.Errorf("the excerpt of a long line is %d bytes: %.80q…", len(src), src)
	}
	recs := l.browser()
	if len(recs) != 1 || recs[0].msg != "index.html · Error: first … · min.js:1:100001" {
		t.Errorf("lines %q", lines(recs))
	}
	if _, ok := m["title"]; !ok || m["text"] != "Error: first …" {
		t.Errorf("runtime-error %v", m)
	}
}

// TestConsoleConfig: the console level is checked, and told to the tab.
func TestConsoleConfig(t *testing.T) {
	_, err := devserver.New(devserver.Config{Root: t.TempDir(), Console: "loud"})
	if err == nil || !strings.Contains(err.Error(), "use errors (errors and warnings), all or off") {
		t.Errorf("Console loud: %v", err)
	}
	s, _, _ := consoleSite(t, map[string]string{"index.html": "<p>x</p>"}, func(c *devserver.Config) { c.Console = devserver.ConsoleAll; c.NoOverlay = true })
	conn := consoleTab(t, s, "/")
	var m map[string]any
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := conn.ReadJSON(&m); err != nil {
		t.Fatal(err)
	}
	if m["type"] != "connected" || m["console"] != "all" || m["noOverlay"] != true {
		t.Errorf("connected %v, want console all and noOverlay", m)
	}
}

// TestConsoleOnTheStatusPage: the status page lists the pages' console
// lines.
func TestConsoleOnTheStatusPage(t *testing.T) {
	s, _, _ := consoleSite(t, map[string]string{"index.html": "<p>x</p>", "app.js": "x\n"})
	conn := consoleTab(t, s, "/index.html")
	msg, _ := json.Marshal(map[string]any{"type": "console", "level": "warn", "kind": "console", "text": "careful", "stack": "f@http://" + s.addr + "/app.js:1:1"})
	conn.WriteMessage(websocket.TextMessage, msg)
	viewer, _, err := websocket.DefaultDialer.Dial("ws://"+s.addr+"/__hotserve/status/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer viewer.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var f struct {
			Console []map[string]any `json:"console"`
		}
		viewer.SetReadDeadline(deadline)
		if err := viewer.ReadJSON(&f); err != nil {
			t.Fatal(err)
		}
		if len(f.Console) == 1 {
			c := f.Console[0]
			if c["page"] != "index.html" || c["level"] != "warn" || c["text"] != "careful" || c["where"] != "app.js:1:1" {
				t.Errorf("listed %v", c)
			}
			return
		}
	}
}

// TestConsoleDroppedCountIsBounded: a page's count of the messages it
// could not keep is said among those not shown, capped whatever numbers
// it sends (they fit an int on every platform; a bigger one is not a
// message).
func TestConsoleDroppedCountIsBounded(t *testing.T) {
	s, l, _ := consoleSite(t, map[string]string{"index.html": "<p>x</p>"})
	conn := consoleTab(t, s, "/index.html")
	for _, n := range []any{12, 2_000_000_000, 2_000_000_000} {
		msg, _ := json.Marshal(map[string]any{"type": "console", "level": "warn", "kind": "console", "text": "", "dropped": n})
		if err := conn.WriteMessage(websocket.TextMessage, msg); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, "the count's line", 5*time.Second, func() bool { return len(l.browser()) > 0 }) // after a second
	recs := l.browser()
	if want := "index.html · 1073741824 console messages not shown: a tab prints at most 10 at once and 2 a second"; len(recs) != 1 || recs[0].msg != want {
		t.Errorf("lines %q, want one: %q", lines(recs), want)
	}
}
