package main

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/hotserve/hotserve/watcher"
)

// system checks what Linux limits: inotify's watches and queue (one watch
// per folder, per user), and the open files.
func (d *doctor) system(root string, t tree) {
	env := watcher.Inspect(root)
	d.fileSystem(env.FSType, env.MountPoint, env.PollReason, "inotify")
	if env.MaxUserWatches > 0 {
		need := env.UserWatches + t.folders
		line := fmt.Sprintf("inotify watches: %d of %d in use by your programs; this folder needs %d more", env.UserWatches, env.MaxUserWatches, t.folders)
		if need*10 > env.MaxUserWatches*8 {
			d.warn("%s\n      %s", line, env.WatchAdvice(t.folders))
		} else {
			d.ok("%s", line)
		}
		for _, p := range env.TopWatchers {
			d.detail("%7d  %s (pid %d)", p.Watches, p.Command, p.PID)
		}
	} else {
		d.warn("inotify watches: the limit cannot be read from /proc/sys/fs/inotify; is /proc mounted?")
	}
	if env.MaxQueuedEvents > 0 && env.MaxQueuedEvents < 16384 {
		d.warn("inotify queue: fs.inotify.max_queued_events is %d; a large checkout will overflow it (hotserve then rescans). Raise it with `sudo sysctl fs.inotify.max_queued_events=16384`", env.MaxQueuedEvents)
	}

	var lim unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &lim) == nil {
		if ok, line := linuxOpenFiles(lim.Cur, lim.Max); ok {
			d.ok("%s", line)
		} else {
			d.warn("%s", line)
		}
	}
}

// portHolderCommand shows who listens on port, other users' programs
// included.
func portHolderCommand(port int) string {
	return fmt.Sprintf("sudo ss -ltnp 'sport = :%d'", port)
}
