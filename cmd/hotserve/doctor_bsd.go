//go:build darwin || dragonfly || freebsd

package main

import (
	"cmp"
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"

	"github.com/hotserve/hotserve/watcher"
)

// system checks what macOS and the BSDs limit: kqueue holds one open file
// per folder and file, so the open-file limits are the watch budget.
func (d *doctor) system(root string, t tree) {
	env := watcher.Inspect(root)
	d.fileSystem(cmp.Or(env.FSType, "unknown"), cmp.Or(env.MountPoint, root), env.PollReason, "kqueue")

	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		d.warn("open files: the limit cannot be read: %v", err)
		return
	}
	l := kqueueLimits{hard: uint64(lim.Max)}
	if n, err := unix.SysctlUint32("kern.maxfilesperproc"); err == nil {
		l.perProc = uint64(n)
	}
	if n, err := unix.SysctlUint32("kern.maxfiles"); err == nil {
		l.system = uint64(n)
	}
	if ok, line := kqueueOpenFiles(runtime.GOOS, l, t); ok {
		d.ok("%s", line)
	} else {
		d.warn("%s", line)
	}
}

// portHolderCommand shows who listens on port, other users' programs
// included.
func portHolderCommand(port int) string {
	if runtime.GOOS == "darwin" {
		return fmt.Sprintf("sudo lsof -nP -iTCP:%d -sTCP:LISTEN", port)
	}
	return fmt.Sprintf("sockstat -l -P tcp -p %d", port)
}
