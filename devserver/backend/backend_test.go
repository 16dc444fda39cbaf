package backend

import (
	"fmt"
	"log/slog"
	"maps"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/syncbuf"
	"github.com/hotserve/hotserve/internal/testenv"
)

// TestMain runs the test binary as a backend's parent when parentEnv asks
// (see parent), and as the tests otherwise.
func TestMain(m *testing.M) {
	if command := os.Getenv(parentEnv); command != "" {
		os.Exit(parent(command))
	}
	os.Exit(testenv.Run(m))
}

// command is the shell command line that runs the test backend with args;
// its path is quoted, which every shell hotserve uses (sh, cmd.exe) reads.
func command(t testing.TB, args ...string) string {
	t.Helper()
	return strings.Join(append([]string{`"` + testenv.Backend(t) + `"`}, args...), " ")
}

// harness is a running supervisor and what it has said.
type harness struct {
	s      *Supervisor
	events chan Event
	out    *syncbuf.Buffer
	log    *syncbuf.Buffer
	addr   string
}

// run supervises the test backend started with args (and -addr), ready
// when its port accepts.
func run(t *testing.T, cfg Config, args ...string) *harness {
	t.Helper()
	h := &harness{events: make(chan Event, 100), out: new(syncbuf.Buffer), log: new(syncbuf.Buffer), addr: testenv.FreeAddr(t)}
	cfg.Command = command(t, append([]string{"-addr", h.addr}, args...)...)
	cfg.Ready = h.addr
	cfg.Output = h.out
	cfg.Log = slog.New(slog.NewTextHandler(h.log, nil))
	cfg.Notify = func(e Event) { h.events <- e }
	s, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.s = s
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return h
}

// next waits for the next event, which must be of kind.
func (h *harness) next(t *testing.T, kind Kind) Event {
	t.Helper()
	select {
	case e := <-h.events:
		if e.Kind != kind {
			t.Fatalf("event %+v, want kind %d\noutput:\n%s\nlog:\n%s", e, kind, h.out, h.log)
		}
		return e
	case <-time.After(15 * time.Second):
		t.Fatalf("no event of kind %d within 15s\noutput:\n%s\nlog:\n%s", kind, h.out, h.log)
	}
	return Event{}
}

// none asserts that no event comes within d.
func (h *harness) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case e := <-h.events:
		t.Fatalf("unexpected event %+v\noutput:\n%s", e, h.out)
	case <-time.After(d):
	}
}

// waitPIDs waits until the backend has printed n pids as name=N: its port
// may accept before its output is read.
func (h *harness) waitPIDs(t *testing.T, name string, n int) []int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(h.pids(name)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("want %d of %q in the output:\n%s", n, name, h.out)
		}
		time.Sleep(pollInterval)
	}
	return h.pids(name)
}

// pids returns every pid the backend printed as name=N ("pid", "child pid").
func (h *harness) pids(name string) []int {
	var pids []int
	for _, m := range regexp.MustCompile(`backend `+name+`=(\d+)`).FindAllStringSubmatch(h.out.String(), -1) {
		n, _ := strconv.Atoi(m[1])
		pids = append(pids, n)
	}
	return pids
}

func TestRestartLeavesNoProcessOfTheOldGroup(t *testing.T) {
	h := run(t, Config{StopTimeout: 300 * time.Millisecond}, "-child")
	h.next(t, Up)
	old, child := h.waitPIDs(t, "pid", 1), h.waitPIDs(t, "child pid", 1)
	h.s.Restart(false, "config.json changed")
	if e := h.next(t, Up); e.Reason != "config.json changed" {
		t.Errorf("reason %q, want the one given to Restart", e.Reason)
	}
	// The child ignored SIGTERM and held the listening socket: the new
	// backend could only listen because the child was killed first.
	for _, pid := range []int{old[0], child[0]} {
		if alive(pid) {
			t.Errorf("pid %d of the old group is still alive", pid)
		}
	}
	if now := h.waitPIDs(t, "pid", 2); !alive(now[1]) {
		t.Errorf("want a second, live backend; output:\n%s", h.out)
	}
}

func TestStopWaitsForTheSignalThenKills(t *testing.T) {
	const timeout = 600 * time.Millisecond
	cases := []struct {
		name     string
		args     []string
		min, max time.Duration
	}{
		{"exits on SIGTERM (CTRL_BREAK_EVENT): no waiting for the timeout", nil, 0, timeout / 2},
		{"ignores SIGTERM (CTRL_BREAK_EVENT): killed after the timeout", []string{"-ignore-term"}, timeout, timeout + time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := run(t, Config{StopTimeout: timeout}, c.args...)
			h.next(t, Up)
			old := h.waitPIDs(t, "pid", 1)[0]
			start := time.Now()
			h.s.Restart(false, "test")
			// The stop's time is until the old backend is gone, whatever
			// the new one then takes to start.
			for alive(old) {
				if time.Since(start) > c.max+time.Second {
					t.Fatalf("old backend %d still alive after %v", old, time.Since(start))
				}
				time.Sleep(pollInterval)
			}
			took := time.Since(start)
			h.next(t, Up)
			least, most := c.min, c.max
			if strings.Contains(h.log.String(), "cannot send CTRL_BREAK_EVENT") {
				// A Windows without a console that can carry it (Wine 8
				// has none): the stop must kill at once, not wait.
				t.Log("CTRL_BREAK_EVENT cannot be sent here; the stop must kill at once")
				least, most = 0, timeout/2
			}
			if took < least || took > most {
				t.Errorf("stop took %v, want %v to %v", took, least, most)
			}
		})
	}
}

func TestCloseKillsChildThatLeftTheGroup(t *testing.T) {
	h := run(t, Config{StopTimeout: 300 * time.Millisecond}, "-escape")
	h.next(t, Up)
	escaped := h.waitPIDs(t, "escaped pid", 1)
	backend := h.waitPIDs(t, "pid", 1)
	if err := h.s.Close(); err != nil {
		t.Fatal(err)
	}
	if alive(escaped[0]) || alive(backend[0]) {
		t.Errorf("a process survived Close: backend %v, escaped child %v", backend, escaped)
	}
}

func TestBurstOfRestartsIsOne(t *testing.T) {
	h := run(t, Config{})
	h.next(t, Up)
	for i := range 10 {
		h.s.Restart(false, fmt.Sprintf("change %d", i))
	}
	e := h.next(t, Up)
	// At most one restart may have begun before the rest arrived; they
	// all merge into the one after it, which takes about as long as this
	// one did (longer under Wine, where a process starts slowly).
	window := 2*e.Took + 300*time.Millisecond
	select {
	case e := <-h.events:
		if e.Kind != Up || !strings.HasPrefix(e.Reason, "change ") {
			t.Fatalf("event %+v, want the restart for the changes that came after the first", e)
		}
	case <-time.After(window):
	}
	h.none(t, window)
	if n := len(h.pids("pid")); n > 3 {
		t.Errorf("%d backends started for 10 quick restarts, want at most 3 (start, one, one merged)", n)
	}
}

func TestCrashIsReportedAndNeverSpins(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "config.json")
	write := func(s string) {
		if err := os.WriteFile(conf, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"crash": true}`)

	t.Run("waits for the next change", func(t *testing.T) {
		h := run(t, Config{}, "-config", conf)
		e := h.next(t, Exited)
		if e.Code != 3 || !strings.Contains(e.Tail, "config says crash") || e.Next != "on the next change" {
			t.Errorf("exit event %+v, want code 3, the last output and when it restarts", e)
		}
		h.none(t, time.Second)
		write(`{"title": "fixed"}`)
		h.s.Restart(false, "config.json changed")
		h.next(t, Up)
		write(`{"crash": true}`)
	})
	t.Run("restart on crash backs off", func(t *testing.T) {
		h := run(t, Config{RestartOnCrash: true}, "-config", conf)
		start := time.Now()
		var exits int
		for time.Since(start) < 2*time.Second {
			select {
			case e := <-h.events:
				if e.Kind != Exited {
					t.Fatalf("event %+v", e)
				}
				exits++
			case <-time.After(100 * time.Millisecond):
			}
		}
		// Starts at 0, +0.5s, +1.5s (backoff doubling): three in two
		// seconds, not hundreds.
		if exits < 2 || exits > 4 {
			t.Errorf("%d crashes in 2s, want 2-4 (backoff from 500ms doubling)", exits)
		}
	})
}

func TestBuildFailureKeepsTheOldBackend(t *testing.T) {
	dir := t.TempDir()
	code := filepath.Join(dir, "code")
	os.WriteFile(code, []byte("0"), 0o644)
	// Two quoted words and an && (no space before it: cmd.exe's echo
	// prints trailing spaces): what cmd.exe mangles unless it is given the
	// command verbatim.
	h := run(t, Config{Build: "echo build&& " + command(t, "-build", `"`+code+`"`)})
	h.next(t, Up)
	old := h.waitPIDs(t, "pid", 1)[0]

	os.WriteFile(code, []byte("4"), 0o644)
	h.s.Restart(true, "main.go changed")
	e := h.next(t, BuildFailed)
	if e.Code != 4 || !strings.Contains(e.Tail, "building") {
		t.Errorf("build failure %+v, want code 4 and its output", e)
	}
	if !alive(old) {
		t.Errorf("the old backend was stopped although the build failed")
	}
	// A config change after a failed build still builds first.
	os.WriteFile(code, []byte("0"), 0o644)
	h.s.Restart(false, "config.json changed")
	h.next(t, Up)
	h.waitPIDs(t, "pid", 2)
	if strings.Count(h.out.String(), "build\n") != 3 || strings.Count(h.out.String(), "building") != 3 {
		t.Errorf("want three builds (start, failed, retried), output:\n%s", h.out)
	}
}

func TestPortHolderIsNamed(t *testing.T) {
	ln := testenv.Listen(t)
	port := ln.Addr().(*net.TCPAddr).Port
	pid, name, busy := PortHolder(port)
	switch {
	case runtime.GOOS != "linux" && runtime.GOOS != "windows", underWine():
		// macOS and the BSDs name no holder; nor does Wine 8, whose
		// GetExtendedTcpTable gives every socket the owner pid 0.
		if !busy || pid != 0 || !strings.Contains(UnnamedHolder(port), strconv.Itoa(port)) {
			t.Errorf("PortHolder(%d) = %d %q %v, want held by a process it cannot name (%s)", port, pid, name, busy, UnnamedHolder(port))
		}
	case !busy || pid != os.Getpid() || name == "":
		t.Errorf("PortHolder(%d) = %d %q %v, want this test (%d) and its name", port, pid, name, busy, os.Getpid())
	}
	ln.Close()
	if _, _, busy := PortHolder(port); busy {
		t.Errorf("port %d still counts as held after Close", port)
	}
}

func TestParseSignal(t *testing.T) {
	// Every OS: the default, a kill, names in any case, with or without
	// SIG, and names that are no stop signal anywhere.
	want := map[string]string{"TERM": "", "SIGINT": "", "kill": "", "STOP": "unknown stop signal", "": "unknown stop signal"}
	if runtime.GOOS == "windows" {
		// Only what maps to CTRL_BREAK_EVENT or to terminating the job.
		maps.Copy(want, map[string]string{"break": "", "hup": "cannot be sent on Windows", "usr2": "cannot be sent on Windows"})
	} else {
		maps.Copy(want, map[string]string{"hup": "", "usr2": "", "BREAK": "is Windows' CTRL_BREAK_EVENT"})
	}
	for in, refusal := range want {
		_, err := ParseSignal(in)
		if (err == nil) != (refusal == "") || err != nil && !strings.Contains(err.Error(), refusal) {
			t.Errorf("ParseSignal(%q) error %v, want %q", in, err, refusal)
		}
	}
	if _, err := ParseSignal("STOP"); err == nil || !strings.Contains(err.Error(), "TERM, INT") {
		t.Errorf("error does not list the valid names: %v", err)
	}
}
