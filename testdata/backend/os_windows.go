package main

import (
	"net"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// ignoreStop ignores CTRL_BREAK_EVENT, which hotserve stops a backend with.
// signal.Ignore would not do: Go then lets Windows' default handler end
// the process. A signal that is caught and never read is ignored.
func ignoreStop() { signal.Notify(make(chan os.Signal, 1), os.Interrupt) }

// shareListener makes the child inherit the listening socket's handle, so
// that the port stays taken while the child lives.
func shareListener(cmd *exec.Cmd, ln *net.TCPListener) error {
	raw, err := ln.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	err = raw.Control(func(fd uintptr) {
		serr = windows.SetHandleInformation(windows.Handle(fd), windows.HANDLE_FLAG_INHERIT, windows.HANDLE_FLAG_INHERIT)
		cmd.SysProcAttr = &syscall.SysProcAttr{AdditionalInheritedHandles: []syscall.Handle{syscall.Handle(fd)}}
	})
	if err != nil {
		return err
	}
	return serr
}

// leaveGroup starts the child as a daemon would on Windows: in a process
// group of its own, without a console (so no console event reaches it),
// and out of its job if the job lets it, which hotserve's must not.
func leaveGroup(cmd *exec.Cmd) error {
	flags := uint32(windows.CREATE_NEW_PROCESS_GROUP | windows.DETACHED_PROCESS)
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	err := windows.QueryInformationJobObject(0, windows.JobObjectExtendedLimitInformation, uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)), nil)
	if err == nil && info.BasicLimitInformation.LimitFlags&(windows.JOB_OBJECT_LIMIT_BREAKAWAY_OK|windows.JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK) != 0 {
		flags |= windows.CREATE_BREAKAWAY_FROM_JOB
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: flags}
	return nil
}

// groupField is the start line's process group field: none on Windows,
// where a process cannot ask for its console process group.
func groupField() string { return "" }
