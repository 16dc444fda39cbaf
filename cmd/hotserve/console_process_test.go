package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

var tokenRE = regexp.MustCompile(`/__hotserve/client\.js\?t=([0-9a-f]+)`)

// pageToken reads the token from a page hotserve serves at url, as the
// browser gets it.
func pageToken(t *testing.T, url string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Sec-Fetch-Mode", "navigate")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := tokenRE.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no client script in %s", body)
	}
	return string(m[1])
}

// consoleSocket connects to url as a tab showing page does.
func consoleSocket(t *testing.T, url, page string) *websocket.Conn {
	t.Helper()
	origin := strings.TrimSuffix(url, "/")
	ws := "ws" + strings.TrimPrefix(origin, "http") + "/__hotserve/ws?t=" + pageToken(t, url) + "&page=" + page
	conn, _, err := websocket.DefaultDialer.Dial(ws, http.Header{"Origin": {origin}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func siteDir(t *testing.T) string {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "js"), 0o755)
	os.WriteFile(filepath.Join(dir, "about.html"), []byte("<p>about</p>"), 0o644)
	os.WriteFile(filepath.Join(dir, "js", "app.js"), []byte("// app\nfunction f() {\n  throw new Error('x');\n}\n"), 0o644)
	return dir
}

// TestTerminalShowsPageErrorsEscaped: what a page's console says reaches
// the terminal as one line, its escapes shown and not acted on, never
// hyperlinked into a pipe; and --log json carries the same event.
func TestTerminalShowsPageErrorsEscaped(t *testing.T) {
	t.Setenv("TERM_PROGRAM", "iTerm.app") // a terminal that shows links, but the output is a pipe
	const text = "\x1b[31mred\x1b[0m \x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\r12:00:00 forged"
	// One event is one line: what follows a line break is left out.
	const kept = "\x1b[31mred\x1b[0m \x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07 …"
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			dir := siteDir(t)
			p := start(t, "--port", "0", "--log", format, dir)
			url := p.url(t)
			conn := consoleSocket(t, url, "/about.html")
			msg, _ := json.Marshal(map[string]any{"type": "console", "level": "error", "kind": "uncaught", "text": text,
				"stack": "Error: x\n    at f (" + url + "js/app.js:3:9)"})
			if err := conn.WriteMessage(websocket.TextMessage, msg); err != nil {
				t.Fatal(err)
			}
			if format == "text" {
				p.waitOutput(t, "about.html · ")
				line := ""
				for _, l := range strings.Split(p.stdout.String(), "\n") {
					if strings.Contains(l, "about.html · ") {
						line = l
					}
				}
				if want := ` about.html · \x1b[31mred\x1b[0m \x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07 … · js/app.js:3:9`; !strings.HasSuffix(line, want) {
					t.Errorf("line %q\nwant it to end %q", line, want)
				}
				if why := rawControls(p.stdout.String(), false); why != "" {
					t.Errorf("the terminal would act on %s", why)
				}
				return
			}
			p.waitOutput(t, `"source":"browser"`)
			for _, l := range strings.Split(p.stdout.String(), "\n") {
				if !strings.Contains(l, `"source":"browser"`) {
					continue
				}
				var ev map[string]any
				if err := json.Unmarshal([]byte(l), &ev); err != nil {
					t.Fatalf("%q: %v", l, err)
				}
				if ev["text"] != kept || ev["file"] != "js/app.js" || ev["line"] != 3.0 || ev["col"] != 9.0 || ev["page"] != "about.html" ||
					ev["path"] != filepath.Join(dir, "js", "app.js") || ev["level"] != "ERROR" {
					t.Errorf("event %v", ev)
				}
				if strings.ContainsRune(l, 0x1b) {
					t.Errorf("a raw escape in %q", l)
				}
			}
		})
	}
}

// TestOpenInEditorRunsVISUAL: a click's request runs $VISUAL, a stub that
// records its arguments, with the file's path and line; a file outside
// the folder and a request without the token are refused, and the
// terminal says so.
func TestOpenInEditorRunsVISUAL(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows: the stub editor is a POSIX shell script")
	}
	bin := t.TempDir()
	record := filepath.Join(bin, "args")
	for _, name := range []string{"my-editor", "code"} {
		script := "#!/bin/sh\nfor a in \"$0\" \"$@\"; do printf '%s\\n' \"$a\"; done >> " + record + "\n"
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ visual, want string }{
		{"my-editor", "my-editor\n+3\n%s\n"},
		{"code", "code\n-g\n%s:3:9\n"},
	} {
		t.Run(c.visual, func(t *testing.T) {
			os.Remove(record)
			t.Setenv("VISUAL", filepath.Join(bin, c.visual))
			dir := siteDir(t)
			p := start(t, "--port", "0", dir)
			url := p.url(t)
			token := pageToken(t, url)
			open := func(body, token string) int {
				req, _ := http.NewRequest(http.MethodPost, url+"__hotserve/open", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Origin", strings.TrimSuffix(url, "/"))
				req.Header.Set("X-Hotserve-Token", token)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			if code := open(`{"file":"/etc/passwd","line":1}`, token); code != http.StatusForbidden {
				t.Errorf("a file outside the folder: %d", code)
			}
			p.waitOutput(t, `did not open an editor: "/etc/passwd" is not a file in the served folder`)
			if code := open(`{"file":"js/app.js","line":3,"col":9}`, ""); code != http.StatusForbidden {
				t.Errorf("no token: %d", code)
			}
			p.waitOutput(t, "did not open an editor: the request had no valid token")
			if code := open(`{"file":"js/app.js","line":3,"col":9}`, token); code != http.StatusNoContent {
				t.Errorf("js/app.js: %d\n%s", code, p.stdout)
			}
			want := strings.Replace(c.want, c.visual, filepath.Join(bin, c.visual), 1)
			want = strings.Replace(want, "%s", filepath.Join(dir, "js", "app.js"), 1)
			deadline := time.Now().Add(10 * time.Second)
			for {
				have, _ := os.ReadFile(record)
				if string(have) == want {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the editor got\n%s\nwant\n%s", have, want)
				}
				time.Sleep(10 * time.Millisecond) // poll interval
			}
		})
	}
}
