package main

import (
	"fmt"
	"strings"

	"github.com/hotserve/hotserve/watcher"
)

// The doctor's judgements and fixes for each OS, as pure functions of what
// doctor_<os>.go reads from the system, so that every OS's are tested on
// any.

// minOpenFiles is the open-file limit below which a big tree, many tabs and
// a backend start to fail with "too many open files".
const minOpenFiles = 4096

// linuxOpenFiles judges Linux's RLIMIT_NOFILE, as hotserve runs with it:
// Go raises the soft limit to the hard one at start, so a low soft limit
// usually means a low hard limit, which `ulimit -n` cannot pass.
func linuxOpenFiles(soft, hard uint64) (ok bool, line string) {
	switch {
	case soft >= minOpenFiles:
		return true, fmt.Sprintf("open files: the limit is %d", soft)
	case soft < hard:
		return false, fmt.Sprintf("open files: the limit is %d; raise it with `ulimit -n %d` (the hard limit is %d)", soft, min(4*minOpenFiles, hard), hard)
	}
	return false, fmt.Sprintf("open files: the limit is %d, and so is the hard limit, which `ulimit -n` cannot pass; raise it with `echo '* hard nofile 65536' | sudo tee -a /etc/security/limits.conf` and log in again", soft)
}

// kqueueLimits are what macOS and the BSDs let one program hold open.
type kqueueLimits struct {
	hard    uint64 // RLIMIT_NOFILE's hard limit: hotserve raises its soft limit to it
	perProc uint64 // kern.maxfilesperproc, 0 when unknown
	system  uint64 // kern.maxfiles, for all programs together; 0 when unknown
}

// openFilesReserve are the files hotserve needs besides the watched ones:
// connections, the backend's pipes, files being served.
const openFilesReserve = 1024

// kqueueOpenFiles judges the open-file budget for watching t with kqueue,
// which holds one open file per folder and file, and names the commands
// that raise it on goos (darwin, freebsd or dragonfly).
func kqueueOpenFiles(goos string, l kqueueLimits, t tree) (ok bool, line string) {
	usable := l.hard
	if l.perProc > 0 {
		usable = min(usable, l.perProc)
	}
	need := uint64(t.folders+t.files) + openFilesReserve
	line = fmt.Sprintf("open files: hotserve can hold %s (hard limit %s, kern.maxfilesperproc %s, kern.maxfiles %s); kqueue needs one per folder and file, %d here",
		limitText(usable), limitText(l.hard), limitText(l.perProc), limitText(l.system), t.folders+t.files)
	if need <= usable && (l.system == 0 || need <= l.system) {
		return true, line
	}
	// Room for a quarter more, and never lower than now.
	want := uint64(65536)
	for want < need+need/4 {
		want *= 2
	}
	perProc, system := max(want, l.perProc), max(want*2, l.system)
	raise := fmt.Sprintf("`sudo sysctl kern.maxfiles=%d kern.maxfilesperproc=%d`", system, perProc)
	if goos == "darwin" {
		return false, fmt.Sprintf("%s; what does not fit is polled, which is slower. Raise it with %s, then `ulimit -n %d` in the shell that runs hotserve; for new terminals too, `sudo launchctl limit maxfiles %d %d`",
			line, raise, want, want, system)
	}
	return false, fmt.Sprintf("%s; what does not fit is polled, which is slower. Raise it with %s (add both to /etc/sysctl.conf to keep them), then `ulimit -n %d` in the shell that runs hotserve",
		line, raise, want)
}

// limitText shows a limit: "unknown" for 0, "unlimited" for RLIM_INFINITY.
func limitText(n uint64) string {
	switch {
	case n == 0:
		return "unknown"
	case n >= 1<<62:
		return "unlimited"
	}
	return fmt.Sprint(n)
}

// windowsPollFix is the fix for a folder at path (absolute, as Windows
// writes it) that the watcher polls, with the reason it gave: inside WSL's
// file system, run hotserve in WSL; on a network drive or share, copy the
// project to this machine. home is the person's home folder, for the copy.
func windowsPollFix(path, reason, home string) string {
	if distro, linuxPath, ok := watcher.WSLPath(path); ok {
		return fmt.Sprintf("%s. For instant reloads run hotserve in WSL: `wsl -d %s --cd %s hotserve`", reason, distro, linuxPath)
	}
	return fmt.Sprintf("%s. For instant reloads copy the project to this machine: `robocopy %s %s /E`",
		reason, quoteWindows(path), quoteWindows(home+`\src\`+windowsBase(path)))
}

// windowsBase is the last element of a Windows path, or "project" for
// the root of a drive or share.
func windowsBase(path string) string {
	path = strings.TrimRight(path, `\/`)
	if base := path[strings.LastIndexAny(path, `\/:`)+1:]; base != "" {
		return base
	}
	return "project"
}

// quoteWindows quotes a path with spaces for cmd and PowerShell alike.
func quoteWindows(path string) string {
	if strings.ContainsAny(path, " &()") {
		return `"` + path + `"`
	}
	return path
}
