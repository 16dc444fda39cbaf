//go:build unix

package backend

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The watchdog kills the backends of a hotserve that died without stopping
// them: SIGKILLed, crashed, out of memory. Nothing in the kernel does this
// for a process group (Pdeathsig fires when the thread that forked dies,
// and Go's threads come and go), so each hotserve process that starts a
// backend also starts one watchdog: itself, re-executed in watchdog mode,
// reading a pipe whose only write end hotserve holds. hotserve writes
// "+PGID" for each group it starts and "-PGID" once a group is gone; when
// the pipe reaches end of file, hotserve has exited, however it did, and
// the watchdog SIGKILLs every group still listed (and, where the OS lists
// processes, their escaped descendants), then exits. A clean exit has
// already stopped every group, so the list is empty then.
//
// The watchdog is in a process group of its own: a kill of hotserve's
// whole group (a terminal, an IDE, a CI runner) does not reach it, nor do
// the terminal's Ctrl-C and hangup. It also ignores SIGINT, SIGHUP and
// SIGTERM sent to it by name, since it is harmless: it ends with hotserve.
//
// One watchdog per process, not per supervisor, because it watches the
// process: so the state below is package-level.

// watchdogEnv, set to "1", makes a hotserve binary a watchdog.
const watchdogEnv = "HOTSERVE_BACKEND_WATCHDOG"

// pruneInterval is how often the watchdog drops groups that are empty, so
// that a group id the kernel reuses later is never killed.
const pruneInterval = time.Second

// init is the entry hook. It runs in every binary that links this package
// (hotserve, and the test binaries of every package that starts backends),
// before main or TestMain, so no binary can forget it; a forgotten hook
// would make a re-executed test binary run its whole suite as the
// "watchdog".
func init() {
	if os.Getenv(watchdogEnv) == "1" {
		watchdogMain(os.Stdin)
		os.Exit(0)
	}
}

// watchdog is this process's pipe to its watchdog, and the groups it has
// been told of, to tell a new one should the first die.
var watchdog struct {
	mu     sync.Mutex
	w      io.WriteCloser // nil before the first group, and after a failure
	groups map[int]bool
}

// watchGroup adds pgid to the watchdog's list, starting the watchdog (or a
// new one, told every group, if the last one died). It returns an error
// when there is no watchdog to be had.
func watchGroup(pgid int) error {
	watchdog.mu.Lock()
	defer watchdog.mu.Unlock()
	if watchdog.groups == nil {
		watchdog.groups = make(map[int]bool)
	}
	watchdog.groups[pgid] = true
	if watchdog.w != nil {
		if _, err := fmt.Fprintf(watchdog.w, "+%d\n", pgid); err == nil {
			return nil
		}
		watchdog.w.Close()
		watchdog.w = nil
	}
	w, err := startWatchdog()
	if err != nil {
		return fmt.Errorf("backend: cannot start the watchdog that stops the backend should this program be killed (%v); if it is killed, the backend may go on running", err)
	}
	for g := range watchdog.groups {
		fmt.Fprintf(w, "+%d\n", g)
	}
	watchdog.w = w
	return nil
}

// unwatchGroup takes pgid off the list.
func unwatchGroup(pgid int) {
	watchdog.mu.Lock()
	defer watchdog.mu.Unlock()
	if !watchdog.groups[pgid] {
		return
	}
	delete(watchdog.groups, pgid)
	if watchdog.w != nil {
		fmt.Fprintf(watchdog.w, "-%d\n", pgid) // on failure, the next watchGroup starts a new one
	}
}

// startWatchdog runs this executable as the watchdog and returns the write
// end of its pipe. The write end is close-on-exec, like every descriptor
// Go opens, so no backend can hold it open.
func startWatchdog() (io.WriteCloser, error) {
	exe := "/proc/self/exe" // still there when the binary was deleted or replaced
	if runtime.GOOS != "linux" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(exe)
	cmd.Args = []string{"hotserve backend watchdog"}
	cmd.Env = append(os.Environ(), watchdogEnv+"=1")
	cmd.Dir = "/" // holds no folder of the project
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	w, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		cmd.Wait() // reaps it; should it die early, the next watchGroup starts another
		watchdog.mu.Lock()
		defer watchdog.mu.Unlock()
		if watchdog.w == w {
			watchdog.w = nil
		}
	}()
	return w, nil
}

// watchdogMain is the watchdog: it keeps the list from r and, at end of
// file, kills what is on it.
func watchdogMain(r io.Reader) {
	signal.Ignore(syscall.SIGINT, syscall.SIGHUP, syscall.SIGTERM)
	var mu sync.Mutex
	groups := make(map[int]bool)
	go func() {
		for range time.Tick(pruneInterval) {
			mu.Lock()
			for g := range groups {
				if unix.Kill(-g, 0) == unix.ESRCH {
					delete(groups, g)
				}
			}
			mu.Unlock()
		}
	}()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if len(line) < 2 {
			continue
		}
		pgid, err := strconv.Atoi(line[1:])
		if err != nil || pgid <= 1 { // never 0 (our own group) nor 1 (init's)
			continue
		}
		mu.Lock()
		switch line[0] {
		case '+':
			groups[pgid] = true
		case '-':
			delete(groups, pgid)
		}
		mu.Unlock()
	}
	mu.Lock()
	defer mu.Unlock()
	// Find the escapees first: once their parents die they are reparented
	// and no longer look like the group's.
	var escaped []int
	for g := range groups {
		escaped = append(escaped, escapees(g)...)
	}
	for g := range groups {
		unix.Kill(-g, unix.SIGKILL)
	}
	for _, pid := range escaped {
		unix.Kill(pid, unix.SIGKILL)
	}
}
