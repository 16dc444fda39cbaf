package watcher

// Environment is what this machine offers a watcher of one folder, for
// `hotserve doctor`: the OS's watch budget (the kernel's inotify limits on
// Linux), who uses the watches, and whether the folder's file system can
// be watched at all.
type Environment struct {
	// Mode is the native notification this OS has (Stats.Mode's word for
	// it); WatchBudget is how much of its budget a watcher may hold (0 for
	// none or unknown), the share of the open-file limit on macOS and the
	// BSDs.
	Mode        string
	WatchBudget int
	// MaxUserWatches, MaxUserInstances and MaxQueuedEvents are the
	// fs.inotify sysctls (Linux; 0 if unknown or elsewhere).
	MaxUserWatches, MaxUserInstances, MaxQueuedEvents int
	// UserWatches is the number of watches all of this user's programs
	// hold; TopWatchers are the programs holding the most, largest first
	// (Linux, from /proc).
	UserWatches int
	TopWatchers []ProcessWatches
	// FSType and MountPoint describe the file system holding the folder;
	// PollReason says why it must be polled ("" when native notification
	// works).
	FSType, MountPoint, PollReason string

	lim limits
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
	return e.lim.reachedAdvice(0, e.UserWatches, unwatched)
}

// Inspect reads the environment of a watcher of root. It only reads (on
// Linux /proc) and never fails; what it cannot read stays zero.
func Inspect(root string) Environment {
	l := readLimits()
	e := Environment{Mode: nativeMode, WatchBudget: l.max(), lim: l}
	l.inspect(&e)
	e.FSType, e.MountPoint = fsOf(root)
	e.PollReason = reasonFor(root, e.FSType, e.MountPoint)
	return e
}
