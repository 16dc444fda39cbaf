package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"

	"golang.org/x/sys/unix"

	"github.com/hotserve/hotserve/devserver/backend"
	"github.com/hotserve/hotserve/watcher"
)

// minOpenFiles is the open-file limit below which a big tree, many tabs and
// a backend start to fail with "too many open files".
const minOpenFiles = 4096

// runDoctor is `hotserve doctor [--port N] [dir]`: it checks what breaks
// dev servers on this machine and prints a short report with the fixes.
// Exit status 0 means all is well, 1 that something needs attention.
func runDoctor(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hotserve doctor", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	port := fs.Int("port", 8080, "port to check")
	if err := fs.Parse(args); err != nil || fs.NArg() > 1 {
		usageError(stderr, "usage: hotserve doctor [--port N] [dir]")
		return 2
	}
	dir := "."
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	root, err := servedFolder(dir)
	if err != nil {
		fmt.Fprintf(stderr, "hotserve: %v\n", err)
		return 1
	}
	t := newTerm(stdout, "text", false)
	d := doctor{t: t}
	fmt.Fprintf(stdout, "\n  %s %s\n\n", t.accent.Render("hotserve doctor"), t.dim.Render(root))

	env := watcher.Inspect(root)
	folders := countFolders(root)
	switch {
	case env.PollReason != "":
		d.warn("file system: %s at %s; hotserve will poll it, which is slower: %s", env.FSType, env.MountPoint, env.PollReason)
	default:
		d.ok("file system: %s (inotify sees every change)", env.FSType)
	}
	if env.MaxUserWatches > 0 {
		need := env.UserWatches + folders
		line := fmt.Sprintf("inotify watches: %d of %d in use by your programs; this folder needs %d more", env.UserWatches, env.MaxUserWatches, folders)
		if need*10 > env.MaxUserWatches*8 {
			d.warn("%s\n      %s", line, env.WatchAdvice(folders))
		} else {
			d.ok("%s", line)
		}
		for _, p := range env.TopWatchers {
			fmt.Fprintf(stdout, "      %s\n", t.dim.Render(fmt.Sprintf("%7d  %s (pid %d)", p.Watches, p.Command, p.PID)))
		}
	} else {
		d.warn("inotify watches: the limit cannot be read from /proc/sys/fs/inotify; is /proc mounted?")
	}
	if env.MaxQueuedEvents > 0 && env.MaxQueuedEvents < 16384 {
		d.warn("inotify queue: fs.inotify.max_queued_events is %d; a large checkout will overflow it (hotserve then rescans). Raise it with `sudo sysctl fs.inotify.max_queued_events=16384`", env.MaxQueuedEvents)
	}

	var lim unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &lim) == nil {
		if lim.Cur < minOpenFiles {
			d.warn("open files: the limit is %d; raise it with `ulimit -n %d` (the hard limit is %d)", lim.Cur, min(uint64(minOpenFiles)*4, lim.Max), lim.Max)
		} else {
			d.ok("open files: the limit is %d", lim.Cur)
		}
	}

	if pid, name, held := backend.PortHolder(*port); held {
		who := "another user's program"
		if pid > 0 {
			who = fmt.Sprintf("%s (pid %d)", name, pid)
		}
		d.warn("port %d: in use by %s; hotserve will take the next free port, or choose one with --port", *port, who)
	} else {
		d.ok("port %d: free", *port)
	}
	fmt.Fprintln(stdout)
	if d.problems > 0 {
		fmt.Fprintf(stdout, "  %d %s need attention\n\n", d.problems, plural(d.problems, "thing", "things"))
		return 1
	}
	fmt.Fprintf(stdout, "  %s\n\n", t.bold.Render("all good"))
	return 0
}

// doctor prints one line per check and counts the problems.
type doctor struct {
	t        *term
	problems int
}

func (d *doctor) ok(format string, a ...any) {
	d.t.println("  " + d.t.accent.Render("✓") + " " + fmt.Sprintf(format, a...))
}

func (d *doctor) warn(format string, a ...any) {
	d.problems++
	d.t.println("  " + d.t.warn.Render("! "+fmt.Sprintf(format, a...)))
}

// countFolders counts the folders under root that hotserve would watch
// (skipping the default ignores by name), for the watch budget.
func countFolders(root string) int {
	n := 0
	filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.IsDir() {
			return nil
		}
		if p != root && slices.Contains(watcher.DefaultIgnore, e.Name()) {
			return filepath.SkipDir
		}
		n++
		return nil
	})
	return n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
