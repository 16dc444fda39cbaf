//go:build unix

package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// ignoreStop ignores the signal hotserve stops a backend with by default.
func ignoreStop() { signal.Ignore(syscall.SIGTERM) }

// shareListener makes the child inherit the listening socket, so that the
// port stays taken while the child lives.
func shareListener(cmd *exec.Cmd, ln *net.TCPListener) error {
	f, err := ln.File()
	if err != nil {
		return err
	}
	cmd.ExtraFiles = []*os.File{f}
	return nil
}

// leaveGroup starts the child in a session of its own, as a daemon does:
// outside the process group that hotserve signals.
func leaveGroup(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	return nil
}

// groupField is the start line's process group field.
func groupField() string { return fmt.Sprintf(" pgid=%d", syscall.Getpgrp()) }
