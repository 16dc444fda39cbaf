package devserver_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/backend"
)

// failingBuild is a backend in dir whose build fails printing where, as
// go build does; it never gets to run its command.
func failingBuild(name, dir string) devserver.NamedBackend {
	return devserver.NamedBackend{Name: name, Backend: backend.Config{
		Command: "exit 0", Build: "echo ./main.go:5:2: undefined: x 1>&2 && exit 1", Dir: dir, StopTimeout: time.Second}}
}

// A place in a backend's build output names a file in that backend's
// folder, which need not be the served one: the click says which backend
// (the build-error names it) and the file is looked for there, by the
// same rules as in the folder; on Windows with backslashes too.
func TestOpenInEditorFromABackendsBuild(t *testing.T) {
	ext := t.TempDir() // a backend's folder outside the served one
	writeFile(t, filepath.Join(ext, "main.go"), "package main\n")
	writeFile(t, filepath.Join(ext, ".env"), "KEY=1\n")
	var mu sync.Mutex
	var opened []string
	s, _, dir := consoleSite(t, map[string]string{
		"index.html": "<p>x</p>", "main.go": "package root\n", "api/main.go": "package main\n", "api/sub/util.go": "package sub\n", "api/.env": "KEY=1",
	}, func(c *devserver.Config) {
		c.Backends = []devserver.NamedBackend{failingBuild("api", "api"), failingBuild("ext", ext)}
		c.OpenEditor = func(path string, line, col int) error {
			mu.Lock()
			defer mu.Unlock()
			opened = append(opened, fmt.Sprintf("%s:%d:%d", path, line, col))
			return nil
		}
	})
	var post func(file, backend string) (int, string)
	post = func(file, backend string) (int, string) {
		mu.Lock()
		opened = nil
		mu.Unlock()
		body := fmt.Sprintf(`{"file":%q,"line":5,"col":2,"backend":%q}`, file, backend)
		req, _ := http.NewRequest(http.MethodPost, s.URL+"__hotserve/open", strings.NewReader(body))
		req.Header.Set("X-Hotserve-Token", devserver.Token(s.srv))
		req.Header.Set("Origin", strings.TrimSuffix(s.URL, "/"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests { // many clicks in a second: click again
			time.Sleep(100 * time.Millisecond)
			return post(file, backend)
		}
		mu.Lock()
		defer mu.Unlock()
		return resp.StatusCode, strings.Join(opened, ",")
	}
	api := filepath.Join(dir, "api", "main.go") + ":5:2"
	cases := []struct{ file, backend, want string }{
		{"./main.go", "api", api},
		{"main.go", "api", api},
		{"sub/util.go", "api", filepath.Join(dir, "api", "sub", "util.go") + ":5:2"},
		{"./main.go", "", filepath.Join(dir, "main.go") + ":5:2"}, // no backend: the folder's
		{"./main.go", "nobody", filepath.Join(dir, "main.go") + ":5:2"},
		{"./main.go", "ext", filepath.Join(ext, "main.go") + ":5:2"},
		{filepath.Join(ext, "main.go"), "ext", filepath.Join(ext, "main.go") + ":5:2"},
		{filepath.Join(ext, "main.go"), "", ""}, // outside the folder, and no backend's
		{"../main.go", "api", ""},
		{".env", "api", ""},
		{".env", "ext", ""},
		{"../" + filepath.Base(dir) + "/main.go", "ext", ""},
		{"nothing.go", "api", ""},
	}
	// A link in the backend's dir to its .env, under a name that is not a
	// dotfile's.
	if runtime.GOOS != "windows" && os.Symlink(".env", filepath.Join(ext, "settings.txt")) == nil {
		cases = append(cases, struct{ file, backend, want string }{"settings.txt", "ext", ""})
	}
	if runtime.GOOS == "windows" {
		cases = append(cases, []struct{ file, backend, want string }{
			{`.\main.go`, "api", api},
			{`sub\util.go`, "api", filepath.Join(dir, "api", "sub", "util.go") + ":5:2"},
			{`.\main.go`, "", filepath.Join(dir, "main.go") + ":5:2"},
			{`..\main.go`, "api", ""},
			{`.\main.go`, "ext", filepath.Join(ext, "main.go") + ":5:2"},
		}...)
	}
	for _, c := range cases {
		code, have := post(c.file, c.backend)
		if c.want == "" && (code != http.StatusForbidden || have != "") {
			t.Errorf("%q of backend %q: %d, opened %q; want it refused", c.file, c.backend, code, have)
		}
		if c.want != "" && (code != http.StatusNoContent || have != c.want) {
			t.Errorf("%q of backend %q: %d, opened %q; want %q", c.file, c.backend, code, have, c.want)
		}
	}
}
