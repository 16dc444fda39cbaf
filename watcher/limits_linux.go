package watcher

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// nativeMode names the native source in Stats.Mode.
const nativeMode = "inotify"

// limits are the kernel's inotify limits for this user, read at start:
// a watch per folder, out of fs.inotify.max_user_watches that every
// program of the user shares.
type limits struct {
	watches   int // fs.inotify.max_user_watches (or the user namespace's lower one)
	instances int // fs.inotify.max_user_instances
	queue     int // fs.inotify.max_queued_events
}

// readLimits reads the sysctls. In a user namespace the namespace's own
// limits (/proc/sys/user/max_inotify_*) apply as well; the lower wins.
// Missing files leave zero (unknown).
func readLimits() limits {
	l := limits{
		watches:   readInt("/proc/sys/fs/inotify/max_user_watches"),
		instances: readInt("/proc/sys/fs/inotify/max_user_instances"),
		queue:     readInt("/proc/sys/fs/inotify/max_queued_events"),
	}
	if n := readInt("/proc/sys/user/max_inotify_watches"); n > 0 && (l.watches == 0 || n < l.watches) {
		l.watches = n
	}
	if n := readInt("/proc/sys/user/max_inotify_instances"); n > 0 && (l.instances == 0 || n < l.instances) {
		l.instances = n
	}
	return l
}

// used is how much of the budget the tree holds: a watch per folder.
func (l limits) used(t *tree) int { return int(t.dirs.Load()) }

// max is the budget, 0 if unknown.
func (l limits) max() int { return l.watches }

// admit lets every folder try: the kernel itself says ENOSPC at the limit.
func (l limits) admit(string, int) error { return nil }

// others counts the watches of this user's other programs, from /proc.
func (l limits) others() int { return userWatches() }

// isLimit reports whether err is a kernel limit on inotify watches.
func isLimit(err error) bool {
	return errors.Is(err, unix.ENOSPC) || errors.Is(err, unix.ENOMEM)
}

func readInt(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

// inspect fills the inotify part of a doctor's Environment.
func (l limits) inspect(e *Environment) {
	e.MaxUserWatches, e.MaxUserInstances, e.MaxQueuedEvents = l.watches, l.instances, l.queue
	all := watchHolders()
	for _, p := range all {
		e.UserWatches += p.Watches
	}
	e.TopWatchers = all[:min(len(all), 5)]
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
		var st unix.Stat_t
		if unix.Stat(dir, &st) != nil || st.Uid != uid {
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

// countWatches counts the "inotify wd:" lines of one fdinfo file: the
// watches held by that inotify instance (proc_pid_fdinfo(5)).
func countWatches(fdinfo []byte) int {
	n := 0
	for line := range bytes.Lines(fdinfo) {
		if bytes.HasPrefix(line, []byte("inotify wd:")) {
			n++
		}
	}
	return n
}

// userWatches counts the inotify watches held by every process of this
// user that we may inspect.
func userWatches() int {
	total := 0
	for _, p := range watchHolders() {
		total += p.Watches
	}
	return total
}

// processWatches counts the watches of all inotify instances of one
// process (procDir is /proc/<pid> or /proc/self).
func processWatches(procDir string) int {
	fds, err := os.ReadDir(procDir + "/fd")
	if err != nil {
		return 0
	}
	n := 0
	for _, fd := range fds {
		target, err := os.Readlink(procDir + "/fd/" + fd.Name())
		if err != nil || target != "anon_inode:inotify" {
			continue
		}
		if b, err := os.ReadFile(procDir + "/fdinfo/" + fd.Name()); err == nil {
			n += countWatches(b)
		}
	}
	return n
}

// reachedAdvice is the advice once folders went unwatched.
func (l limits) reachedAdvice(used, others, unwatched int) string {
	return limitAdvice(l, used, others, unwatched)
}

// nearAdvice warns that usage crossed 80 % of the limit.
func (l limits) nearAdvice(used, others int) string {
	return fmt.Sprintf("inotify watches are at %d%% of the limit: %d of fs.inotify.max_user_watches=%d (this program %d, others %d); raise it with `sudo sysctl fs.inotify.max_user_watches=%d` before new folders go unwatched",
		100*(used+others)/l.watches, used+others, l.watches, used, others, doubledPast(2*(used+others)))
}

// overflowAdvice explains a queue overflow.
func (l limits) overflowAdvice() string {
	return fmt.Sprintf("the kernel's inotify queue overflowed (more than fs.inotify.max_queued_events=%d changes at once); the tree was rescanned and the changes found are reported. If it happens often, raise it with `sudo sysctl fs.inotify.max_queued_events=%d`",
		l.queue, max(4*l.queue, 65536))
}

// noNative explains why inotify could not start: EMFILE from
// inotify_init1 means no instance is left.
func (l limits) noNative(err error) (reason, advice string) {
	if errors.Is(err, unix.EMFILE) {
		return "no inotify instance is left (fs.inotify.max_user_instances)", instancesAdvice(l)
	}
	return "inotify cannot start", "cannot start inotify; polling instead"
}

// doubledPast is the first of 524288, 1048576, … at or above n: a watch
// limit to suggest.
func doubledPast(n int) int {
	want := 524288
	for want < n {
		want *= 2
	}
	return want
}

// limitAdvice is the two lines a person needs when the watch limit is in
// the way: what happened, with the numbers, and the commands that fix it
// now and after a reboot.
func limitAdvice(l limits, used, others, unwatched int) string {
	want := doubledPast(2 * (used + others + unwatched))
	return fmt.Sprintf("the inotify watch limit is reached: fs.inotify.max_user_watches is %d, this user's programs hold %d watches (this program %d, others %d), and %d more folders need one; they are polled instead (slower). "+
		"Raise it now with `sudo sysctl fs.inotify.max_user_watches=%d` and for good with `echo fs.inotify.max_user_watches=%d | sudo tee -a /etc/sysctl.d/90-inotify.conf && sudo sysctl --system`, or ignore large folders",
		l.watches, used+others, used, others, unwatched, want, want)
}

// instancesAdvice explains EMFILE from inotify_init1.
func instancesAdvice(l limits) string {
	return fmt.Sprintf("no inotify instance is left: fs.inotify.max_user_instances is %d (or the open-file limit, ulimit -n, is reached); polling instead. "+
		"Raise it now with `sudo sysctl fs.inotify.max_user_instances=1024` and for good with `echo fs.inotify.max_user_instances=1024 | sudo tee -a /etc/sysctl.d/90-inotify.conf && sudo sysctl --system`",
		l.instances)
}
