//go:build unix

package backend

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// How a person finds the processes a stop left behind, and stops one.
const (
	listCommand = "check them with ps"
	killCommand = "kill %d"
)

// findShell returns the shell that runs the commands, $SHELL or else
// /bin/sh, and a note to say once at start of what hotserve cannot do
// here: without a process list, find no child that left the group.
func findShell() (shell, note string) {
	if _, ok := listProcs(); !ok {
		note = "backend: " + runtime.GOOS + " gives no process list, so a child that leaves the backend's process group (setsid) is not stopped with it"
	}
	return cmp.Or(os.Getenv("SHELL"), "/bin/sh"), note
}

// shellCommand runs command with shell -c in a process group of its own,
// so that the terminal's Ctrl-C reaches hotserve alone and a stop reaches
// the whole group.
func shellCommand(shell, command string) *exec.Cmd {
	cmd := exec.Command(shell, "-c", command)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

// tree is a process group, whose id is the shell's pid, and the
// descendants that left it (a daemon that called setsid), found before
// each signal: once their parent dies they are reparented and no longer
// look like ours.
type tree struct {
	pgid int

	mu      sync.Mutex // escaped is read by release, from Wait's goroutine
	escaped []int
}

// startTree starts cmd and hands its group to this process's watchdog,
// which kills it should hotserve die without stopping it. warn is told
// when there is no watchdog.
func startTree(cmd *exec.Cmd, warn func(string)) (*tree, error) {
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("backend: cannot run %s: %w; set $SHELL to a working shell", cmd.Path, err)
	}
	t := &tree{pgid: cmd.Process.Pid}
	if err := watchGroup(t.pgid); err != nil {
		warn(err.Error())
	}
	return t, nil
}

// signal sends sig to the group and to the descendants that left it.
func (t *tree) signal(sig syscall.Signal) error {
	t.mu.Lock()
	for _, pid := range escapees(t.pgid) {
		if !slices.Contains(t.escaped, pid) {
			t.escaped = append(t.escaped, pid)
		}
	}
	escaped := slices.Clone(t.escaped)
	t.mu.Unlock()
	var errs []error
	if err := unix.Kill(-t.pgid, sig); err != nil && !errors.Is(err, unix.ESRCH) {
		errs = append(errs, fmt.Errorf("backend: %v to process group %d: %w", sig, t.pgid, err))
	}
	for _, pid := range escaped {
		if err := unix.Kill(pid, sig); err != nil && !errors.Is(err, unix.ESRCH) {
			errs = append(errs, fmt.Errorf("backend: %v to process %d: %w", sig, pid, err))
		}
	}
	return errors.Join(errs...)
}

// kill sends SIGKILL the same way.
func (t *tree) kill() error { return t.signal(unix.SIGKILL) }

// survivors lists the live processes of the group and the escapees. Where
// the OS cannot list processes, a group that still answers is reported by
// its id.
func (t *tree) survivors() []int {
	procs, ok := listProcs()
	if !ok {
		if unix.Kill(-t.pgid, 0) == nil {
			return []int{t.pgid}
		}
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var pids []int
	for _, s := range procs {
		if s.pgrp == t.pgid || slices.Contains(t.escaped, s.pid) {
			pids = append(pids, s.pid)
		}
	}
	return pids
}

// release takes the group off the watchdog's list once nothing is left of
// it.
func (t *tree) release() {
	if len(t.survivors()) == 0 {
		unwatchGroup(t.pgid)
	}
}

// escapees lists the descendants of the group's processes that are in
// another process group.
func escapees(pgid int) []int {
	procs, _ := listProcs()
	children := make(map[int][]int)
	inGroup := make(map[int]bool)
	var todo []int
	for _, s := range procs {
		children[s.ppid] = append(children[s.ppid], s.pid)
		inGroup[s.pid] = s.pgrp == pgid
		if s.pgrp == pgid {
			todo = append(todo, s.pid)
		}
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
