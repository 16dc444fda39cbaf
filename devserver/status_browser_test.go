package devserver_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/internal/testenv"
)

func TestBrowserStatusPageFollowsTheServer(t *testing.T) {
	dir := newSiteDir(t)
	s := startSite(t, dir, "127.0.0.1:0")
	status := newTab(t)
	if err := chromedp.Do(status, chromedp.Navigate(s.URL+"__hotserve/")); err != nil {
		t.Fatal(err)
	}
	text := func(id string) string { return fmt.Sprintf(`document.getElementById(%q).textContent`, id) }

	// The watcher's figures and the settings are shown; the status page
	// itself is not a tab that reloads.
	testenv.WaitJS(t, status, text("watch")+`.includes("inotify")`, 5*time.Second)
	testenv.WaitJS(t, status, text("settings")+`.includes("port")`, 5*time.Second)
	testenv.WaitJS(t, status, text("tabs")+` === "0"`, 5*time.Second)

	// A tab on the site appears in the count.
	navigate(t, newTab(t), s.URL)
	testenv.WaitJS(t, status, text("tabs")+` === "1" && `+text("pages")+` === "/"`, 10*time.Second)

	// A save appears in the timeline with what was sent and its latency.
	writeFile(t, filepath.Join(dir, "style.css"), "h1 { color: blue }\n")
	testenv.WaitJS(t, status, text("updates")+`.includes("style.css") && `+text("updates")+`.includes("css-update") && `+text("updates")+`.includes(" ms")`, 10*time.Second)
	if got := evalJS[bool](t, status, `!window.__hotserve`); !got {
		t.Error("the status page has the reload client injected; it must not reload itself")
	}
}
