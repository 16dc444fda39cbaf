package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/testenv"
)

// Ctrl-C, a kill, or the terminal closing (SIGHUP) all stop the backend's
// whole group with hotserve.
func TestRunsBackendAndStopsItWithHotserve(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only: it reads /proc to see that the backend's processes are gone")
	}
	backend := testenv.Backend(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) { runBackendUntil(t, backend, sig) })
	}
}

func runBackendUntil(t *testing.T, backend string, sig syscall.Signal) {
	addr := testenv.FreeAddr(t)

	p := start(t, "--port", "0", "--exec", backend+" -addr "+addr+" -child", "--proxy", "http://"+addr, "--stop-timeout", "500ms", t.TempDir())
	url := p.url(t)
	if body := get(t, url); !strings.Contains(body, "<h1>untitled</h1>") || !strings.Contains(body, "/__hotserve/client.js") {
		t.Errorf("the backend's page, with the client, was expected:\n%s", body)
	}
	p.waitOutput(t, "backend │ backend pid=")
	p.waitOutput(t, "backend ready · reason start")
	pids := backendPIDs(t, p.stdout.String(), 2)

	p.cmd.Process.Signal(sig)
	if code := p.exitCode(t); code != 0 {
		t.Errorf("exit code %d after %v, want 0\nstderr: %s", code, sig, p.stderr)
	}
	assertBackendsGone(t, sig, 0, pids, addr)
}

// backendPIDs returns the pids the test backends printed (testdata/backend
// says "backend pid=N" and "backend child pid=N"), want of them.
func backendPIDs(t *testing.T, out string, want int) []int {
	t.Helper()
	var pids []int
	for _, m := range regexp.MustCompile(`backend (?:child )?pid=(\d+)`).FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[1])
		pids = append(pids, n)
	}
	if len(pids) != want {
		t.Fatalf("want %d pids of the backends and their children in the output:\n%s", want, out)
	}
	return pids
}

// assertBackendsGone fails unless every process of pids is gone (or a
// zombie) within wait after hotserve stopped on sig (at once for 0), and
// no backend answers on addrs.
func assertBackendsGone(t *testing.T, sig syscall.Signal, wait time.Duration, pids []int, addrs ...string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for _, pid := range pids {
		for {
			_, err := os.Stat(fmt.Sprintf("/proc/%d", pid))
			if err != nil || zombie(pid) {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("backend process %d outlived hotserve (%v)", pid, sig)
				break
			}
			time.Sleep(20 * time.Millisecond) // poll interval
		}
	}
	for _, addr := range addrs {
		if backendAnswers(addr) {
			t.Errorf("the backend still answers on %s after hotserve stopped", addr)
		}
	}
}

func zombie(pid int) bool {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	s := string(b)
	return strings.Contains(s[strings.LastIndexByte(s, ')')+1:], " Z ")
}

func TestBackendFlagsFailClearly(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown stop signal", []string{"--exec", "true", "--stop-signal", "STOP"}, 2, `--stop-signal: unknown stop signal "STOP"; use one of TERM, INT, HUP`},
		{"stop timeout zero", []string{"--exec", "true", "--stop-timeout", "0s"}, 2, "--stop-timeout 0s must be positive"},
		{"build without exec", []string{"--build", "make"}, 1, "give the command that runs it (--exec"},
		{"proxy not a URL", []string{"--proxy", "localhost:3000"}, 1, `hotserve: --proxy "localhost:3000" is not an http:// or https:// URL`},
		{"proxy-all without proxy", []string{"--proxy-all"}, 1, "--proxy-all needs --proxy, the backend's URL"},
		{"bad restart glob", []string{"--exec", "true", "--restart-on", "[a"}, 1, `hotserve: --restart-on "[a" is not a valid glob`},
		{"allowed host with a scheme", []string{"--allowed-host", "http://mybox"}, 1, `hotserve: --allowed-host "http://mybox" is not a host name`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := start(t, append(c.args, t.TempDir())...)
			if code := p.exitCode(t); code != c.code {
				t.Errorf("exit code %d, want %d", code, c.code)
			}
			if !strings.Contains(p.stderr.String(), c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, p.stderr)
			}
		})
	}
}

// backendAnswers reports whether the test backend (testdata/backend)
// answers on addr: whatever else has taken the port since, a test server
// of another package running at the same time, is not it.
func backendAnswers(addr string) bool {
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get("http://" + addr + "/")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return strings.Contains(string(body), "<h1>untitled</h1>")
}
