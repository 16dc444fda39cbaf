package devserver_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/hotserve/hotserve/devserver"
)

// TestOpenInEditor: POST /__hotserve/open runs the editor only for a file
// the folder serves, asked by hotserve's own page with its token; every
// refusal is said in the log.
func TestOpenInEditor(t *testing.T) {
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "secret.txt"), "secret")
	var mu sync.Mutex
	var opened []string
	lib := t.TempDir()
	writeFile(t, filepath.Join(lib, "lib.js"), boomJS)
	s, l, dir := consoleSite(t, map[string]string{"index.html": "<p>x</p>", "js/app.js": boomJS, ".env": "KEY=1"}, func(c *devserver.Config) {
		c.Mounts = []devserver.Mount{{Prefix: "/vendor", Dir: lib}}
		c.OpenEditor = func(path string, line, col int) error {
			mu.Lock()
			defer mu.Unlock()
			opened = append(opened, fmt.Sprintf("%s:%d:%d", path, line, col))
			return nil
		}
	})
	link := runtime.GOOS != "windows" && os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "out.txt")) == nil
	token := devserver.Token(s.srv)
	origin := strings.TrimSuffix(s.URL, "/")
	post := func(body string, header map[string]string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"__hotserve/open", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range header {
			if v == "" {
				req.Header.Del(k)
			} else {
				req.Header.Set(k, v)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	own := map[string]string{"X-Hotserve-Token": token, "Origin": origin, "Sec-Fetch-Site": "same-origin"}
	with := func(k, v string) map[string]string {
		h := map[string]string{}
		for a, b := range own {
			h[a] = b
		}
		h[k] = v
		return h
	}
	app := filepath.Join(dir, "js", "app.js")
	for _, c := range []struct{ name, body, want string }{
		{"a folder path", `{"file":"js/app.js","line":3,"col":9}`, app + ":3:9"},
		{"a URL path", `{"file":"/js/app.js","line":3}`, app + ":3:0"},
		{"a URL of this server", `{"file":"` + s.URL + `js/app.js","line":1,"col":2}`, app + ":1:2"},
		{"an absolute path inside", `{"file":` + quote(app) + `,"line":4}`, app + ":4:0"},
		{"a mount's URL path", `{"file":"/vendor/lib.js","line":2}`, filepath.Join(lib, "lib.js") + ":2:0"},
		{"an absolute path in a mount", `{"file":` + quote(filepath.Join(lib, "lib.js")) + `,"line":5}`, filepath.Join(lib, "lib.js") + ":5:0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			mu.Lock()
			opened = nil
			mu.Unlock()
			if code, body := post(c.body, own); code != http.StatusNoContent {
				t.Fatalf("%d %s", code, body)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(opened) != 1 || opened[0] != c.want {
				t.Errorf("opened %q, want [%q]", opened, c.want)
			}
		})
	}
	refusals := []struct {
		name, body string
		header     map[string]string
		code       int
		says       string
	}{
		{"no token", `{"file":"js/app.js","line":1}`, with("X-Hotserve-Token", ""), 403, "no valid token"},
		{"a wrong token", `{"file":"js/app.js","line":1}`, with("X-Hotserve-Token", otherToken(token)), 403, "no valid token"},
		{"another origin", `{"file":"js/app.js","line":1}`, with("Origin", "http://evil.example"), 403, "another origin"},
		{"no origin", `{"file":"js/app.js","line":1}`, with("Origin", ""), 403, "another origin"},
		{"cross-site", `{"file":"js/app.js","line":1}`, with("Sec-Fetch-Site", "cross-site"), 403, "another origin"},
		{"up and out", `{"file":"../` + filepath.Base(outside) + `/secret.txt","line":1}`, own, 403, "not a file in the served folder"},
		{"an absolute path outside", `{"file":` + quote(filepath.Join(outside, "secret.txt")) + `,"line":1}`, own, 403, "not a file in the served folder"},
		{"a dotfile", `{"file":".env","line":1}`, own, 403, "not a file in the served folder"},
		{"another server's URL", `{"file":"http://evil.example/js/app.js","line":1}`, own, 403, "not a file in the served folder"},
		{"a missing file", `{"file":"js/none.js","line":1}`, own, 403, "not a file in the served folder"},
		{"a folder", `{"file":"js","line":1}`, own, 403, "not a file in the served folder"},
		{"no file", `{"line":1}`, own, 400, "did not name a file"},
	}
	if link {
		refusals = append(refusals, struct {
			name, body string
			header     map[string]string
			code       int
			says       string
		}{"a link out of the folder", `{"file":"out.txt","line":1}`, own, 403, "not a file in the served folder"})
	}
	for _, c := range refusals {
		t.Run("refused: "+c.name, func(t *testing.T) {
			mu.Lock()
			opened = nil
			mu.Unlock()
			before := len(l.lines())
			code, body := post(c.body, c.header)
			if code != c.code || !strings.Contains(body, c.says) {
				t.Errorf("answer %d %q, want %d saying %q", code, body, c.code, c.says)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(opened) != 0 {
				t.Errorf("opened %q", opened)
			}
			logged := strings.Join(l.lines()[before:], "\n")
			if !strings.Contains(logged, "did not open an editor: ") || !strings.Contains(logged, c.says) {
				t.Errorf("the log says %q, want why", logged)
			}
		})
	}
	t.Run("refused: a GET", func(t *testing.T) {
		resp, err := http.Get(s.URL + "__hotserve/open?file=js/app.js")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("GET answered %d", resp.StatusCode)
		}
	})
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// otherToken is token with its first character changed: as long, never
// equal.
func otherToken(token string) string {
	if token[0] == '0' {
		return "1" + token[1:]
	}
	return "0" + token[1:]
}
