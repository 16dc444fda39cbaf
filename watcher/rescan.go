package watcher

import "strings"

// syncMode says how far a sync goes and whether it reports what it finds.
type syncMode uint8

const (
	syncFolder syncMode = iota // the folder alone, differences reported (polled folders)
	syncTree                   // the folder and every known folder below it, reported (overflow, polling)
	syncView                   // the folder and below, brought up to date silently (ignore rules changed)
)

// deep: the sync descends into known sub-folders; emit: it reports.
func (m syncMode) deep() bool { return m != syncFolder }
func (m syncMode) emit() bool { return m != syncView }

// sync compares the folder rel, known as d, with the disk and appends raw
// events for every difference, updating the tree and the watches: this is
// how a lost event is made good (overflow, polled folders) and how the
// polling backend sees anything at all. A file whose inode is unchanged
// counts as written when its fingerprint changed (stamps) or, failing
// that, when its mtime is at or after since (nanoseconds; 0 for never).
func (sc *scanner) sync(rel string, d *dirNode, since int64, mode syncMode, acc []rawEvent) []rawEvent {
	if sc.stopped() {
		return acc
	}
	abs := sc.abs(rel)
	if sc.ops != nil && !d.watched {
		// A folder that could not be watched: try again, limits change.
		if err := sc.ops.watch(abs); err == nil {
			sc.tree.setWatched(d)
			sc.tree.setPolled(d, false)
		}
	}
	ents, err := sc.ls.list(abs)
	if err != nil {
		return acc // gone: the parent's sync, or an event, reports it
	}
	sc.loadRules(rel, abs, ents)
	var subs, added []sub
	kept := 0 // listed entries among d's children afterwards; fewer than d.count() means removals
	for _, e := range ents {
		child := sc.childPath(rel, e.name)
		isDir, ok := sc.isDir(e, child)
		if !ok || sc.ig.match(child, isDir) {
			continue
		}
		kept++
		old, known := d.get(e.name)
		switch {
		case known && old.ino == e.ino && (old.dir != nil) == isDir && isDir:
			if mode.deep() {
				subs = append(subs, sub{strings.Clone(child), old.dir})
			}
		case known && old.ino == e.ino && (old.dir != nil) == isDir:
			acc = sc.syncFile(d, e.name, child, old, since, mode, acc)
		default:
			var dir *dirNode
			acc, dir = sc.syncNew(child, e, isDir, known, old, mode, acc)
			if dir != nil {
				added = append(added, sub{child, dir})
			}
		}
	}
	if kept < d.count() {
		acc = sc.syncGone(rel, d, ents, mode, acc)
	}
	// New folders are walked only now: walk reuses the lister's buffers.
	for _, s := range added {
		acc = sc.walk(s.rel, s.d, mode.emit(), acc)
	}
	for _, s := range subs {
		acc = sc.sync(s.rel, s.d, since, mode, acc)
	}
	return acc
}

// syncFile checks a file that is still there, as the same inode, for a
// write: its stamp moved (polling), or its mtime is at or after since and
// no event reported it at that mtime (native).
func (sc *scanner) syncFile(d *dirNode, name, child string, old entry, since int64, mode syncMode, acc []rawEvent) []rawEvent {
	if !sc.stamps() && since == 0 {
		return acc
	}
	stamp, mtime := sc.stamp(child)
	if sc.stamps() && stamp != old.stamp || !sc.stamps() && mtime >= since && !sc.seenAt(child, mtime) {
		if sc.stamps() {
			old.stamp = stamp
			d.set(name, old)
		}
		if mode.emit() {
			acc = append(acc, rawEvent{Op: rawWrite, Path: strings.Clone(child), Known: true})
		}
	}
	return acc
}

// syncNew records a listed entry that is new at its path, or that
// replaced what was known there. A new folder is returned, to be walked
// once the listing is done.
func (sc *scanner) syncNew(child string, e dirent, isDir, known bool, old entry, mode syncMode, acc []rawEvent) ([]rawEvent, *dirNode) {
	child = strings.Clone(child)
	if known {
		// Replaced: by an atomic save (coalesce makes remove+create of a
		// file a write), or by a folder or a file (S18).
		sc.tree.remove(child, sc.unwatch)
		if mode.emit() {
			acc = append(acc, rawEvent{Op: rawRemove, Path: child, Dir: old.dir != nil, Known: true})
		}
	}
	en := entry{ino: e.ino}
	if isDir {
		en.dir = &dirNode{}
	} else if sc.stamps() {
		en.stamp, _ = sc.stamp(child)
	}
	sc.tree.add(child, en)
	if mode.emit() {
		acc = append(acc, rawEvent{Op: rawCreate, Path: child, Dir: isDir, Ino: e.ino})
	}
	return acc, en.dir
}

// syncGone forgets what d knew but the listing ents no longer shows, or
// what is ignored now (a .gitignore changed).
func (sc *scanner) syncGone(rel string, d *dirNode, ents []dirent, mode syncMode, acc []rawEvent) []rawEvent {
	listed := make(map[string]bool, len(ents))
	for _, e := range ents {
		listed[e.name] = true
	}
	type goner struct {
		path string
		old  entry
	}
	var gone []goner // removed after the loop: d must not change during it
	for name, old := range d.kids() {
		if p := join(rel, name); !listed[name] || sc.ig.match(p, old.dir != nil) {
			gone = append(gone, goner{p, old})
		}
	}
	for _, g := range gone {
		child, old := g.path, g.old
		sc.tree.remove(child, sc.unwatch)
		if !mode.emit() {
			continue
		}
		r := rawEvent{Op: rawRemove, Path: child, Dir: old.dir != nil, Known: true}
		if sc.stamps() {
			// Polling has no rename events: an inode that left one path
			// may turn up at another in the same scan, and coalesce pairs
			// them (S12). (After an overflow the native source does not
			// guess: an inode freed by a delete can be reused at once.)
			r.Op, r.Ino = rawMove, old.ino
		}
		acc = append(acc, r)
	}
	return acc
}

// seenAt reports whether an event for rel was handled when its mtime was
// already mtime.
func (sc *scanner) seenAt(rel string, mtime int64) bool {
	m, ok := sc.reported[rel]
	return ok && m == mtime
}
