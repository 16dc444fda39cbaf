package main

import (
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
)

// readSettings reads text as a trusted hotserve.toml after the command
// line args, as parseFlags does.
func readSettings(t *testing.T, text string, args ...string) (options, error) {
	t.Helper()
	o := options{}
	fs := newFlagSet(&o)
	o.flags = fs
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	if _, err := applyConfig(fs, "hotserve.toml", []byte(text), func() bool { return true }); err != nil {
		return o, err
	}
	return o, o.readProxies()
}

func TestBackendTables(t *testing.T) {
	o, err := readSettings(t, `
[backend.api]
exec = "go run ./api"
dir = "api"
build-on = "api/**/*.go"
ready = 3000
proxy = { "/api/" = "http://127.0.0.1:3000/v1/", "/ws" = "http://127.0.0.1:3000" }
stop-signal = "INT"
stop-timeout = "2s"
restart-on-crash = true

[backend.web]
exec = "npm run dev"
proxy = "http://127.0.0.1:5173"
`)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.tableBackends) != 2 {
		t.Fatalf("%d backends, want 2", len(o.tableBackends))
	}
	api, web := o.tableBackends[0].nb, o.tableBackends[1].nb
	b := api.Backend
	if api.Name != "api" || b.Command != "go run ./api" || b.Dir != "api" || b.Ready != "3000" || b.StopSignal != syscall.SIGINT ||
		b.StopTimeout != 2*time.Second || !b.RestartOnCrash || fmt.Sprint(api.Restart.BuildOn) != "[api/**/*.go]" {
		t.Errorf("api read as %+v", api)
	}
	if web.Name != "web" || web.Backend.StopTimeout != 5*time.Second || web.Backend.StopSignal != 0 {
		t.Errorf("web read as %+v, want the stop defaults", web)
	}
	want := []devserver.Route{{Prefix: "/api/", Target: "http://127.0.0.1:3000/v1/", Backend: "api"}, {Prefix: "/ws", Target: "http://127.0.0.1:3000", Backend: "api"}}
	if fmt.Sprint(o.routes) != fmt.Sprint(want) {
		t.Errorf("routes %v, want %v", o.routes, want)
	}
	if o.proxy.URL != "http://127.0.0.1:5173" || o.proxy.Backend != "web" {
		t.Errorf("what is not a file goes to %+v, want web's URL", o.proxy)
	}
}

func TestProxyFlagIsRepeatable(t *testing.T) {
	o, err := readSettings(t, "", "--proxy", "/api=http://127.0.0.1:3000", "--proxy", "http://127.0.0.1:8000", "--proxy", "/v/=http://127.0.0.1:3001/v1/")
	if err != nil {
		t.Fatal(err)
	}
	want := []devserver.Route{{Prefix: "/api", Target: "http://127.0.0.1:3000"}, {Prefix: "/v/", Target: "http://127.0.0.1:3001/v1/"}}
	if fmt.Sprint(o.routes) != fmt.Sprint(want) || o.proxy.URL != "http://127.0.0.1:8000" {
		t.Errorf("routes %v and rest %q", o.routes, o.proxy.URL)
	}
}

func TestBackendTablesFailClearly(t *testing.T) {
	for _, c := range []struct {
		name, text string
		args       []string
		want       string
	}{
		{"no exec", "[backend.api]\ndir = \"api\"\n", nil, "[backend.api]: exec is missing"},
		{"a misspelt key", "[backend.api]\nexec = \"x\"\nrestart-onn = [\"*.go\"]\n", nil, `unknown key "restart-onn" (did you mean "restart-on"?)`},
		{"a wrong shape", "[backend.api]\nexec = 3\n", nil, "exec = 3: want a string in quotes"},
		{"a bad signal", "[backend.api]\nexec = \"x\"\nstop-signal = \"NOPE\"\n", nil, `stop-signal = "NOPE"`},
		{"a bad timeout", "[backend.api]\nexec = \"x\"\nstop-timeout = \"soon\"\n", nil, "want a positive duration"},
		{"a route without a slash", "[backend.api]\nexec = \"x\"\nproxy = \"api=http://127.0.0.1:1\"\n", nil, "a route's prefix starts with /"},
		{"a route to no URL", "", []string{"--proxy", "/api=127.0.0.1:1"}, "a route's target is an http:// or https:// URL"},
		{"two URLs for the rest", "", []string{"--proxy", "http://127.0.0.1:1", "--proxy", "http://127.0.0.1:2"}, "two URLs for what is not a file"},
		{"proxy-all with routes only", "", []string{"--proxy", "/api=http://127.0.0.1:1", "--proxy-all"}, "--proxy-all sends everything to --proxy URL"},
		{"flags and tables", "[backend.api]\nexec = \"x\"\n", []string{"--exec", "go run ."}, `--exec "go run ." and [backend.api] both define backends`},
		{"a table and --proxy for the rest", "[backend.api]\nexec = \"x\"\nproxy = \"http://127.0.0.1:1\"\n", []string{"--proxy", "http://127.0.0.1:2"}, "both take what is not a file"},
		{"not a table", "backend = 3\n", nil, "backend is a table"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := readSettings(t, c.text, c.args...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}

// Two [backend.NAME] tables run side by side, each printing behind its
// name, and both process trees end with hotserve, even on SIGKILL.
func TestBackendTablesRunAndDieWithHotserve(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only: it reads /proc to see that the backends' processes are gone")
	}
	tempUserData(t)
	bin := testenv.Backend(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			api, worker := testenv.FreeAddr(t), testenv.FreeAddr(t)
			text := fmt.Sprintf("port = 0\n[backend.api]\nexec = '%s -addr %s -child'\nproxy = '/api/=http://%s/'\nstop-timeout = \"500ms\"\n"+
				"[backend.worker]\nexec = '%s -addr %s -child'\nready = '%s'\nstop-timeout = \"500ms\"\n", bin, api, api, bin, worker, worker)
			dir, file := writeSettings(t, text)
			trustContent(t, file, []byte(text))
			p := start(t, dir)
			url := p.url(t)
			p.waitOutput(t, "api    │ backend pid=")
			p.waitOutput(t, "worker │ backend pid=")
			p.waitOutput(t, "api: backend ready")
			p.waitOutput(t, "worker: backend ready")
			if body := get(t, url+"api/"); !strings.Contains(body, "<h1>untitled</h1>") {
				t.Errorf("/api/ through the route:\n%s", body)
			}
			pids := backendPIDs(t, p.stdout.String(), 4)
			p.cmd.Process.Signal(sig)
			<-p.exited
			assertBackendsGone(t, sig, 10*time.Second, pids, api, worker)
		})
	}
}

func TestNamedOutput(t *testing.T) {
	var text, js strings.Builder
	newTerm(&text, "text", false).namedOutput("api", 6, 0).Write([]byte("listening\x1b]0;title\x07\n"))
	if got := text.String(); got != "api    │ listening\n" {
		t.Errorf("text line %q, want the name padded and the title sequence gone", got)
	}
	newTerm(&js, "json", false).namedOutput("api", 6, 0).Write([]byte("listening\n"))
	if got := js.String(); !strings.Contains(got, `"msg":"listening","source":"backend","backend":"api"`) {
		t.Errorf("JSON line %s lacks the backend's name", got)
	}
}
