package devserver_test

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/backend"
	"github.com/hotserve/hotserve/internal/syncbuf"
	"github.com/hotserve/hotserve/internal/testenv"
	"github.com/hotserve/hotserve/watcher"
)

// twoBackendsPage fetches the front page of each backend through its
// route and shows its title and pid.
const twoBackendsPage = `<!doctype html><html><head><title>two</title></head><body>
<p id=api></p><p id=worker></p>
<script>
sessionStorage.loads = (+sessionStorage.loads || 0) + 1;
for (const n of ["api", "worker"]) fetch("/" + n + "/").then((r) => r.text()).then((t) => {
  document.getElementById(n).textContent = t.match(/<h1>(.*?)<\/h1>/)[1] + " " + t.match(/<p id=pid>(\d+)/)[1];
});
</script></body></html>`

// namedBackend is one of the test's backends: the test backend run in
// its own folder of root, with its title from NAME/config.json.
type namedBackend struct {
	name, addr string
	out        *syncbuf.Buffer
}

func newNamedBackend(t *testing.T, root, name string, args ...string) (namedBackend, devserver.NamedBackend) {
	nb := namedBackend{name: name, addr: testenv.FreeAddr(t), out: new(syncbuf.Buffer)}
	conf := filepath.Join(root, name, "config.json")
	if err := os.MkdirAll(filepath.Dir(conf), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, conf, fmt.Sprintf(`{"title": "%s one"}`, name))
	cmd := fmt.Sprintf("%s -addr %s -config %s", testenv.Backend(t), nb.addr, conf)
	for _, a := range args {
		cmd += " " + a
	}
	return nb, devserver.NamedBackend{Name: name, Backend: backend.Config{Command: cmd, Dir: name, StopTimeout: time.Second, Output: nb.out},
		Restart: devserver.Restart{On: []string{name + "/**/*.json", "shared.toml"}}}
}

// pids are the pids the backend has printed, in order.
func (nb namedBackend) pids() []string {
	var pids []string
	for _, m := range regexp.MustCompile(`backend pid=(\d+)`).FindAllStringSubmatch(nb.out.String(), -1) {
		pids = append(pids, m[1])
	}
	return pids
}

// readyAt is when the backend's nth start listened, by its own clock.
func (nb namedBackend) readyAt(t *testing.T, n int) time.Time {
	t.Helper()
	re := regexp.MustCompile(`ready-at=(\d+)`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := re.FindAllStringSubmatch(nb.out.String(), -1); len(m) >= n {
			ns, _ := strconv.ParseInt(m[n-1][1], 10, 64)
			return time.Unix(0, ns)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s start %d never said it was ready:\n%s", nb.name, n, nb.out)
		}
		time.Sleep(5 * time.Millisecond) // poll interval
	}
}

func TestBrowserTwoBackendsRestartAloneAndReloadOnce(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), twoBackendsPage)
	api, apiCfg := newNamedBackend(t, dir, "api", "-slow", "300ms")
	worker, workerCfg := newNamedBackend(t, dir, "worker")
	log := new(syncbuf.Buffer)
	srv, err := devserver.New(devserver.Config{Root: dir, Version: "test", Log: slog.New(slog.NewTextHandler(log, nil)),
		Backends: []devserver.NamedBackend{apiCfg, workerCfg},
		Routes: []devserver.Route{
			{Prefix: "/api/", Target: "http://" + api.addr + "/", Backend: "api"},
			{Prefix: "/worker/", Target: "http://" + worker.addr + "/", Backend: "worker"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := watcher.New(watcher.Options{Root: dir})
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	s := serveSite(t, srv, testenv.Listen(t), w)
	// The first start of both is one round, which reloads the tabs once
	// at its end: open the tab after it.
	for deadline := time.Now().Add(15 * time.Second); !strings.Contains(log.String(), `"api: backend ready"`) || !strings.Contains(log.String(), `"worker: backend ready"`); {
		if time.Now().After(deadline) {
			t.Fatalf("the backends never came up:\n%s", log)
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
	tab := newTab(t)
	navigate(t, tab, s.URL)
	testenv.WaitJS(t, tab, `document.getElementById("api").textContent.startsWith("api one") && document.getElementById("worker").textContent.startsWith("worker one")`, 15*time.Second)
	settled := func(loads string) {
		t.Helper()
		testenv.WaitJS(t, tab, `+sessionStorage.loads >= `+loads+` && window.__hotserve?.socket?.readyState === 1`, 15*time.Second)
		time.Sleep(400 * time.Millisecond) // room for a second reload, if there were one
		if got := evalJS[string](t, tab, `sessionStorage.loads`); got != loads {
			t.Errorf("page loaded %s times, want %s (one reload per change)\napi: %s\nworker: %s\nlog: %s", got, loads, api.out, worker.out, log)
		}
	}

	// A change to the API's files restarts the API alone.
	writeFile(t, filepath.Join(dir, "api", "config.json"), `{"title": "api two"}`)
	testenv.WaitJS(t, tab, `document.getElementById("api").textContent.startsWith("api two")`, 15*time.Second)
	settled("2")
	if n := len(api.pids()); n != 2 {
		t.Errorf("api started %d times, want 2", n)
	}
	if n := len(worker.pids()); n != 1 {
		t.Errorf("worker started %d times, want 1: a change to api/ restarted it", n)
	}

	// A change to both: one reload, once the slower (the API) answers.
	writeFile(t, filepath.Join(dir, "shared.toml"), "x = 1\n")
	settled("3")
	if a, w := len(api.pids()), len(worker.pids()); a != 3 || w != 2 {
		t.Errorf("starts after a shared change: api %d, worker %d; want 3 and 2", a, w)
	}
	navStart := time.UnixMicro(int64(evalJS[float64](t, tab, `performance.timeOrigin`) * 1000))
	for _, nb := range []namedBackend{api, worker} {
		if ready := nb.readyAt(t, len(nb.pids())); navStart.Before(ready) {
			t.Errorf("the tab reloaded %v before %s listened", ready.Sub(navStart), nb.name)
		}
	}
	infos := srv.Backends()
	if len(infos) != 2 || infos[0].Name != "api" || infos[1].Name != "worker" || infos[0].State != "running" || infos[0].PID == 0 {
		t.Errorf("Backends() = %+v, want api and worker, running", infos)
	}

	// The status page has a row each; a crash is named in the overlay
	// and in its row.
	status := newTab(t)
	if err := chromedp.Do(status, chromedp.Navigate(s.URL+"__hotserve/")); err != nil {
		t.Fatal(err)
	}
	const row = `(n) => document.querySelector("#backend tr[data-name=" + n + "]")?.textContent ?? ""`
	testenv.WaitJS(t, status, `((row) => row("api").includes("running") && row("worker").includes("running"))(`+row+`)`, 10*time.Second)
	writeFile(t, filepath.Join(dir, "worker", "config.json"), `{"crash": true}`)
	const overlay = `(document.querySelector("hotserve-overlay")?.shadowRoot?.textContent ?? "")`
	testenv.WaitJS(t, tab, overlay+`.includes("Backend worker exited (exit status 3)")`, 15*time.Second)
	testenv.WaitJS(t, status, `((row) => row("worker").includes("exited") && row("api").includes("running"))(`+row+`)`, 10*time.Second)
}
