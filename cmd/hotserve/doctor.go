package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"

	"github.com/hotserve/hotserve/devserver/backend"
	"github.com/hotserve/hotserve/internal/words"
	"github.com/hotserve/hotserve/watcher"
)

// runDoctor is `hotserve doctor [--port N] [dir]`: it checks what breaks
// dev servers on this machine and prints a short report with the fixes.
// Exit status 0 means all is well, 1 that something needs attention. The
// checks of the system itself are in doctor_<os>.go.
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
		fmt.Fprintf(stderr, "hotserve: %s\n", escapeText(err.Error()))
		return 1
	}
	t := newTerm(stdout, "text", false)
	defer t.restore()
	d := doctor{t: t}
	fmt.Fprintf(stdout, "\n  %s %s\n\n", t.accent.Render("hotserve doctor"), t.dim.Render(escapeText(root)))

	d.system(root, countTree(root))
	d.port(*port)
	fmt.Fprintln(stdout)
	if d.problems > 0 {
		fmt.Fprintf(stdout, "  %d %s need attention\n\n", d.problems, words.Plural(d.problems, "thing", "things"))
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
	d.t.println("  " + d.t.accent.Render("✓") + " " + fmt.Sprintf(format, escapeArgs(a)...))
}

func (d *doctor) warn(format string, a ...any) {
	d.problems++
	d.t.println("  " + d.t.warn.Render("! "+fmt.Sprintf(format, escapeArgs(a)...)))
}

// detail is an indented line under the check before it.
func (d *doctor) detail(format string, a ...any) {
	d.t.println("      " + d.t.dim.Render(fmt.Sprintf(format, escapeArgs(a)...)))
}

// fileSystem reports the file system holding the folder, and whether the
// watcher (whose native source is named by source) must poll it.
func (d *doctor) fileSystem(fsType, mountPoint, pollReason, source string) {
	if pollReason != "" {
		d.warn("file system: %s at %s; hotserve will poll it, which is slower: %s", fsType, mountPoint, pollReason)
		return
	}
	d.ok("file system: %s (%s sees every change)", fsType, source)
}

// port reports whether the port is free, and who holds it if not. A
// listen on it answers where the system does not say who listens.
func (d *doctor) port(port int) {
	pid, name, held := backend.PortHolder(port)
	who := "another user's program"
	if !held {
		ln, err := listenOn("localhost", port)
		if err == nil {
			ln.Close()
			d.ok("port %d: free", port)
			return
		}
		if !addrInUse(err) {
			d.warn("port %d: cannot listen on it: %v; choose another with --port", port, err)
			return
		}
		who = "another program"
	}
	if pid > 0 {
		who = fmt.Sprintf("%s (pid %d)", name, pid)
	}
	d.warn("port %d: in use by %s; hotserve will take the next free port, or choose one with --port", port, who)
	if pid == 0 {
		d.detail("see which program with `%s`", portHolderCommand(port))
	}
}

// tree is how much of the folder hotserve would watch.
type tree struct{ folders, files int }

// countTree counts the folders and files under root that hotserve would
// watch (skipping the default ignores by name), for the watch budget.
func countTree(root string) tree {
	var t tree
	filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		switch {
		case err != nil:
		case !e.IsDir():
			t.files++
		case p != root && slices.Contains(watcher.DefaultIgnore, e.Name()):
			return filepath.SkipDir
		default:
			t.folders++
		}
		return nil
	})
	return t
}
