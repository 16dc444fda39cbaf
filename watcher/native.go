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
	s.others = max(0, s.others-int(s.sc.tree.dirs.Load())-c.peerWatches()) // ours were counted too, if the walk was quick
	s.checkLimits()
	return s, nil
}

// watch puts a watch on a folder, within the OS's budget (watchOps).
func (s *nativeSource) watch(abs string) error {
	if err := s.lim.admit(abs, s.lim.used(s.sc.tree)+s.sc.peerWatches()); err != nil {
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
	used := s.lim.used(s.sc.tree) + s.sc.peerWatches()
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
