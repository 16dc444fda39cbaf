package watcher

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// limits are the kernel's inotify limits for this user, read at start.
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

func readInt(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
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

// limitAdvice is the two lines a person needs when the watch limit is in
// the way: what happened, with the numbers, and the commands that fix it
// now and after a reboot.
func limitAdvice(l limits, used, others, unwatched int) string {
	want := 524288
	for want < 2*(used+others+unwatched) {
		want *= 2
	}
	return fmt.Sprintf("the inotify watch limit is reached: fs.inotify.max_user_watches is %d, this user's programs hold %d watches (hotserve %d, others %d), and %d more folders need one; they are polled instead (slower). "+
		"Raise it now with `sudo sysctl fs.inotify.max_user_watches=%d` and for good with `echo fs.inotify.max_user_watches=%d | sudo tee -a /etc/sysctl.d/90-inotify.conf && sudo sysctl --system`, or ignore large folders",
		l.watches, used+others, used, others, unwatched, want, want)
}

// instancesAdvice explains EMFILE from inotify_init1.
func instancesAdvice(l limits) string {
	return fmt.Sprintf("no inotify instance is left: fs.inotify.max_user_instances is %d (or the open-file limit, ulimit -n, is reached); polling instead. "+
		"Raise it now with `sudo sysctl fs.inotify.max_user_instances=1024` and for good with `echo fs.inotify.max_user_instances=1024 | sudo tee -a /etc/sysctl.d/90-inotify.conf && sudo sysctl --system`",
		l.instances)
}
