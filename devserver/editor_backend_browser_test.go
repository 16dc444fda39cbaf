package devserver_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// A click on "./main.go:5:2" in the overlay of the api backend's failed
// build opens api/main.go, where that build found it, not the served
// folder's main.go.
func TestBrowserOpenFromABackendsBuildOutput(t *testing.T) {
	var mu sync.Mutex
	var opened []string
	s, _, dir := consoleSite(t, map[string]string{"index.html": "<p>x</p>", "main.go": "package root\n", "api/main.go": "package main\n"}, func(c *devserver.Config) {
		c.Backends = []devserver.NamedBackend{failingBuild("api", "api")}
		c.OpenEditor = func(path string, line, col int) error {
			mu.Lock()
			defer mu.Unlock()
			opened = append(opened, fmt.Sprintf("%s:%d:%d", path, line, col))
			return nil
		}
	})
	tab := newTab(t)
	navigate(t, tab, s.URL)
	const button = `[...document.querySelectorAll("hotserve-overlay")].map((o) => o.shadowRoot.querySelector(".where")).find((b) => b)`
	testenv.WaitJS(t, tab, `(`+button+`)?.textContent === "./main.go:5:2"`, 10*time.Second)
	evalJS[bool](t, tab, `(`+button+`).click(), true`)
	waitUntil(t, "the editor", 5*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(opened) > 0 })
	mu.Lock()
	defer mu.Unlock()
	if want := filepath.Join(dir, "api", "main.go") + ":5:2"; strings.Join(opened, ",") != want {
		t.Errorf("the click opened %q, want %q", opened, want)
	}
}
