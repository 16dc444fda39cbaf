package devserver_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/internal/testenv"
)

// TestBrowserDemoModulesPageKeepsItsCount does on the bundled demo what
// its Modules page tells a visitor to: click the counter, change the label
// in modules/counter.js, and see the new label with the count kept, the
// page not reloaded; then edit modules/main.js, which nothing accepts,
// and see it reload.
func TestBrowserDemoModulesPageKeepsItsCount(t *testing.T) {
	files := map[string]string{}
	demo := filepath.Join("..", "testdata", "site")
	err := filepath.WalkDir(demo, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(demo, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	dir, tab, log := hmrSite(t, files, "/modules/")
	testenv.WaitJS(t, tab, `document.querySelector("#counter button")?.textContent === "Clicked 0 times"`, 5*time.Second)
	for range 3 {
		if err := chromedp.Do(tab, chromedp.Click("#counter button")); err != nil {
			t.Fatal(err)
		}
	}
	testenv.WaitJS(t, tab, `document.querySelector("#counter button").textContent === "Clicked 3 times"`, 5*time.Second)

	counter := filepath.Join(dir, "modules", "counter.js")
	writeFile(t, counter, strings.Replace(files["modules/counter.js"], `const label = "Clicked";`, `const label = "Pressed";`, 1))
	testenv.WaitJS(t, tab, `document.querySelector("#counter button").textContent === "Pressed 3 times"`, 10*time.Second)
	if got := loads(t, tab); got != "1 loads, 1 load events" {
		t.Errorf("%s after editing counter.js, want no reload", got)
	}
	waitLine(t, log, "modules/counter.js → ", "hot-update (modules/counter.js)")

	writeFile(t, filepath.Join(dir, "modules", "main.js"), files["modules/main.js"]+"// edited\n")
	testenv.WaitJS(t, tab, `sessionStorage.loads === "2"`, 10*time.Second)
	waitLine(t, log, "modules/main.js → ", "live-reload (no module accepts modules/main.js)")
}
