package watcher

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// nativeSource watches the tree with the OS's own notification: a watch
// per folder with inotify (Linux) and kqueue (macOS, BSD), one recursive
// ReadDirectoryChangesW on the root (Windows); notify_*.go hides which.
// What the OS cannot deliver is made good by rescanning with the scanner:
// after a queue overflow the whole tree (S20), folders beyond the OS's
// watch budget every poll interval (S21), and the root when it comes back
// (S19).
type nativeSource struct {
	sc     *scanner
	n      *notifier
	events atomic.Uint64
	hooks  hooks

	lim       limits        // the OS's budget of watches (limits_*.go)
	others    int           // budget held by this user's other programs, at start
	othersSet chan struct{} // closed once others is counted
	unwatched int           // folders that could not be watched since the last report
	limitSaid bool          // the limit advice was given
	warned80  bool          // the 80 % warning was given

	overflowSaid bool
	rescans      atomic.Uint64
	// lastQuiet is when the kernel queue was last known empty: events lost
	// to an overflow all happened after it. It is known empty when the
	// notifier kept us waiting for idleGap: its reader was blocked on the
	// queue.
	lastQuiet time.Time

	rootGone bool          // the root was removed; we poll for its return
	pollTick *time.Ticker  // for the root's return and folders without a watch
	lastPoll int64         // start of the last round over folders without a watch (ns)
	pollDur  time.Duration // how long that round took
}

// hooks let tests reach inside without a package-level variable.
type hooks struct {
	// beforeRun, when not nil, is received from before the source reads
	// its first event: a test holds it to let the kernel queue overflow.
	beforeRun <-chan struct{}
}

const (
	// mtimeSlack covers the kernel's coarse file clock (a jiffy, up to
	// 10ms) when "written since" is decided by mtime.
	mtimeSlack = 50 * time.Millisecond
	// idleGap: waiting this long for fsnotify means the kernel queue was
	// empty (while a backlog drains, its reader refills far faster).
	idleGap = 5 * time.Millisecond
	// rootPoll is how often a removed root is looked for.
	rootPoll = 250 * time.Millisecond
	// unwatchedPoll bounds how often folders without a watch are listed.
	unwatchedPollMin, unwatchedPollMax = 250 * time.Millisecond, 2 * time.Second
)

// errNoNative is returned by newNative when the OS's notification cannot
// be had (no inotify instance left, no backend for this OS): New falls
// back to polling and says why.
type errNoNative struct {
	reason string // for Stats.ModeReason
	err    error
}

func (e errNoNative) Error() string { return e.err.Error() }
func (e errNoNative) Unwrap() error { return e.err }

// newNative watches root and the whole tree below it before returning.
func newNative(c scanConfig, h hooks) (*nativeSource, error) {
	lim := readLimits()
	n, err := newNotifier()
	if err != nil {
		reason, advice := lim.noNative(err)
		return nil, errNoNative{reason, fmt.Errorf("watcher: %s: %w", advice, err)}
	}
	s := &nativeSource{n: n, hooks: h, lim: lim, othersSet: make(chan struct{})}
	if s.sc, err = newScanner(c, s); err != nil {
		n.close()
		return nil, err
	}
	// Count the other programs' watches while we walk: on Linux it reads
	// /proc.
	go func() {
		defer close(s.othersSet)
		s.others = lim.others()
	}()
	if err := n.add(c.root); err != nil {
		n.close()
		<-s.othersSet
		if isLimit(err) {
			return nil, fmt.Errorf("watcher: root %q: %s: %w", c.root, lim.reachedAdvice(0, s.others, 1), err)
		}
		return nil, fmt.Errorf("watcher: root %q: %w", c.root, err)
	}
	s.lastQuiet = time.Now()
	s.sc.firstWalk()
	<-s.othersSet
	s.others = max(0, s.others-int(s.sc.tree.dirs.Load())) // ours were counted too, if the walk was quick
	s.checkLimits()
	return s, nil
}

// watch puts a watch on a folder, within the OS's budget (watchOps).
func (s *nativeSource) watch(rel string) error {
	abs := s.sc.abs(rel)
	if err := s.lim.admit(abs, s.lim.used(s.sc.tree)); err != nil {
		return err
	}
	return s.n.add(abs)
}

// unwatch takes a folder's watch off; the kernel may have dropped it
// already (watchOps).
func (s *nativeSource) unwatch(rel string) { _ = s.n.remove(s.sc.abs(rel)) }

// limited counts a folder the budget could not take (watchOps).
func (s *nativeSource) limited(string, error) { s.unwatched++ }

// checkLimits gives the limit advice once folders went unwatched, and a
// warning once usage crosses 80 % of the limit.
func (s *nativeSource) checkLimits() {
	used := s.lim.used(s.sc.tree)
	if s.unwatched > 0 && !s.limitSaid {
		s.limitSaid = true
		s.sc.report(fmt.Errorf("watcher: %s", s.lim.reachedAdvice(used, s.others, s.unwatched)))
	}
	s.unwatched = 0
	if !s.warned80 && !s.limitSaid && s.lim.max() > 0 && 5*(used+s.others) >= 4*s.lim.max() {
		s.warned80 = true
		s.sc.report(fmt.Errorf("watcher: %s", s.lim.nearAdvice(used, s.others)))
	}
}

func (s *nativeSource) run(out chan<- rawEvent, done <-chan struct{}) {
	if s.hooks.beforeRun != nil {
		select {
		case <-s.hooks.beforeRun:
		case <-done:
			return
		}
	}
	defer func() {
		if s.pollTick != nil {
			s.pollTick.Stop()
		}
	}()
	var acc []rawEvent
	for {
		acc = acc[:0]
		waiting := time.Now()
		s.sc.busy.Store(len(s.n.events) > 0)
		select {
		case <-done:
			return
		case err, ok := <-s.n.errors:
			if !ok {
				return
			}
			s.sc.busy.Store(true)
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				acc = s.overflow(acc)
			} else {
				s.sc.report(fmt.Errorf("watcher: %s: %w", nativeMode, err))
			}
		case ev, ok := <-s.n.events:
			if !ok {
				return
			}
			s.sc.busy.Store(true)
			if time.Since(waiting) >= idleGap {
				// The notifier had nothing for us for a while: its reader
				// was blocked on an empty kernel queue.
				s.caughtUp(waiting)
			}
			acc = s.handle(ev, acc)
		case now := <-s.ticks():
			s.sc.busy.Store(true)
			acc = s.tick(now, acc)
		}
		if s.unwatched > 0 {
			s.checkLimits()
		}
		if !send(out, done, acc) {
			return
		}
	}
}

// ticks is the poll ticker's channel while something needs looking at
// (the root is gone, folders are unwatched, or the notifier cannot see the
// root itself); nil otherwise, which never fires.
func (s *nativeSource) ticks() <-chan time.Time {
	if !s.rootGone && s.sc.tree.polled.Load() == 0 && notifierSeesRoot {
		return nil
	}
	if s.pollTick == nil {
		s.pollTick = time.NewTicker(rootPoll)
		s.lastPoll = time.Now().UnixNano()
	}
	return s.pollTick.C
}

// tick looks for the root's return, or its loss, or polls the folders
// without a watch.
func (s *nativeSource) tick(now time.Time, acc []rawEvent) []rawEvent {
	switch {
	case s.rootGone:
		return s.lookForRoot(acc)
	case !notifierSeesRoot && s.rootMissing():
		return s.lostRoot(acc)
	default:
		return s.pollUnwatched(now, acc)
	}
}

// send hands raw events to the batcher; false when done was closed.
func send(out chan<- rawEvent, done <-chan struct{}, acc []rawEvent) bool {
	for _, r := range acc {
		select {
		case out <- r:
		case <-done:
			return false
		}
	}
	return true
}

// remember notes the mtime a file had when its event was handled, so that
// a rescan after an overflow can tell the writes already reported from the
// ones lost. Entries go once they are older than the rescan looks.
func (s *nativeSource) remember(rel string, st fileStat) {
	s.sc.reported[rel] = st.mtime
}

// caughtUp records that the kernel queue was empty at t: events lost to a
// later overflow all happen after it.
func (s *nativeSource) caughtUp(t time.Time) {
	s.lastQuiet = t
	if len(s.sc.reported) > 0 {
		old := t.Add(-2 * mtimeSlack).UnixNano()
		for rel, m := range s.sc.reported {
			if m < old {
				delete(s.sc.reported, rel)
			}
		}
	}
}

// overflow makes good the events the kernel dropped (S20): it handles what
// fsnotify still holds, then rescans the whole tree against the cache.
// Files are counted as written when their mtime is after the queue was last
// seen empty, so a file written during the overflow is reported even though
// its inode did not change, unless an event already reported it at that
// mtime.
func (s *nativeSource) overflow(acc []rawEvent) []rawEvent {
	for n := len(s.n.events); n > 0; n-- {
		acc = s.handle(<-s.n.events, acc)
	}
	since := s.lastQuiet.Add(-mtimeSlack).UnixNano()
	acc = s.sc.sync("", s.sc.tree.root, since, syncTree, acc)
	s.caughtUp(time.Now())
	s.rescans.Add(1)
	if !s.overflowSaid {
		s.overflowSaid = true
		s.sc.report(fmt.Errorf("watcher: %s", s.lim.overflowAdvice()))
	}
	return acc
}

// pollUnwatched lists the folders that could not be watched, reporting
// what changed since the last round (S21).
func (s *nativeSource) pollUnwatched(now time.Time, acc []rawEvent) []rawEvent {
	if now.Sub(time.Unix(0, s.lastPoll)) < min(unwatchedPollMax, max(unwatchedPollMin, 20*s.pollDur)) {
		return acc
	}
	start := time.Now()
	since := s.lastPoll - int64(mtimeSlack)
	s.lastPoll = start.UnixNano()
	var polled []sub
	var find func(rel string, d *dirNode)
	find = func(rel string, d *dirNode) {
		if d.polled {
			polled = append(polled, sub{rel, d})
		}
		for name, e := range d.kids {
			if e.dir != nil {
				find(join(rel, name), e.dir)
			}
		}
	}
	find("", s.sc.tree.root)
	for _, p := range polled {
		acc = s.sc.sync(p.rel, p.d, since, syncFolder, acc)
	}
	s.pollDur = time.Since(start)
	return acc
}

// rootMissing reports whether the root is gone or is another folder now,
// for a notifier that does not say so itself.
func (s *nativeSource) rootMissing() bool {
	st, err := stat(s.sc.root)
	return err != nil || !st.dir || st.ino != s.sc.tree.rootIno
}

// lookForRoot re-walks the root once it is back (S19).
func (s *nativeSource) lookForRoot(acc []rawEvent) []rawEvent {
	st, err := stat(s.sc.root)
	if err != nil || !st.dir {
		return acc
	}
	s.rootGone = false
	s.pollTick.Stop()
	s.pollTick = nil
	s.sc.tree.root, s.sc.tree.rootIno = &dirNode{kids: make(map[string]entry)}, st.ino
	if err := s.n.add(s.sc.root); err != nil {
		s.sc.report(fmt.Errorf("watcher: root %q is back but cannot be watched: %w", s.sc.root, err))
		s.rootGone = true
		return acc
	}
	s.sc.report(fmt.Errorf("watcher: root %q is back; watching it again", s.sc.root))
	return s.sc.walk("", s.sc.tree.root, true, acc)
}

func (s *nativeSource) stats() Stats {
	used := s.lim.used(s.sc.tree)
	return Stats{
		Mode:         nativeMode,
		Dirs:         int(s.sc.tree.dirs.Load()),
		Files:        int(s.sc.tree.files.Load()),
		Events:       s.events.Load(),
		Polled:       int(s.sc.tree.polled.Load()),
		Rescans:      s.rescans.Load(),
		WatchesUsed:  used,
		WatchesLimit: s.lim.max(),
		UserWatches:  s.othersCount() + used,
	}
}

func (s *nativeSource) othersCount() int {
	select {
	case <-s.othersSet:
		return s.others
	default:
		return 0
	}
}

func (s *nativeSource) close() error {
	if err := s.n.close(); err != nil {
		return fmt.Errorf("watcher: closing %s: %w", nativeMode, err)
	}
	return nil
}

// handle turns one fsnotify event into raw events, updating the tree and
// the watches on the way, and appends them to acc.
func (s *nativeSource) handle(ev fsnotify.Event, acc []rawEvent) []rawEvent {
	s.events.Add(1)
	rel, ok := s.rel(ev.Name)
	if !ok || s.rootGone {
		return acc
	}
	if rel == "" {
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			return s.lostRoot(acc)
		}
		return acc
	}
	if parent, _ := split(rel); s.sc.tree.dir(parent) == nil {
		// Below an ignored folder, or one not known yet: a recursive
		// watch (Windows) reports everything under the root, and the walk
		// of a new folder finds what is in it.
		return acc
	}
	// The kernel reports one kind of change per event.
	switch {
	case ev.Has(fsnotify.Rename):
		acc = s.gone(rel, rawMove, acc)
	case ev.Has(fsnotify.Remove):
		acc = s.gone(rel, rawRemove, acc)
	case ev.Has(fsnotify.Create):
		acc = s.appeared(rel, acc)
	case ev.Has(fsnotify.Write):
		acc = s.written(rel, acc)
	case ev.Has(fsnotify.Chmod):
		acc = s.attrib(rel, acc)
	}
	if strings.HasSuffix(rel, ".gitignore") && (rel == ".gitignore" || strings.HasSuffix(rel, "/.gitignore")) {
		s.rulesChanged(rel)
	}
	return acc
}

// lostRoot reports the root's removal once and starts polling for its
// return (S19). What was known below it is reported removed.
func (s *nativeSource) lostRoot(acc []rawEvent) []rawEvent {
	s.rootGone = true
	return s.sc.forgetRoot(acc)
}

// rulesChanged reloads a .gitignore that changed and brings the tree in
// line with the new rules: folders now ignored lose their watches, folders
// no longer ignored get theirs. That is a change of view, not of the
// files, so it reports nothing; the .gitignore itself is reported.
func (s *nativeSource) rulesChanged(rel string) {
	dir, _ := split(rel)
	d := s.sc.tree.dir(dir)
	if d == nil || !s.sc.ig.loadGitignore(dir, s.sc.abs(dir)) {
		return
	}
	s.sc.sync(dir, d, 0, syncView, nil)
}

// gone handles a path that was deleted or moved away. A folder's watches
// go with it: inotify keeps the watches of a moved-out folder alive, and
// they would go on reporting under the old names.
func (s *nativeSource) gone(rel string, op rawOp, acc []rawEvent) []rawEvent {
	e, ok := s.sc.tree.get(rel)
	if !ok {
		// Never seen (created and gone before we looked, or ignored), or
		// a repeat: fsnotify reports a moved folder both from its parent
		// and itself.
		return acc
	}
	s.sc.tree.remove(rel, s.sc.unwatch)
	r := rawEvent{Op: op, Path: rel, Dir: e.dir != nil, Known: true}
	if op == rawMove {
		r.Ino = e.ino
	}
	return append(acc, r)
}

// appeared handles a path that was created or moved in. A new folder is
// watched and then listed (walk).
func (s *nativeSource) appeared(rel string, acc []rawEvent) []rawEvent {
	st, err := s.sc.lstatAt(rel)
	if err != nil {
		return acc // gone again; its removal event follows
	}
	isDir := st.dir
	if s.sc.ig.match(rel, isDir) {
		return acc
	}
	old, known := s.sc.tree.get(rel)
	if known {
		if old.ino == st.ino && (old.dir != nil) == isDir {
			return acc // already found by listing its new parent folder
		}
		s.sc.tree.remove(rel, s.sc.unwatch)
	}
	e := entry{ino: st.ino}
	if isDir {
		e.dir = &dirNode{}
	} else {
		s.remember(rel, st)
	}
	s.sc.tree.add(rel, e, 0)
	acc = append(acc, rawEvent{Op: rawCreate, Path: rel, Dir: isDir, Ino: st.ino, Known: known})
	if isDir {
		acc = s.sc.walk(rel, e.dir, true, acc)
	}
	return acc
}

// written handles a content change in place. A folder's own change (its
// listing changed: Windows reports that as a modification) is not a write.
func (s *nativeSource) written(rel string, acc []rawEvent) []rawEvent {
	st, err := s.sc.lstatAt(rel)
	if err == nil {
		s.remember(rel, st)
	}
	if e, ok := s.sc.tree.get(rel); ok {
		if e.dir != nil {
			return acc
		}
		return append(acc, rawEvent{Op: rawWrite, Path: rel, Known: true})
	}
	if err != nil {
		return acc // a stale name from a moved-out folder, or gone already
	}
	if st.dir || s.sc.ig.match(rel, false) {
		return acc
	}
	s.sc.tree.add(rel, entry{ino: st.ino}, 0)
	return append(acc, rawEvent{Op: rawWrite, Path: rel})
}

// attrib handles a metadata change. chmod and chown are dropped (S15);
// touch, which sets the mtime to now, is a write (S16): people touch a
// file to get a reload. touch(1) sets mtime and ctime from one reading of
// the kernel's clock, so they are equal; chmod moves only ctime. (A chmod
// within a clock tick of a write cannot be told from a touch.)
func (s *nativeSource) attrib(rel string, acc []rawEvent) []rawEvent {
	e, ok := s.sc.tree.get(rel)
	if !ok || e.dir != nil {
		return acc
	}
	st, err := s.sc.lstatAt(rel)
	if err != nil {
		return acc
	}
	if st.mtime == st.ctime && time.Since(time.Unix(0, st.mtime)) < time.Second {
		return append(acc, rawEvent{Op: rawWrite, Path: rel, Known: true})
	}
	return append(acc, rawEvent{Op: rawChmod, Path: rel, Known: true})
}

// rel converts a notifier's name to a slash path relative to the root.
func (s *nativeSource) rel(name string) (string, bool) {
	if name == s.sc.root {
		return "", true
	}
	prefix := s.sc.root
	if !strings.HasSuffix(prefix, string(filepath.Separator)) {
		prefix += string(filepath.Separator)
	}
	rel, ok := strings.CutPrefix(name, prefix)
	return filepath.ToSlash(rel), ok
}

// watchError explains why a folder could not be watched.
func watchError(rel string, err error) error {
	switch {
	case vanished(err):
		return fmt.Errorf("watcher: folder %q vanished before it could be watched: %w", rel, err)
	case denied(err):
		return fmt.Errorf("watcher: cannot watch folder %q: permission denied; its changes will not be seen: %w", rel, err)
	default:
		return fmt.Errorf("watcher: cannot watch folder %q: %w", rel, err)
	}
}
