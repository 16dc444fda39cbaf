//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package watcher

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// nativeMode names the native source in Stats.Mode.
const nativeMode = "kqueue"

// limits is the open-file budget that kqueue watches come out of:
// fsnotify's kqueue backend holds a descriptor for every watched folder
// and for every file in it. Go raises the soft open-file limit to the hard
// one at start (on macOS to kern.maxfilesperproc); watches get three
// quarters of it, and the rest stays for the server's connections and
// files. Folders that do not fit are polled, and the banner says so, as
// with inotify's watch limit.
type limits struct {
	files  int // the soft open-file limit (ulimit -n)
	budget int // what watches may hold
}

// errBudget is what admit returns for a folder that would overspend.
var errBudget = errors.New("the open-file budget for kqueue watches is spent")

func readLimits() limits {
	var rl unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &rl) != nil {
		return limits{}
	}
	files := int(min(rl.Cur, 1<<30))
	return limits{files: files, budget: max(0, files-max(256, files/4))}
}

// used is how much of the budget the tree holds: a descriptor per known
// folder and file.
func (l limits) used(t *tree) int { return int(t.dirs.Load() + t.files.Load()) }

// max is the budget, 0 if unknown.
func (l limits) max() int { return l.budget }

// admit refuses a folder whose watch, one descriptor for it and one for
// each of its entries, would overspend: running out of descriptors would
// fail the server's own accepts and opens, not just the watch.
func (l limits) admit(abs string, used int) error {
	if l.budget == 0 {
		return nil
	}
	f, err := os.Open(abs)
	if err != nil {
		return err
	}
	names, _ := f.Readdirnames(-1)
	f.Close()
	if used+1+len(names) > l.budget {
		return errBudget
	}
	return nil
}

// others is 0: the open-file limit is per process.
func (l limits) others() int { return 0 }

// isLimit reports whether err means the descriptors ran out.
func isLimit(err error) bool {
	return errors.Is(err, errBudget) || errors.Is(err, unix.EMFILE) || errors.Is(err, unix.ENFILE)
}

// raiseHint is the command that raises the open-file limit for good.
func raiseHint() string {
	if runtime.GOOS == "darwin" {
		return "`ulimit -n 65536` in the shell that starts the program (for every shell: `sudo launchctl limit maxfiles 65536 200000`)"
	}
	return "`ulimit -n 65536` in the shell that starts the program (the ceiling is `sysctl kern.maxfilesperproc`)"
}

func (l limits) reachedAdvice(used, _, unwatched int) string {
	return fmt.Sprintf("the open-file budget for kqueue watches is spent: kqueue needs an open file per watched file and folder, watches may hold %d of the %d open files allowed (ulimit -n), they hold %d, and %d more folders need them; those are polled instead (slower). "+
		"Raise the limit with %s, or ignore large folders", l.budget, l.files, used, unwatched, raiseHint())
}

func (l limits) nearAdvice(used, _ int) string {
	return fmt.Sprintf("kqueue watches hold %d%% of their open-file budget: %d of %d (ulimit -n is %d); raise it with %s before new folders go unwatched",
		100*used/l.budget, used, l.budget, l.files, raiseHint())
}

func (l limits) overflowAdvice() string {
	return "the kernel's event queue overflowed; the tree was rescanned and the changes found are reported"
}

func (l limits) noNative(error) (reason, advice string) {
	return "kqueue cannot start", "cannot start kqueue (are the open files, ulimit -n, used up?); polling instead"
}

func (l limits) inspect(*Environment) {}
