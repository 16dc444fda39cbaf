package devserver_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/backend"
	"github.com/hotserve/hotserve/internal/testenv"
)

// alive reports whether pid is a live process (not gone, not a zombie).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	state := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])[0]
	return state != "Z" && state != "X"
}

func TestBrowserConfigChangeRestartsOnceThenReloads(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "config.json")
	writeFile(t, conf, `{"title": "one"}`)
	bs := startBackendSite(t, dir, devserver.Config{Backend: &backend.Config{StopTimeout: time.Second}}, true,
		"-config", conf, "-child", "-slow", "200ms")
	tab := newTab(t)
	navigate(t, tab, bs.URL)
	testenv.WaitJS(t, tab, `document.querySelector("h1")?.textContent === "one"`, 10*time.Second)
	old := bs.pids()

	writeFile(t, conf, `{"title": "two"}`)
	testenv.WaitJS(t, tab, `document.querySelector("h1")?.textContent === "two" && window.__hotserve?.socket?.readyState === 1`, 15*time.Second)
	time.Sleep(300 * time.Millisecond) // room for a second restart or reload, if there were one

	if loads := evalJS[string](t, tab, `sessionStorage.loads`); loads != "2" {
		t.Errorf("page loaded %s times, want 2 (one reload)", loads)
	}
	if n := bs.count("restart"); n != 1 {
		t.Errorf("%d restarts, want 1", n)
	}
	if pids := bs.pids(); len(pids) != 2 {
		t.Errorf("%d backends started, want 2:\n%s", len(pids), bs.out)
	}
	// The reload was sent once the new backend listened: the new page's
	// navigation began after it.
	navStart := time.UnixMicro(int64(evalJS[float64](t, tab, `performance.timeOrigin`) * 1000))
	if ready := bs.readyAt(t, 2); navStart.Before(ready) {
		t.Errorf("the tab reloaded %v before the backend listened", ready.Sub(navStart))
	}
	// The old backend and the child it left holding the port are gone.
	for _, pid := range old {
		if alive(pid) {
			t.Errorf("old backend %d is still alive", pid)
		}
	}
	if strings.Count(bs.out.String(), "backend child pid=") != 2 {
		t.Errorf("want two children (one per backend):\n%s", bs.out)
	}
}

func TestBrowserCrashShowsOverlayUntilBackendIsBack(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "config.json")
	writeFile(t, conf, `{"title": "one"}`)
	bs := startBackendSite(t, dir, devserver.Config{}, true, "-config", conf)
	tab := newTab(t)
	navigate(t, tab, bs.URL)
	testenv.WaitJS(t, tab, `document.querySelector("h1")?.textContent === "one"`, 10*time.Second)
	status := newTab(t)
	if err := chromedp.Do(status, chromedp.Navigate(bs.URL+"__hotserve/")); err != nil {
		t.Fatal(err)
	}
	const backend = `document.getElementById("backend").textContent`
	testenv.WaitJS(t, status, backend+`.includes("running")`, 10*time.Second)

	writeFile(t, conf, `{"crash": true}`)
	const overlay = `(document.querySelector("hotserve-overlay")?.shadowRoot?.textContent ?? "")`
	testenv.WaitJS(t, tab, overlay+`.includes("config says crash")`, 15*time.Second)
	if text := evalJS[string](t, tab, overlay); !strings.Contains(text, "exit status 3") {
		t.Errorf("overlay does not give the exit status:\n%s", text)
	}
	if log := bs.log.String(); !strings.Contains(log, `msg="backend exited" status="exit status 3" restarts="on the next change"`) {
		t.Errorf("no crash line in the terminal log:\n%s", log)
	}

	testenv.WaitJS(t, status, backend+`.includes("exited") && `+backend+`.includes("exit status 3")`, 10*time.Second)

	// A tab opened now sees the overlay too, over the 502 page.
	late := newTab(t)
	navigate(t, late, bs.URL)
	testenv.WaitJS(t, late, overlay+`.includes("config says crash")`, 10*time.Second)

	writeFile(t, conf, `{"title": "back"}`)
	testenv.WaitJS(t, tab, `document.querySelector("h1")?.textContent === "back" && !document.querySelector("hotserve-overlay")`, 15*time.Second)
	testenv.WaitJS(t, late, `document.querySelector("h1")?.textContent === "back" && !document.querySelector("hotserve-overlay")`, 15*time.Second)
	testenv.WaitJS(t, status, backend+`.includes("running") && +document.querySelector("#backend tr td:nth-child(4)").textContent >= 1`, 10*time.Second)
}
