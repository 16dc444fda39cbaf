package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/internal/testenv"
)

// rawGet sends target as it is in a request line over TCP (an HTTP client
// would clean it) and returns the status line.
func rawGet(t *testing.T, url, target string) string {
	t.Helper()
	host := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	c, err := net.DialTimeout("tcp", host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, host)
	status, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	return strings.TrimSpace(status)
}

// rawControls says what in out a terminal would act on, other than an
// SGR when sgr allows them, or "".
func rawControls(out string, sgr bool) string {
	if sgr {
		out = sgrRE.ReplaceAllString(out, "")
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "12:00:00 forged") {
			return "a forged line: " + line
		}
		if why := safeText(line, true); why != "" {
			return why + fmt.Sprintf(" in %q", line)
		}
	}
	return ""
}

// pathAttacks are request targets whose path a terminal would act on, and
// how the log must show them.
var pathAttacks = []struct{ name, target, shown string }{
	{"window title", "/%1b]0;pwned%07", `/\x1b]0;pwned\x07`},
	{"clear screen", "/%1b[2J%1b[H", `/\x1b[2J\x1b[H`},
	{"forged line", "/x%0d%0a12:00:00%20forged", `/x\r\n12:00:00 forged`},
	{"clipboard", "/%1b]52;c;cHduZWQ=%07", `/\x1b]52;c;cHduZWQ=\x07`},
	{"C1 CSI", "/%c2%9b2J", `/\u009b2J`},
	{"raw C1 byte", "/%9b2J", `/\x9b2J`},
	{"Trojan Source", "/admin%e2%80%aetxt", `/admin\u202etxt`},
}

// refusedAttacks are answered before any handler logs them (400, 403,
// 404): the test sends them so that a change that starts logging them
// must escape them too.
var refusedAttacks = []string{
	"/.env%1b]0;pwned%07", "/..%5c%1b]0;pwned%07", "/%2e%2e/%1b[2J", "/__hotserve/%1b]0;pwned%07", "/a%00%1b[2J",
}

// A request path reaches the log where a request fails: a proxy that gets
// no answer logs it at warning level, so --quiet shows it too.
func TestTerminalRequestPathsShownEscaped(t *testing.T) {
	dead := testenv.FreeAddr(t) // nothing listens here
	for _, mode := range [][]string{nil, {"--quiet"}} {
		t.Run(strings.Join(append([]string{"text"}, mode...), " "), func(t *testing.T) {
			p := start(t, append(mode, "--port", "0", "--proxy", "http://"+dead, t.TempDir())...)
			url := p.url(t)
			for _, target := range refusedAttacks {
				rawGet(t, url, target)
			}
			for _, a := range pathAttacks {
				if status := rawGet(t, url, a.target); !strings.Contains(status, " 502 ") {
					t.Errorf("%s: %s, want the proxy's 502", a.name, status)
				}
				p.waitOutput(t, "the backend did not answer · path "+a.shown+" · err")
			}
			if why := rawControls(p.stdout.String(), false); why != "" {
				t.Errorf("the terminal got %s", why)
			}
		})
	}
}

// --log json stays as it is: each path in full, in JSON's escapes.
func TestTerminalJSONLogKeepsPaths(t *testing.T) {
	p := start(t, "--log", "json", "--port", "0", "--proxy", "http://"+testenv.FreeAddr(t), t.TempDir())
	p.waitOutput(t, `"msg":"ready"`)
	var ready map[string]any
	json.Unmarshal([]byte(strings.SplitN(p.stdout.String(), "\n", 2)[0]), &ready)
	url, _ := ready["url"].(string)
	rawGet(t, url, "/%1b]0;pwned%07%0d%0a12:00:00%20forged")
	p.waitOutput(t, `"msg":"the backend did not answer"`)
	for _, line := range strings.Split(strings.TrimSpace(p.stdout.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON line: %v\n%q", err, line)
		}
		if rec["msg"] == "the backend did not answer" && rec["path"] != "/\x1b]0;pwned\x07\r\n12:00:00 forged" {
			t.Errorf("path %q, want the request's path as it came", rec["path"])
		}
	}
	if strings.ContainsAny(p.stdout.String(), "\x1b\x07\r") {
		t.Errorf("raw control characters in the JSON log:\n%q", p.stdout)
	}
}

// A file named with escapes reaches the terminal through the update line.
func TestTerminalFileNamesShownEscaped(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows: file names cannot hold control characters")
	}
	dir := t.TempDir()
	p := start(t, "--port", "0", dir)
	url := p.url(t)
	ws := dialTab(t, url)
	for _, f := range []struct{ name, shown string }{
		{"style\x1b]0;pwned\x07.css", `style\x1b]0;pwned\x07.css → css-update`},
		{"x\r\n12:00:00 forged\x1b[2J.html", `x\r\n12:00:00 forged\x1b[2J.html → live-reload`},
		{"clip\x1b]52;c;cHduZWQ=\x07\u202e.html", `clip\x1b]52;c;cHduZWQ=\x07\u202e.html → live-reload`},
	} {
		if err := os.WriteFile(filepath.Join(dir, f.name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		ack(t, ws)
		p.waitOutput(t, f.shown)
	}
	if why := rawControls(p.stdout.String(), false); why != "" {
		t.Errorf("the terminal got %s", why)
	}
}

// ack reads the next update and answers it as a tab does, so that its
// line is printed at once.
func ack(t *testing.T, ws *websocket.Conn) {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m struct {
		Type  string
		Epoch int64
	}
	if err := ws.ReadJSON(&m); err != nil {
		t.Fatal(err)
	}
	if err := ws.WriteJSON(map[string]any{"type": "applied", "epoch": m.Epoch, "did": "swapped", "ms": 1}); err != nil {
		t.Fatal(err)
	}
}

// backendPrints is a backend's output with every kind of control sequence:
// a title, a clear, a cursor move, the clipboard, a DCS, a reset, colours,
// and a progress bar.
const backendPrints = `printf '\033]0;pwned\007\033[2J\033[H\033[31mred\033[0m plain\033]52;c;cHduZWQ=\007 \033[5A\033P1$r\033\\\033cend\n'; ` +
	`printf '10%%\r100%% done\n'; exec sleep 60`

func TestTerminalBackendKeepsColoursOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows: the backend here is a POSIX shell command")
	}
	for _, c := range []struct {
		name   string
		args   []string
		colour bool
		want   string
	}{
		{"colour", nil, true, "backend │\x1b[0m \x1b[31mred\x1b[0m plain end\x1b[0m"},
		{"no colour", nil, false, "backend │ red plain end"},
		{"quiet", []string{"--quiet"}, false, "backend │ red plain end"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.colour {
				t.Setenv("CLICOLOR_FORCE", "1") // colours into a pipe, as on a terminal
			}
			p := start(t, append(c.args, "--port", "0", "--exec", backendPrints, t.TempDir())...)
			p.waitOutput(t, c.want)
			p.waitOutput(t, "100% done")
			out := p.stdout.String()
			if why := rawControls(out, c.colour); why != "" {
				t.Errorf("the terminal got %s", why)
			}
			if !c.colour && strings.Contains(out, "\x1b") {
				t.Errorf("escapes without colour:\n%q", out)
			}
			if strings.Contains(out, "10%") {
				t.Errorf("the progress bar's first step is shown:\n%q", out)
			}
		})
	}
}

func TestTerminalJSONLogKeepsBackendOutput(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows: the backend here is a POSIX shell command")
	}
	p := start(t, "--log", "json", "--port", "0", "--exec", backendPrints, t.TempDir())
	p.waitOutput(t, `"source":"backend"`)
	p.waitOutput(t, `100% done`)
	var lines []string
	for _, line := range strings.Split(strings.TrimSpace(p.stdout.String()), "\n") {
		var rec struct{ Msg, Source string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON line: %v\n%q", err, line)
		}
		if rec.Source == "backend" {
			lines = append(lines, rec.Msg)
		}
	}
	want := []string{"\x1b]0;pwned\a\x1b[2J\x1b[H\x1b[31mred\x1b[0m plain\x1b]52;c;cHduZWQ=\a \x1b[5A\x1bP1$r\x1b\\\x1bcend", "10%\r100% done"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("backend lines in JSON:\nhave: %q\nwant: %q", lines, want)
	}
}

// Errors quote paths and settings; on stderr they are escaped too.
func TestTerminalErrorsShownEscaped(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows: file names cannot hold control characters")
	}
	base := t.TempDir()
	file := filepath.Join(base, "page\x1b]0;pwned\x07.html")
	os.WriteFile(file, []byte("x"), 0o644)
	settings := filepath.Join(base, "site\x1b[2J")
	os.Mkdir(settings, 0o755)
	os.WriteFile(filepath.Join(settings, "hotserve.toml"), []byte("port = 0\nignore = 3\x1b]52;c;cHduZWQ=\x07\r\n12:00:00 forged\n"), 0o644)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"a file for a folder", []string{file}, `page\x1b]0;pwned\x07.html is a file, not a folder`},
		{"a broken settings line", []string{settings}, `site\x1b[2J`},
		{"init where one exists", []string{"init", settings}, `site\x1b[2J`},
		{"doctor of a file", []string{"doctor", file}, `page\x1b]0;pwned\x07.html is a file`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := start(t, c.args...)
			if code := p.exitCode(t); code == 0 {
				t.Errorf("exit code 0, want a failure")
			}
			if !strings.Contains(p.stderr.String(), c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, p.stderr)
			}
			if why := rawControls(p.stderr.String()+p.stdout.String(), false); why != "" {
				t.Errorf("the terminal got %s", why)
			}
		})
	}
}
