package watcher

import (
	"fmt"
	"time"
)

// What the native source does about what the OS could not tell it: a
// queue overflow, folders without a watch, a root that went away.

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
		for name, e := range d.kids() {
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
	s.sc.tree.root, s.sc.tree.rootIno = &dirNode{}, st.ino
	if err := s.n.add(s.sc.root); err != nil {
		s.sc.report(fmt.Errorf("watcher: root %q is back but cannot be watched: %w", s.sc.root, err))
		s.rootGone = true
		return acc
	}
	s.sc.report(fmt.Errorf("watcher: root %q is back; watching it again", s.sc.root))
	return s.sc.walk("", s.sc.tree.root, true, acc)
}
