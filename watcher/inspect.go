package watcher

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// Environment is what this machine offers a watcher of one folder, for
// `hotserve doctor`: the kernel's inotify limits, who uses the watches,
// and whether the folder's file system can be watched at all.
type Environment struct {
	// MaxUserWatches, MaxUserInstances and MaxQueuedEvents are the
	// fs.inotify sysctls (0 if unknown).
	MaxUserWatches, MaxUserInstances, MaxQueuedEvents int
	// UserWatches is the number of watches all of this user's programs
	// hold; TopWatchers are the programs holding the most, largest first.
	UserWatches int
	TopWatchers []ProcessWatches
	// FSType and MountPoint describe the file system holding the folder;
	// PollReason says why it must be polled ("" when inotify works).
	FSType, MountPoint, PollReason string
}

// ProcessWatches is one program's share of the inotify watches.
type ProcessWatches struct {
	PID     int
	Command string
	Watches int
}

// WatchAdvice is the message a person needs when the watch limit is in
// the way, with the numbers and the commands that raise it now and for
// good; unwatched is how many more folders need a watch.
func (e Environment) WatchAdvice(unwatched int) string {
	l := limits{watches: e.MaxUserWatches, instances: e.MaxUserInstances, queue: e.MaxQueuedEvents}
	return limitAdvice(l, 0, e.UserWatches, unwatched)
}

// Inspect reads the environment of a watcher of root. It only reads /proc
// and never fails; what it cannot read stays zero.
func Inspect(root string) Environment {
	l := readLimits()
	e := Environment{MaxUserWatches: l.watches, MaxUserInstances: l.instances, MaxQueuedEvents: l.queue}
	all := watchHolders()
	for _, p := range all {
		e.UserWatches += p.Watches
	}
	e.TopWatchers = all[:min(len(all), 5)]
	if mounts, err := os.ReadFile("/proc/self/mounts"); err == nil {
		if real, err := filepath.EvalSymlinks(root); err == nil {
			root = real
		}
		e.FSType, e.MountPoint = mountOf(root, mounts)
	}
	e.PollReason = pollReason(root)
	return e
}

// watchHolders lists this user's programs that hold inotify watches, the
// most first, the way `grep inotify /proc/*/fdinfo/*` finds them. The
// watch limit is per user, so their sum is what is left for us.
func watchHolders() []ProcessWatches {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	uid := uint32(os.Getuid())
	var all []ProcessWatches
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		dir := "/proc/" + p.Name()
		var st syscall.Stat_t
		if syscall.Stat(dir, &st) != nil || st.Uid != uid {
			continue
		}
		w := processWatches(dir)
		if w == 0 {
			continue
		}
		comm, _ := os.ReadFile(dir + "/comm")
		all = append(all, ProcessWatches{PID: pid, Command: strings.TrimSpace(string(comm)), Watches: w})
	}
	slices.SortFunc(all, func(a, b ProcessWatches) int { return b.Watches - a.Watches })
	return all
}
