package devserver

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestStatusFrameHidesCommandLineSecrets runs the real hotserve program
// with secrets in --exec, --build and --proxy, as cmd/hotserve makes its
// settings, and reads its status socket as the status page does: no frame
// carries a secret.
func TestStatusFrameHidesCommandLineSecrets(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("skipped on windows: the test builds the hotserve program with the go command, which the Windows test binaries run under Wine do not have; TestStatusFrameCaps covers the frame there")
	}
	const secret = "s3cr3t-on-the-COMMAND-line"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><p>hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := runHotserve(t, dir,
		"--exec", "API_TOKEN="+secret+" ./no-such-server --password "+secret,
		"--build", "go build -ldflags=-X=main.key="+secret+" -o x . --token="+secret,
		"--proxy", "http://dev:"+secret+"@127.0.0.1:1")
	token := statusToken(t, p.addr)
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial("ws://"+p.addr+prefix+"status/ws?t="+token, http.Header{"Origin": {"http://" + p.addr}})
	if err != nil {
		t.Fatalf("status socket: %v", err)
	}
	defer conn.Close()
	// The greeting, then a refresh, which includes the backend's exit.
	for range 2 {
		conn.SetReadDeadline(time.Now().Add(3 * statusInterval))
		_, frame, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("status socket: %v", err)
		}
		if strings.Contains(string(frame), secret) {
			t.Fatalf("a status frame carries the secret:\n%s", frame)
		}
		var f statusFrame
		if err := json.Unmarshal(frame, &f); err != nil {
			t.Fatal(err)
		}
		shown := map[string]string{}
		for _, kv := range f.Settings {
			shown[kv.Key] = kv.Value
		}
		if !strings.Contains(shown["exec"], "API_TOKEN=…") || !strings.Contains(shown["proxy"], "dev:…@") {
			t.Errorf("the frame shows exec %q and proxy %q; want them redacted, not dropped", shown["exec"], shown["proxy"])
		}
	}
}
