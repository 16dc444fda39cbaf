package watcher

import (
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// The native source's handling of one notification: what it means for the
// tree, and the raw events it becomes.

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
	s.sc.tree.add(rel, e)
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
	s.sc.tree.add(rel, entry{ino: st.ino})
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
		return append(acc, rawEvent{Op: rawWrite, Path: rel, Known: true, Touch: true})
	}
	return append(acc, rawEvent{Op: rawChmod, Path: rel, Known: true})
}
