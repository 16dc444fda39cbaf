package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/internal/syncbuf"
	"github.com/hotserve/hotserve/internal/testenv"
)

// browserEnv makes the test binary act as $BROWSER: it writes the URL it
// is given to the file this names (see TestOpenBrowser).
const browserEnv = "HOTSERVE_TEST_BROWSER_OUT"

func TestMain(m *testing.M) {
	if out := os.Getenv(browserEnv); out != "" {
		os.WriteFile(out, []byte(strings.Join(os.Args[1:], " ")), 0o644)
		os.Exit(0)
	}
	cleanup := isolateUserData()
	code := testenv.Run(m)
	cleanup()
	os.Exit(code)
}

// hotserveBin is the hotserve binary, built once for the tests that run it
// as a real process, and only for them: the others run where no Go
// toolchain is (under Wine or qemu).
func hotserveBin(t *testing.T) string {
	t.Helper()
	var flags []string
	if raceEnabled { // as the tests are; not where -race is unknown (linux/386)
		flags = append(flags, "-race")
	}
	return testenv.Build(t, "github.com/hotserve/hotserve/cmd/hotserve", flags...)
}

// proc is a running hotserve.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr *syncbuf.Buffer
	exited         chan struct{}
}

func start(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(hotserveBin(t), args...), stdout: new(syncbuf.Buffer), stderr: new(syncbuf.Buffer), exited: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	ownProcessGroup(p.cmd)
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// exitCode waits for the process to end.
func (p *proc) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(10 * time.Second):
		t.Fatalf("hotserve still running after 10s\nstdout: %s\nstderr: %s", p.stdout, p.stderr)
		return -1
	}
}

var urlRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)

// url waits for the banner and returns the URL it prints.
func (p *proc) url(t *testing.T) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if u := urlRE.FindString(p.stdout.String()); u != "" {
			return u
		}
		select {
		case <-p.exited:
			t.Fatalf("hotserve exited early\nstdout: %s\nstderr: %s", p.stdout, p.stderr)
		case <-time.After(10 * time.Millisecond): // poll interval
		}
	}
	t.Fatalf("no URL printed within 10s\nstdout: %s\nstderr: %s", p.stdout, p.stderr)
	return ""
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return string(b)
}

func TestServesDemoSiteAndStopsOnInterrupt(t *testing.T) {
	p := start(t, "--port", "0", "../../testdata/site")
	url := p.url(t)
	out := p.stdout.String()
	for _, want := range []string{"hotserve", filepath.FromSlash("testdata/site"), "Watching:", "folders"} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	body := get(t, url)
	if !regexp.MustCompile(`<script src="/__hotserve/client\.js\?t=[0-9a-f]{32}&v=[0-9a-f]+"></script>`).MatchString(body) {
		t.Errorf("index page has no client script:\n%s", body)
	}
	if js := get(t, url+"__hotserve/client.js"); !strings.Contains(js, "/__hotserve/ws") {
		t.Errorf("client.js does not look like the client:\n%.200s", js)
	}

	interrupt(t, p.cmd.Process)
	if code := p.exitCode(t); code != 0 {
		t.Errorf("exit code after Ctrl-C = %d, want 0\nstderr: %s", code, p.stderr)
	}
	if _, err := http.Get(url); err == nil {
		t.Errorf("%s still answers after hotserve stopped", url)
	}
}

// busyPort holds a port for the duration of the test.
func busyPort(t *testing.T) int {
	t.Helper()
	return testenv.Listen(t).Addr().(*net.TCPAddr).Port
}

func TestBusyPortMovesToNextFree(t *testing.T) {
	port := busyPort(t)
	p := start(t, t.TempDir(), "--port", fmt.Sprint(port)) // flags may follow the folder
	url := p.url(t)
	if strings.Contains(url, fmt.Sprintf(":%d/", port)) {
		t.Fatalf("printed the busy port: %s", url)
	}
	if want := fmt.Sprintf("port %d is in use", port); !strings.Contains(p.stdout.String(), want) {
		t.Errorf("banner does not say %q:\n%s", want, p.stdout)
	}
	get(t, url)
}

func TestFailsClearly(t *testing.T) {
	file := filepath.Join(t.TempDir(), "page.html")
	os.WriteFile(file, []byte("x"), 0o644)
	missing, _ := filepath.Abs("/no/such/folder") // C:\no\such\folder on Windows
	cases := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"missing folder", []string{"/no/such/folder"}, 1, "folder " + missing + " does not exist"},
		{"file instead of folder", []string{file}, 1, "is a file, not a folder"},
		{"strict port in use", []string{"--strict-port", "--port", fmt.Sprint(busyPort(t)), t.TempDir()}, 1, "is in use"},
		{"two folders", []string{"a", "b"}, 2, "one folder at most"},
		{"port not a number", []string{"--port", "http"}, 2, "invalid value"},
		{"port out of range", []string{"--port", "70000"}, 2, "is not a port"},
		{"unknown flag", []string{"--watch-everything"}, 2, "flag provided but not defined"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := start(t, c.args...)
			if code := p.exitCode(t); code != c.code {
				t.Errorf("exit code %d, want %d", code, c.code)
			}
			if !strings.Contains(p.stderr.String(), c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, p.stderr)
			}
			if strings.Count(strings.TrimSpace(p.stderr.String()), "\n") > 1 && c.code == 1 {
				t.Errorf("more than two lines for a start-up failure:\n%s", p.stderr)
			}
		})
	}
}

func TestVersionAndHelp(t *testing.T) {
	p := start(t, "--version")
	if code := p.exitCode(t); code != 0 || !strings.HasPrefix(p.stdout.String(), "hotserve v") {
		t.Errorf("--version: exit %d, stdout %q", code, p.stdout)
	}
	p = start(t, "--help")
	if code := p.exitCode(t); code != 0 || !strings.Contains(p.stderr.String(), "Examples:") {
		t.Errorf("--help: exit %d, stderr %q", code, p.stderr)
	}
}

// dialTab connects a WebSocket client to the hotserve at url, as a tab
// without a page, and reads its connected message.
func dialTab(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(url, "http")+"__hotserve/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	ws.ReadMessage() // connected
	return ws
}

func TestPrintsOneLinePerUpdate(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>one</h1>"), 0o644)
	p := start(t, "--port", "0", dir)
	url := p.url(t)
	ws := dialTab(t, url)

	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>two</h1>"), 0o644)
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, _, err := ws.ReadMessage(); err != nil {
		t.Fatal(err)
	}
	// This client never acknowledges, so the line comes after the
	// devserver's wait for acknowledgements (3s).
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(p.stdout.String(), "index.html → live-reload · 1 tab") {
		if time.Now().After(deadline) {
			t.Fatalf("no update line for index.html:\n%s", p.stdout)
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
}

func TestInitWritesStarterThatServes(t *testing.T) {
	dir := t.TempDir()
	p := start(t, "init", dir)
	if code := p.exitCode(t); code != 0 {
		t.Fatalf("init: exit %d, stderr %s", code, p.stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "hotserve.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "# port = 8080") {
		t.Errorf("starter file lacks the port setting:\n%s", data)
	}
	if p := start(t, "init", dir); p.exitCode(t) != 1 || !strings.Contains(p.stderr.String(), "already exists") {
		t.Errorf("a second init: stderr %q, want a refusal to overwrite", p.stderr)
	}

	// The served folder's settings apply: port 0 from the file.
	os.WriteFile(filepath.Join(dir, "hotserve.toml"), []byte("port = 0\nstrict-port = true\n"), 0o644)
	get(t, start(t, dir).url(t))

	// A broken file names its line and stops hotserve before it starts.
	os.WriteFile(filepath.Join(dir, "hotserve.toml"), []byte("port = 0\nprot = 1\n"), 0o644)
	p = start(t, dir)
	if code := p.exitCode(t); code != 2 || !strings.Contains(p.stderr.String(), `hotserve.toml:2: unknown key "prot" (did you mean "port"?)`) {
		t.Errorf("broken settings: exit %d, stderr %q", code, p.stderr)
	}
}

// waitOutput polls the process's standard output until it contains want.
func (p *proc) waitOutput(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(p.stdout.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the output within 10s:\n%s", want, p.stdout)
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
}

func TestSettingsFileChangesApplyWhileRunning(t *testing.T) {
	tempUserData(t)
	dir := t.TempDir()
	settings := filepath.Join(dir, "hotserve.toml")
	os.WriteFile(settings, []byte("port = 0\n"), 0o644)
	p := start(t, dir)
	url := p.url(t)

	// A broken edit keeps the old settings and says why.
	os.WriteFile(settings, []byte("port = 0\nignore = 3\n"), 0o644)
	p.waitOutput(t, `hotserve.toml:2: ignore = 3: want a list of strings, e.g. ["a", "b"]; keeping the previous settings`)

	// A tab that stays connected through what follows.
	ws := dialTab(t, url)

	// A watching setting applies with a new watcher only: the server and
	// its tabs stay.
	// A page saved together with the settings still reaches the tab.
	os.WriteFile(settings, []byte("port = 0\nignore = [\"drafts/**\"]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "early.html"), []byte("x"), 0o644)
	p.waitOutput(t, "settings changed: ignore applied")
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var early struct {
		Type  string
		Paths []string
	}
	if err := ws.ReadJSON(&early); err != nil || early.Type != "live-reload" || !slices.Contains(early.Paths, "/early.html") {
		t.Fatalf("the tab got %+v, %v; want live-reload for /early.html", early, err)
	}
	os.Mkdir(filepath.Join(dir, "drafts"), 0o755)
	os.WriteFile(filepath.Join(dir, "drafts", "a.html"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "page.html"), []byte("x"), 0o644)
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m struct{ Type string }
	if err := ws.ReadJSON(&m); err != nil || m.Type != "live-reload" {
		t.Fatalf("the connected tab got %+v, %v; want live-reload for page.html on the same connection", m, err)
	}
	p.waitOutput(t, "page.html → live-reload")
	if strings.Contains(p.stdout.String(), "drafts") {
		t.Errorf("a change in an ignored folder was reported:\n%s", p.stdout)
	}

	// Any other setting restarts the server on the same address; tabs are
	// told to go and reconnect.
	// (dotfiles loosens a default: it applies from a file the person trusts.)
	final := []byte("port = 0\nignore = [\"drafts/**\"]\ndotfiles = true\n")
	trustContent(t, settings, final)
	os.WriteFile(settings, final, 0o644)
	p.waitOutput(t, "settings changed: "+settings+" applied")
	if strings.Count(p.stdout.String(), url) < 2 {
		t.Errorf("the new session does not serve on %s:\n%s", url, p.stdout)
	}
	if _, _, err := ws.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseGoingAway) {
		t.Errorf("after a restart the tab read %v, want a going-away close", err)
	}
	if body := get(t, url+"hotserve.toml"); !strings.Contains(body, "dotfiles") {
		t.Errorf("hotserve.toml not served after the change: %q", body)
	}
}

func TestJSONLog(t *testing.T) {
	p := start(t, "--port", "0", "--log", "json", t.TempDir())
	p.waitOutput(t, `"msg":"ready"`)
	line := strings.SplitN(p.stdout.String(), "\n", 2)[0]
	var ready map[string]any
	if err := json.Unmarshal([]byte(line), &ready); err != nil {
		t.Fatalf("first line is not JSON: %v\n%s", err, line)
	}
	if u, _ := ready["url"].(string); !urlRE.MatchString(u) {
		t.Errorf("ready event has url %q", u)
	}
}

func TestDoctor(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755)
	os.MkdirAll(filepath.Join(dir, "node_modules", "x"), 0o755)
	port := busyPort(t)
	p := start(t, "doctor", "--port", fmt.Sprint(port), dir)
	if code := p.exitCode(t); code != 1 {
		t.Errorf("doctor with a busy port: exit %d, want 1", code)
	}
	out := p.stdout.String()
	// The root, a and a/b; not node_modules.
	watchBudget := map[string]string{
		"linux":   "this folder needs 3 more",
		"darwin":  "kqueue needs one per folder and file, 3 here",
		"freebsd": "kqueue needs one per folder and file, 3 here",
	}
	for _, want := range []string{
		fmt.Sprintf("port %d: in use by", port),
		watchBudget[runtime.GOOS],
		"file system:",
		"need attention",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out)
		}
	}
}
