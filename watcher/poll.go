package watcher

import (
	"fmt"
	"sync/atomic"
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
	sc       *scanner
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

func newPoll(c scanConfig, reason string, fixed time.Duration) (*pollSource, error) {
	sc, err := newScanner(c, nil)
	if err != nil {
		return nil, err
	}
	s := &pollSource{sc: sc, reason: reason, fixed: fixed}
	start := time.Now()
	sc.firstWalk()
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
		s.sc.busy.Store(true)
		acc = s.scan(acc[:0])
		s.scans.Add(1)
		s.adapt(time.Since(start))
		if !send(out, done, acc) {
			return
		}
		s.sc.busy.Store(false)
		timer.Reset(time.Duration(s.interval.Load()))
	}
}

// scan compares the whole tree with the disk once.
func (s *pollSource) scan(acc []rawEvent) []rawEvent {
	st, err := stat(s.sc.root)
	present := err == nil && st.dir
	switch {
	case s.rootGone && present:
		s.rootGone = false
		s.sc.tree.root, s.sc.tree.rootIno = &dirNode{}, st.ino
		s.sc.report(fmt.Errorf("watcher: root %q is back; watching it again", s.sc.root))
		return s.sc.walk("", s.sc.tree.root, true, acc)
	case s.rootGone:
		return acc
	case !present || st.ino != s.sc.tree.rootIno:
		s.rootGone = true
		return s.sc.forgetRoot(acc)
	}
	return s.sc.sync("", s.sc.tree.root, 0, syncTree, acc)
}

func (s *pollSource) stats() Stats {
	return Stats{
		Mode:         "poll",
		ModeReason:   s.reason,
		Dirs:         int(s.sc.tree.dirs.Load()),
		Files:        int(s.sc.tree.files.Load()),
		Events:       s.scans.Load(),
		PollInterval: time.Duration(s.interval.Load()),
		PollScan:     time.Duration(s.lastScan.Load()),
	}
}

func (s *pollSource) close() error { return nil }
