package watcher

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/fsnotify/fsnotify"
)

// inotifySource watches every folder of the tree with its own inotify watch
// (through fsnotify, which does not recurse by itself) and keeps the stat
// cache that annotates each raw event.
type inotifySource struct {
	fsw    *fsnotify.Watcher
	root   string // absolute, cleaned
	ig     *ignorer
	report func(error)
	tree   *tree
	buf    []byte // getdents buffer, reused by every listing
	events atomic.Uint64

	rootGone bool // the root's removal has been reported
}

// fsnotifyBuffer lets fsnotify's reader run ahead of us while we walk a new
// folder, so the kernel queue drains during a burst.
const fsnotifyBuffer = 4096

// newInotify watches root and the whole tree below it before returning.
func newInotify(root string, ig *ignorer, report func(error)) (*inotifySource, error) {
	var st syscall.Stat_t
	if err := syscall.Stat(root, &st); err != nil {
		return nil, fmt.Errorf("watcher: root %q: %w", root, err)
	}
	fsw, err := fsnotify.NewBufferedWatcher(fsnotifyBuffer)
	if err != nil {
		if errors.Is(err, syscall.EMFILE) {
			return nil, fmt.Errorf("watcher: cannot start inotify: too many inotify instances or open files; raise the limit with \"sudo sysctl fs.inotify.max_user_instances=512\" (or ulimit -n): %w", err)
		}
		return nil, fmt.Errorf("watcher: cannot start inotify: %w", err)
	}
	s := &inotifySource{
		fsw:    fsw,
		root:   root,
		ig:     ig,
		report: report,
		tree:   newTree(st.Ino),
		buf:    make([]byte, 32<<10),
	}
	if err := fsw.Add(root); err != nil {
		fsw.Close()
		return nil, fmt.Errorf("watcher: root %q: %w", root, explainLimit(err))
	}
	s.watchTree("", s.tree.get(""), false, nil)
	return s, nil
}

func (s *inotifySource) run(out chan<- rawEvent, done <-chan struct{}) {
	var acc []rawEvent
	for {
		select {
		case <-done:
			return
		case err, ok := <-s.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				err = fmt.Errorf("watcher: the kernel's inotify queue overflowed and some changes were missed; raise fs.inotify.max_queued_events: %w", err)
			} else {
				err = fmt.Errorf("watcher: inotify: %w", err)
			}
			s.report(err)
		case ev, ok := <-s.fsw.Events:
			if !ok {
				return
			}
			s.events.Add(1)
			acc = s.handle(ev, acc[:0])
			for _, r := range acc {
				select {
				case out <- r:
				case <-done:
					return
				}
			}
		}
	}
}

func (s *inotifySource) stats() Stats {
	return Stats{
		Mode:   "inotify",
		Dirs:   int(s.tree.dirs.Load()),
		Files:  int(s.tree.files.Load()),
		Events: s.events.Load(),
	}
}

func (s *inotifySource) close() error {
	if err := s.fsw.Close(); err != nil {
		return fmt.Errorf("watcher: closing inotify: %w", err)
	}
	return nil
}

// handle turns one fsnotify event into raw events, updating the tree and
// the watches on the way, and appends them to acc.
func (s *inotifySource) handle(ev fsnotify.Event, acc []rawEvent) []rawEvent {
	rel, ok := s.rel(ev.Name)
	if !ok {
		return acc
	}
	if rel == "" {
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			if !s.rootGone {
				s.rootGone = true
				s.report(fmt.Errorf("watcher: root %q was removed or moved away; no further changes will be seen", s.root))
			}
		}
		return acc
	}
	if s.ig.match(rel) {
		return acc
	}
	// The kernel reports one kind of change per event.
	switch {
	case ev.Has(fsnotify.Rename):
		return s.gone(rel, rawMove, acc)
	case ev.Has(fsnotify.Remove):
		return s.gone(rel, rawRemove, acc)
	case ev.Has(fsnotify.Create):
		return s.appeared(rel, acc)
	case ev.Has(fsnotify.Write):
		return s.written(rel, acc)
	case ev.Has(fsnotify.Chmod):
		return append(acc, rawEvent{Op: rawChmod, Path: rel, Known: s.tree.get(rel) != nil})
	}
	return acc
}

// gone handles a path that was deleted or moved away. A folder's watches
// go with it: inotify keeps the watches of a moved-out folder alive, and
// they would go on reporting under the old names.
func (s *inotifySource) gone(rel string, op rawOp, acc []rawEvent) []rawEvent {
	n := s.tree.get(rel)
	if n == nil {
		// Never seen (created and gone before we looked), or a repeat:
		// fsnotify reports a moved folder both from its parent and itself.
		return acc
	}
	s.tree.remove(rel, s.unwatch)
	r := rawEvent{Op: op, Path: rel, Dir: n.dir, Known: true}
	if op == rawMove {
		r.Ino = n.ino
	}
	return append(acc, r)
}

// appeared handles a path that was created or moved in. A new folder is
// watched and then listed (watchTree).
func (s *inotifySource) appeared(rel string, acc []rawEvent) []rawEvent {
	fi, err := os.Lstat(s.abs(rel))
	if err != nil {
		return acc // gone again; its removal event follows
	}
	ino := fi.Sys().(*syscall.Stat_t).Ino
	isDir := fi.IsDir()
	old := s.tree.get(rel)
	if old != nil {
		if old.ino == ino && old.dir == isDir {
			return acc // already found by listing its new parent folder
		}
		s.tree.remove(rel, s.unwatch)
	}
	n := &node{ino: ino, dir: isDir}
	s.tree.add(rel, n)
	acc = append(acc, rawEvent{Op: rawCreate, Path: rel, Dir: isDir, Ino: ino, Known: old != nil})
	if isDir {
		acc = s.watchTree(rel, n, true, acc)
	}
	return acc
}

// written handles a content change in place.
func (s *inotifySource) written(rel string, acc []rawEvent) []rawEvent {
	if s.tree.get(rel) != nil {
		return append(acc, rawEvent{Op: rawWrite, Path: rel, Known: true})
	}
	fi, err := os.Lstat(s.abs(rel))
	if err != nil {
		return acc // a stale name from a moved-out folder, or gone already
	}
	s.tree.add(rel, &node{ino: fi.Sys().(*syscall.Stat_t).Ino, dir: fi.IsDir()})
	return append(acc, rawEvent{Op: rawWrite, Path: rel, Dir: fi.IsDir()})
}

// unwatch drops the watch of a folder that left the tree. The kernel has
// already dropped it when the folder was deleted, hence no error report.
func (s *inotifySource) unwatch(rel string) {
	_ = s.fsw.Remove(s.abs(rel))
}

// rel converts an fsnotify name to a slash path relative to the root.
func (s *inotifySource) rel(name string) (string, bool) {
	if name == s.root {
		return "", true
	}
	prefix := s.root
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	rel, ok := strings.CutPrefix(name, prefix)
	return filepath.ToSlash(rel), ok
}

func (s *inotifySource) abs(rel string) string {
	if rel == "" {
		return s.root
	}
	return filepath.Join(s.root, filepath.FromSlash(rel))
}

// watchError explains why a folder could not be watched.
func watchError(rel string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOENT), errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("watcher: folder %q vanished before it could be watched: %w", rel, err)
	default:
		return fmt.Errorf("watcher: cannot watch folder %q: %w", rel, explainLimit(err))
	}
}

// explainLimit adds the cure to ENOSPC from inotify_add_watch, which
// otherwise reads "no space left on device".
func explainLimit(err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("the per-user inotify watch limit is reached; raise it with \"sudo sysctl fs.inotify.max_user_watches=524288\" or ignore large folders: %w", err)
	}
	return err
}
