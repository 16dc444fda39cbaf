package main

import (
	"os"
	"os/exec"
	"syscall"
	"testing"

	"golang.org/x/sys/windows"
)

// ownProcessGroup starts cmd in a process group of its own, so that
// interrupt reaches it and not the test.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NEW_PROCESS_GROUP}
}

// interrupt is Ctrl-Break, which Go delivers as os.Interrupt; Windows
// sends Ctrl-C to no process group but the console's own.
func interrupt(t *testing.T, p *os.Process) {
	t.Helper()
	if err := windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, uint32(p.Pid)); err != nil {
		t.Fatal(err)
	}
}
