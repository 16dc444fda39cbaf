package watcher

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// mountOf finds the mount holding path (absolute, symlinks resolved) in
// the text of /proc/self/mounts: the longest mount point that is path or
// one of its parents; the last such line wins, as later mounts hide
// earlier ones.
func mountOf(path string, mounts []byte) (fstype, mountPoint string) {
	for line := range bytes.Lines(mounts) {
		f := strings.Fields(string(line))
		if len(f) < 3 {
			continue
		}
		mp := unescapeMount(f[1])
		if !within(path, mp) || len(mp) < len(mountPoint) {
			continue
		}
		fstype, mountPoint = f[2], mp
	}
	return fstype, mountPoint
}

// within reports whether path is dir or below it.
func within(path, dir string) bool {
	if dir == "/" || path == dir {
		return true
	}
	return strings.HasPrefix(path, dir) && path[len(dir)] == '/'
}

// unescapeMount undoes the octal escapes (\040 for a space) of mount points.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, ok := octal(s[i+1 : i+4]); ok {
				b.WriteByte(n)
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func octal(s string) (byte, bool) {
	if len(s) != 3 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '7' {
			return 0, false
		}
		n = n*8 + int(c-'0')
	}
	return byte(n), n < 256
}

// fsOf finds the file system holding root in /proc/self/mounts.
func fsOf(root string) (fstype, mountPoint string) {
	mounts, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		return "", ""
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	return mountOf(root, mounts)
}

// reasonFor says why a root on fstype, mounted at mp, must be polled, or
// "" when inotify will do. Under WSL, the Windows drives (/mnt/c, drvfs or 9p) get no inotify
// events for changes made by Windows programs: an editor on Windows saving
// there would never reload the page.
func reasonFor(_, fstype, mp string) string {
	if !needsPolling(fstype) {
		return ""
	}
	if fstype == "drvfs" || fstype == "9p" && strings.HasPrefix(mp, "/mnt/") {
		return fmt.Sprintf("the root is on a Windows drive (%s at %s), where inotify does not see saves made by Windows programs; keep the project in the Linux file system (under ~) for instant reloads", fstype, mp)
	}
	return fmt.Sprintf("the root is on %s (mounted at %s), where inotify does not see changes made by other machines", fstype, mp)
}
