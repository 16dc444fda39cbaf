package watcher

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// pollSource sees changes by rescanning the tree: for file systems where
// inotify is blind to changes made elsewhere (NFS, SMB, 9p, FUSE), and when
// asked for. A scan lists every folder (one getdents each) and stats every
// file, comparing a size+mtime fingerprint and the inode with the cache,
// so renames still pair by inode. The interval adapts to the cost of a
// scan: twenty times its duration, between pollMin and pollMax, so polling
// stays near 5 % of one core on any tree.
type pollSource struct {
	*scanner
	reason   string
	fixed    time.Duration // Options.PollInterval; 0 for adaptive
	interval atomic.Int64  // current interval (ns)
	lastScan atomic.Int64  // duration of the last scan (ns)
	scans    atomic.Uint64
	rootGone bool
}

const (
	pollMin = 100 * time.Millisecond
	pollMax = 5 * time.Second
)

func newPoll(sc *scanner, reason string, fixed time.Duration) (*pollSource, error) {
	var st syscall.Stat_t
	if err := syscall.Stat(sc.root, &st); err != nil {
		return nil, fmt.Errorf("watcher: root %q: %w", sc.root, err)
	}
	s := &pollSource{scanner: sc, reason: reason, fixed: fixed}
	sc.tree = newTree(st.Ino)
	sc.stamps = true
	sc.watch = nil
	sc.unwatch = func(string) {}
	start := time.Now()
	sc.walk("", sc.tree.root, false, nil)
	s.adapt(time.Since(start))
	return s, nil
}

// adapt sets the interval from the duration of the last scan.
func (s *pollSource) adapt(scan time.Duration) {
	s.lastScan.Store(int64(scan))
	iv := s.fixed
	if iv == 0 {
		iv = min(pollMax, max(pollMin, 20*scan))
	}
	s.interval.Store(int64(iv))
}

func (s *pollSource) run(out chan<- rawEvent, done <-chan struct{}) {
	s.done = done
	timer := time.NewTimer(time.Duration(s.interval.Load()))
	defer timer.Stop()
	var acc []rawEvent
	for {
		select {
		case <-done:
			return
		case <-timer.C:
		}
		start := time.Now()
		s.busy.Store(true)
		acc = s.scan(acc[:0])
		s.scans.Add(1)
		s.adapt(time.Since(start))
		if !send(out, done, acc) {
			return
		}
		s.busy.Store(false)
		timer.Reset(time.Duration(s.interval.Load()))
	}
}

// scan compares the whole tree with the disk once.
func (s *pollSource) scan(acc []rawEvent) []rawEvent {
	var st syscall.Stat_t
	present := syscall.Stat(s.root, &st) == nil && st.Mode&syscall.S_IFMT == syscall.S_IFDIR
	switch {
	case s.rootGone && present:
		s.rootGone = false
		s.tree.root, s.tree.rootIno = &dirNode{kids: make(map[string]entry)}, st.Ino
		s.report(fmt.Errorf("watcher: root %q is back; watching it again", s.root))
		return s.walk("", s.tree.root, true, acc)
	case s.rootGone:
		return acc
	case !present || st.Ino != s.tree.rootIno:
		s.rootGone = true
		return s.forgetRoot(acc)
	}
	return s.sync("", s.tree.root, 0, true, true, acc)
}

func (s *pollSource) stats() Stats {
	return Stats{
		Mode:         "poll",
		ModeReason:   s.reason,
		Dirs:         int(s.tree.dirs.Load()),
		Files:        int(s.tree.files.Load()),
		Events:       s.scans.Load(),
		PollInterval: time.Duration(s.interval.Load()),
		PollScan:     time.Duration(s.lastScan.Load()),
	}
}

func (s *pollSource) close() error { return nil }

// pollFS lists the file-system types where inotify only sees the changes
// made through this kernel, not those made by the server or other clients:
// network file systems, and FUSE, whose daemons are mostly network or
// cloud backed. fuseblk (ntfs-3g and friends, a local disk) is not one.
var pollFS = map[string]bool{
	"nfs": true, "nfs4": true, "cifs": true, "smb3": true, "smbfs": true,
	"9p": true, "v9fs": true, "afs": true, "ceph": true, "glusterfs": true,
	"lustre": true, "gpfs": true, "vboxsf": true, "vmhgfs": true, "drvfs": true,
	"davfs": true, "sshfs": true, "fuse": true,
}

// needsPolling reports whether a file-system type from /proc/self/mounts
// is one where inotify is blind.
func needsPolling(fstype string) bool {
	return pollFS[fstype] || strings.HasPrefix(fstype, "fuse.")
}

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

// pollReason says why root must be polled, or "" when inotify will do.
func pollReason(root string) string {
	mounts, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		return ""
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	fstype, mp := mountOf(root, mounts)
	if !needsPolling(fstype) {
		return ""
	}
	return fmt.Sprintf("the root is on %s (mounted at %s), where inotify does not see changes made by other machines", fstype, mp)
}
