package watcher

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// hold is a settler's verdict on a batch that is about to be cut.
type hold uint8

const (
	holdNone  hold = iota // cut it
	holdWrite             // a file in it is still being written (S14, S24): wait, up to MaxDelay
	holdLock              // git holds .git/index.lock (S7): wait, even past MaxDelay, up to lockHoldMax
)

// maxWriteChecks bounds how many of a batch's most recently changed files
// are checked for a writer still at work: a burst of thousands is held by
// its newest files, and checking costs a few syscalls a file.
const maxWriteChecks = 64

// settler decides, at the moment the batcher would cut a batch, whether the
// activity is really over. It runs on the batcher's goroutine and only
// looks at the disk, never at the source's state.
type settler struct {
	// trees are the root (first) and the mounts, longest path first
	// after it (see mount).
	trees []settleTree
	// maxDelay is how long a file open for writing holds batches; one
	// held open longer is an idle writer's (a log, a database), and holds
	// none from then on until it is closed (S25). idle holds those files,
	// and opened when each was first found open.
	maxDelay time.Duration
	opened   map[string]time.Time
	idle     map[string]bool
	report   func(error)
	// closedAt holds the count of scans (see settleTree.scans) when each
	// held file was found closed.
	closedAt map[string]uint64
	// seen remembers the size and mtime of files whose writers the OS
	// cannot tell: such a file is held only while it keeps changing.
	seen map[string]times
	// dir and dirMtime are the folder behind last looked at, and its mtime.
	dir      string
	dirMtime int64
}

// newSettler looks at the tree under root; report receives the notice
// about a file held open for writing longer than maxDelay.
func newSettler(root string, maxDelay time.Duration, report func(error)) *settler {
	st := &settler{maxDelay: maxDelay, report: report, seen: make(map[string]times),
		opened: make(map[string]time.Time), idle: make(map[string]bool), closedAt: make(map[string]uint64)}
	st.trees = []settleTree{newSettleTree("", root)}
	return st
}

// settleTree is one folder the settler looks at: the root, or a mount
// whose paths start with path.
type settleTree struct {
	path, root string
	// lock is git's index.lock for the repository holding root, or ""
	// outside a repository. While it exists a checkout, rebase or commit
	// is writing the tree.
	lock string
	// scans, with the polling source, counts its scans: a file closed
	// after a scan read it shows its last write only at a later one.
	scans func() uint64
}

func newSettleTree(at, root string) settleTree {
	t := settleTree{path: at, root: root}
	if gitDir := findGitDir(root); gitDir != "" {
		t.lock = filepath.Join(gitDir, "index.lock")
	}
	return t
}

// mount adds the mount at path, in the folder root, watched by src.
func (st *settler) mount(at, root string, src source) {
	t := newSettleTree(at, root)
	if p, ok := src.(*pollSource); ok {
		t.scans = p.scans.Load
	}
	st.trees = append(st.trees, t)
	slices.SortStableFunc(st.trees[1:], func(a, b settleTree) int { return len(b.path) - len(a.path) })
}

// polled notes that the root is watched by src, which may poll.
func (st *settler) polled(src source) {
	if p, ok := src.(*pollSource); ok {
		st.trees[0].scans = p.scans.Load
	}
}

// tree returns the folder that holds the path rel, and rel's name on
// disk.
func (st *settler) tree(rel string) (*settleTree, string) {
	for i := range st.trees[1:] {
		t := &st.trees[i+1]
		if rest, ok := strings.CutPrefix(rel, t.path); ok && (rest == "" || rest[0] == '/') {
			return t, filepath.Join(t.root, filepath.FromSlash(rest))
		}
	}
	return &st.trees[0], filepath.Join(st.trees[0].root, filepath.FromSlash(rel))
}

// abs is the path rel's name on disk.
func (st *settler) abs(rel string) string {
	_, abs := st.tree(rel)
	return abs
}

// locked reports whether git holds the index of the root's repository or
// of a mount's.
func (st *settler) locked() bool {
	for _, t := range st.trees {
		if t.lock != "" {
			if _, err := os.Lstat(t.lock); err == nil {
				return true
			}
		}
	}
	return false
}

// check is the batcher's settle function; last is when the latest event
// arrived.
func (st *settler) check(pending []rawEvent, last time.Time) hold {
	if st.locked() {
		return holdLock
	}
	if st.behind(pending, last) {
		return holdWrite
	}
	if len(st.seen) > 4*maxWriteChecks {
		clear(st.seen)
	}
	if len(st.opened) > 4*maxWriteChecks {
		clear(st.opened)
		clear(st.closedAt)
	}
	checked := 0
	for i := len(pending) - 1; i >= 0 && checked < maxWriteChecks; i-- {
		r := &pending[i]
		if r.Dir || r.Op != rawWrite && r.Op != rawCreate {
			continue
		}
		if i < len(pending)-1 && seenLater(pending[i+1:], r.Path) {
			continue
		}
		checked++
		if st.growing(r.Path) {
			return holdWrite
		}
	}
	return holdNone
}

// maxSaveEvents bounds the raw events of a burst that can still be one
// save; an editor's atomic save takes a handful.
const maxSaveEvents = 32

// saved reports whether pending is one finished save: its net effect is
// one write of a file that was there before, which no process has open
// for writing, and which is not empty (truncated to nothing is where a
// writer that truncates, closes and writes again pauses). A new file is
// never one: a temp file (sed -i's) is created before it is renamed over
// its target.
func (st *settler) saved(pending []rawEvent) bool {
	if len(pending) > maxSaveEvents {
		return false
	}
	net := coalesce(pending)
	if len(net) != 1 || net[0].Op != Write || net[0].Dir {
		return false
	}
	abs := st.abs(net[0].Path)
	if state, _, err := writing(abs); err != nil || state != noWriter {
		return false
	}
	t, err := timesOf(abs)
	return err == nil && t.size > 0
}

// behind reports whether the folder of the latest event changed after that
// event arrived: entries were created, removed or renamed there and their
// events are still on the way (a loaded machine can keep the reader of the
// kernel queue off the CPU for longer than the quiet period, mid-burst).
// Once a folder's mtime has been seen and has not moved since, it is not
// behind, whatever the clocks say.
func (st *settler) behind(pending []rawEvent, last time.Time) bool {
	if len(pending) == 0 {
		return false
	}
	dir, _ := split(pending[len(pending)-1].Path)
	s, err := timesOf(st.abs(dir))
	if err != nil {
		return false
	}
	mtime := s.mtime
	if dir == st.dir && mtime == st.dirMtime {
		return false
	}
	moved := dir == st.dir
	st.dir, st.dirMtime = dir, mtime
	if moved {
		return true
	}
	// A folder's mtime comes from the kernel's coarse clock, up to a tick
	// (10ms at HZ=100) behind: within a burst, allow for it (costing one
	// more quiet period). A single save is not held for it.
	var slack time.Duration
	if len(pending) >= burstEvents {
		slack = 10 * time.Millisecond
	}
	return mtime > last.Add(-slack).UnixNano()
}

// burstEvents is how many raw events make a batch a burst, for behind.
const burstEvents = 64

func seenLater(later []rawEvent, path string) bool {
	for i := range later {
		if later[i].Path == path && !later[i].Dir && (later[i].Op == rawWrite || later[i].Op == rawCreate) {
			return true
		}
	}
	return false
}

// growing reports whether the file is still being written: some process
// has it open for writing (the close-write event that fsnotify does not
// expose, asked of the OS directly; writers_*.go), or, where the OS
// cannot tell, it changed since the last look.
func (st *settler) growing(rel string) bool {
	t, abs := st.tree(rel)
	state, sig, err := writing(abs)
	if err != nil || state == noWriter {
		// Gone, a symlink, unreadable, or closed: nothing to wait for,
		// but the events of a file just closed may still be on their way
		// from the kernel on a loaded machine: one more quiet period.
		_, held := st.opened[rel]
		if held && err == nil && st.polledLate(t, rel) {
			return true
		}
		delete(st.seen, rel)
		delete(st.opened, rel)
		delete(st.idle, rel)
		delete(st.closedAt, rel)
		return held && err == nil && t.scans == nil
	}
	if state == writerUnknown {
		prev, ok := st.seen[rel]
		st.seen[rel] = sig
		return !ok || prev != sig
	}
	if st.idle[rel] {
		return false
	}
	now := time.Now()
	since, ok := st.opened[rel]
	if !ok {
		st.opened[rel] = now
		return true
	}
	if now.Sub(since) < st.maxDelay {
		return true
	}
	if len(st.idle) < maxIdleWriters {
		st.idle[rel] = true
	}
	st.report(fmt.Errorf("watcher: %s has stayed open for writing for %v; its changes are sent from now on without waiting for its writer to close it",
		rel, st.maxDelay))
	return false
}

// polledLate reports whether the file rel, found closed while it was
// held, must be held on for the polling source to see its last write:
// until a whole scan has run since it was found closed (the one running
// then may have read it before that write).
func (st *settler) polledLate(t *settleTree, rel string) bool {
	if t.scans == nil {
		return false
	}
	n := t.scans()
	at, ok := st.closedAt[rel]
	if !ok {
		st.closedAt[rel] = n
		return true
	}
	return n < at+2
}

// maxIdleWriters bounds the files remembered as held open idly.
const maxIdleWriters = 1024

// findGitDir returns the git directory of the repository holding dir: the
// nearest .git folder at or above it, or the folder a .git file points to
// (worktrees, submodules). "" when there is none.
func findGitDir(dir string) string {
	for {
		p := filepath.Join(dir, ".git")
		if fi, err := os.Stat(p); err == nil {
			if fi.IsDir() {
				return p
			}
			if b, err := os.ReadFile(p); err == nil {
				if target, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:"); ok {
					target = strings.TrimSpace(target)
					if !filepath.IsAbs(target) {
						target = filepath.Join(dir, target)
					}
					return target
				}
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
