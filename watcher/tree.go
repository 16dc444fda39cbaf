package watcher

import (
	"strings"
	"sync/atomic"
)

// The tree is the stat cache: every known path under the root, enough to
// tell a create from an overwrite, to pair a rename by inode, to drop a
// folder's watches when it goes, and to diff a rescan against. It is kept
// small because a large project has a hundred thousand paths: no full path
// strings and no allocation per file, only one listing per folder from base
// name to entry (kids.go: 12 bytes a file plus its name's bytes; with the
// folders and their watches, 45 bytes a path on watchbench's 100k tree).

// entry is one child of a folder.
type entry struct {
	ino uint64
	// stamp is a fingerprint of size and mtime, kept by the polling
	// backend only, which has no other way to see a write.
	stamp uint64
	dir   *dirNode // nil for anything but a folder (files, symlinks, …)
}

// dirNode is a known folder.
type dirNode struct {
	// The small form (kids.go): names back to back, and the children
	// sorted by name, while the folder is small.
	names   string
	files   []fileKid
	dirs    []dirKid
	more    *dirMore // stamps, or the map of a big folder; nil for most
	watched bool     // an inotify watch is in place
	polled  bool     // no watch could be had (limits): its listing is polled
}

// tree holds the root folder. Only the source's goroutine touches it; the
// counters are atomic for Stats.
type tree struct {
	root    *dirNode
	rootIno uint64
	dirs    atomic.Int64 // watched (or polled) folders
	files   atomic.Int64 // known non-folders
	polled  atomic.Int64 // folders polled because they could not be watched
}

func newTree(rootIno uint64) *tree {
	return &tree{root: &dirNode{}, rootIno: rootIno}
}

// dir returns the folder at rel, or nil.
func (t *tree) dir(rel string) *dirNode {
	d := t.root
	for rel != "" && d != nil {
		name, rest, _ := strings.Cut(rel, "/")
		e, _ := d.get(name)
		d = e.dir
		rel = rest
	}
	return d
}

// get returns the entry at rel (not the root) and whether it is known.
func (t *tree) get(rel string) (entry, bool) {
	parent, base := split(rel)
	d := t.dir(parent)
	if d == nil {
		return entry{}, false
	}
	return d.get(base)
}

// add records e at rel, whose parent folder must be known; it replaces
// nothing (the caller has removed any previous entry first).
func (t *tree) add(rel string, e entry) {
	parent, base := split(rel)
	p := t.dir(parent)
	if p == nil {
		return
	}
	if e.dir == nil {
		t.files.Add(1)
	}
	p.set(base, e)
}

// setWatched marks a folder as watched, for the Dirs count.
func (t *tree) setWatched(d *dirNode) {
	if !d.watched {
		d.watched = true
		t.dirs.Add(1)
	}
}

// setPolled marks a folder that could not be watched.
func (t *tree) setPolled(d *dirNode, on bool) {
	if d.polled != on {
		d.polled = on
		if on {
			t.polled.Add(1)
		} else {
			t.polled.Add(-1)
		}
	}
}

// remove forgets rel and everything below it, calling unwatch for every
// watched folder among them, deepest first.
func (t *tree) remove(rel string, unwatch func(rel string)) {
	parent, base := split(rel)
	p := t.dir(parent)
	if p == nil {
		return
	}
	e, ok := p.del(base)
	if !ok {
		return
	}
	t.forget(rel, e, unwatch)
}

// forget updates the counters for an entry that left the tree, and for
// everything below it.
func (t *tree) forget(rel string, e entry, unwatch func(rel string)) {
	if e.dir == nil {
		t.files.Add(-1)
		return
	}
	for name, k := range e.dir.kids() {
		t.forget(join(rel, name), k, unwatch)
	}
	t.setPolled(e.dir, false)
	if e.dir.watched {
		e.dir.watched = false
		t.dirs.Add(-1)
		unwatch(rel)
	}
}

// clear forgets everything, the root's own watch included (the root was
// removed).
func (t *tree) clear(unwatch func(rel string)) {
	for name, k := range t.root.kids() {
		t.forget(name, k, unwatch)
	}
	t.root.reset()
	t.setPolled(t.root, false)
	if t.root.watched {
		t.root.watched = false
		t.dirs.Add(-1)
		unwatch("")
	}
}

// split cuts a relative slash path into its parent ("" for the root) and
// base name.
func split(rel string) (dir, base string) {
	for i := len(rel) - 1; i >= 0; i-- {
		if rel[i] == '/' {
			return rel[:i], rel[i+1:]
		}
	}
	return "", rel
}

// join appends a base name to a relative slash path.
func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}
