package backend

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Timing of a stop. The group is looked at every pollInterval; after
// SIGKILL it has killWait to disappear before the stop reports failure.
const (
	pollInterval = 5 * time.Millisecond
	killWait     = 2 * time.Second
	outputWait   = 200 * time.Millisecond
)

// process is one run of a shell command, in a process group of its own
// whose id is the shell's pid.
type process struct {
	cmd     *exec.Cmd
	pgid    int
	started time.Time
	out     *output
	// done is closed once Wait has returned; err is its result.
	done chan struct{}
	err  error
	// copied is closed when the output pipe is drained: every process
	// holding its write end has exited.
	copied chan struct{}
}

// spawn starts command through shell -c in a new process group, its stdout
// and stderr going, line by line, to out. Stdin is /dev/null: a process
// outside the terminal's foreground group that read the terminal would be
// stopped by SIGTTIN.
//
// The output pipe is created here rather than by exec.Cmd, whose Wait
// would block until every holder of the pipe exits, including a child that
// escaped the group: here Wait returns when the shell exits, and the
// copying goroutine ends whenever the last holder does.
func spawn(shell, command, dir string, out *output) (*process, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("backend: cannot make an output pipe: %w", err)
	}
	cmd := exec.Command(shell, "-c", command)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("backend: cannot run %s: %w; set $SHELL to a working shell", shell, err)
	}
	p := &process{
		cmd:     cmd,
		pgid:    cmd.Process.Pid,
		started: time.Now(),
		out:     out,
		done:    make(chan struct{}),
		copied:  make(chan struct{}),
	}
	go func() {
		out.copy(r)
		r.Close()
		close(p.copied)
	}()
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether Wait has returned.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// status describes how the process ended, after done: "exit status 1",
// "signal: killed".
func (p *process) status() (code int, text string) {
	if p.err == nil {
		return 0, "exit status 0"
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode(), ee.Error()
	}
	return -1, p.err.Error()
}

// tail waits briefly for the output to be drained, so that the last words
// of a process that just exited are in, and returns its last lines.
func (p *process) tail() string {
	select {
	case <-p.copied:
	case <-time.After(outputWait): // a child that escaped still holds the pipe
	}
	return p.out.tail()
}

// stop ends the process and everything it started: sig to the whole group
// (and to descendants that left it, found before signalling, since they are
// reparented once their parent dies), up to timeout for all of them to
// exit, then SIGKILL to the same set. It returns once none is left, or
// with an error naming the survivors. Errors are joined, not dropped.
func (p *process) stop(sig syscall.Signal, timeout time.Duration) error {
	escaped := escapees(p.pgid)
	var errs []error
	send := func(s syscall.Signal) {
		if err := syscall.Kill(-p.pgid, s); err != nil && !errors.Is(err, syscall.ESRCH) {
			errs = append(errs, fmt.Errorf("backend: %v to process group %d: %w", s, p.pgid, err))
		}
		for _, pid := range escaped {
			if err := syscall.Kill(pid, s); err != nil && !errors.Is(err, syscall.ESRCH) {
				errs = append(errs, fmt.Errorf("backend: %v to process %d: %w", s, pid, err))
			}
		}
	}
	send(sig)
	if p.waitGone(escaped, timeout) {
		return errors.Join(errs...)
	}
	send(syscall.SIGKILL)
	if !p.waitGone(escaped, killWait) {
		errs = append(errs, fmt.Errorf("backend: processes %v survived SIGKILL (stuck in the kernel?); check them with ps", p.survivors(escaped)))
	}
	return errors.Join(errs...)
}

// waitGone waits up to d for the shell to be reaped and for no live
// process to remain in the group or among the escapees.
func (p *process) waitGone(escaped []int, d time.Duration) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		if p.exited() && len(p.survivors(escaped)) == 0 {
			return true
		}
		select {
		case <-deadline.C:
			return false
		case <-p.done:
		case <-tick.C:
		}
	}
}

// survivors lists the live processes of the group and the escapees.
func (p *process) survivors(escaped []int) []int {
	var pids []int
	for _, s := range procStats() {
		if s.pgrp == p.pgid || slices.Contains(escaped, s.pid) {
			pids = append(pids, s.pid)
		}
	}
	return pids
}

// escapees lists the descendants of the group's processes that are in
// another process group (a daemon that called setsid, say).
func escapees(pgid int) []int {
	stats := procStats()
	children := make(map[int][]int)
	var todo []int
	for _, s := range stats {
		children[s.ppid] = append(children[s.ppid], s.pid)
		if s.pgrp == pgid {
			todo = append(todo, s.pid)
		}
	}
	inGroup := make(map[int]bool)
	for _, s := range stats {
		inGroup[s.pid] = s.pgrp == pgid
	}
	var out []int
	seen := make(map[int]bool)
	for len(todo) > 0 {
		pid := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, c := range children[pid] {
			if seen[c] {
				continue
			}
			seen[c] = true
			if !inGroup[c] {
				out = append(out, c)
			}
			todo = append(todo, c)
		}
	}
	return out
}

// procStat is what /proc/PID/stat says about one live process.
type procStat struct{ pid, ppid, pgrp int }

// procStats lists every process that is not a zombie. Zombies are dead:
// they hold no port and no file, and an orphan's zombie may linger until
// PID 1 gets round to reaping it.
func procStats() []procStat {
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	stats := make([]procStat, 0, len(paths))
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid pgrp …; comm may hold spaces and ')'.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(s[:strings.IndexByte(s, ' ')]))
		ppid, _ := strconv.Atoi(f[1])
		pgrp, _ := strconv.Atoi(f[2])
		stats = append(stats, procStat{pid: pid, ppid: ppid, pgrp: pgrp})
	}
	return stats
}
