package watcher

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"
)

// scanner walks and rescans the tree for both sources: the start-up walk,
// the walk of a folder that appears, the rescan after a kernel queue
// overflow, polling. It keeps the tree, the ignore rules and the folder
// listing buffers, and belongs to the source's goroutine.
type scanner struct {
	scanConfig
	tree *tree
	ls   *lister
	// ops are the native source's watches; nil when polling, which keeps
	// a size+mtime stamp of every file instead, its only way to see a
	// write.
	ops watchOps
	// reported holds the mtimes of files whose events were handled while
	// the source was behind the kernel (native only): after an overflow a
	// file whose mtime is unchanged since its event needs no second report.
	reported map[string]int64

	lastProgress time.Time // throttles progress
	path         []byte    // scratch for building child paths
	kids         listing   // scratch for a folder's first listing
}

// scanConfig is what the Watcher gives a source for its scanner.
type scanConfig struct {
	root   string // absolute, cleaned
	ig     *ignorer
	report func(error) // a non-fatal problem, for Errors
	// busy is set while the source works through something (an event, a
	// walk, a rescan, a backlog): the batcher does not mistake the
	// source's own delay for quiet on the disk.
	busy *atomic.Bool
	// peers counts the watches that the watcher's other sources hold
	// (see roots): they come out of the same budget.
	peers func() int
	// done is closed by Close; a long walk checks it and stops early.
	done <-chan struct{}
	// progress is Options.Progress, called during the first walk only.
	progress func(dirs, files int)
}

// peerWatches is what peers counts, 0 without peers.
func (c scanConfig) peerWatches() int {
	if c.peers == nil {
		return 0
	}
	return c.peers()
}

// watchOps is the native source's part in a walk: a watch put on a
// folder, a watch taken off, and word that a folder could not be watched
// for a limit of the OS (it is polled instead).
type watchOps interface {
	watch(abs string) error
	unwatch(rel string)
	limited(rel string, err error)
}

// newScanner makes the scanner of a source, with ops nil for polling, and
// walks the whole tree once; the walk reports nothing.
func newScanner(c scanConfig, ops watchOps) (*scanner, error) {
	st, err := stat(c.root)
	if err != nil {
		return nil, fmt.Errorf("watcher: root %q: %w", c.root, err)
	}
	sc := &scanner{scanConfig: c, tree: newTree(st.ino), ls: newLister(), ops: ops}
	if ops != nil {
		sc.reported = make(map[string]int64)
	}
	return sc, nil
}

// firstWalk walks and watches the whole tree, reporting progress.
func (sc *scanner) firstWalk() {
	sc.walk("", sc.tree.root, false, nil)
	sc.progress = nil
}

// stamps: polling fingerprints every file.
func (sc *scanner) stamps() bool { return sc.ops == nil }

// unwatch takes the watch off a folder that left the tree.
func (sc *scanner) unwatch(rel string) {
	if sc.ops != nil {
		sc.ops.unwatch(rel)
	}
}

func (sc *scanner) abs(rel string) string {
	if rel == "" {
		return sc.root
	}
	return filepath.Join(sc.root, filepath.FromSlash(rel))
}

func (sc *scanner) stopped() bool {
	select {
	case <-sc.done:
		return true
	default:
		return false
	}
}

// childPath builds rel/name in the scratch buffer and returns it as a
// string that is only valid until the next call: use it for lookups and
// matching, strings.Clone it to keep it.
func (sc *scanner) childPath(rel, name string) string {
	sc.path = sc.path[:0]
	if rel != "" {
		sc.path = append(sc.path, rel...)
		sc.path = append(sc.path, '/')
	}
	sc.path = append(sc.path, name...)
	return unsafe.String(unsafe.SliceData(sc.path), len(sc.path))
}

// sub is a folder found by a listing, walked once the listing is done
// (the lister's buffers are reused by the walk below).
type sub struct {
	rel string
	d   *dirNode
}

// walk puts a watch on the folder rel, which is already in the tree as d,
// and THEN lists it, recursing into sub-folders: a file created between the
// folder's creation and its watch is found by the listing (S8, S9). With
// emit set, every path found is appended to acc as a create, since nobody
// has reported it yet; duplicates with the kernel's own creates are merged
// by coalesce. Ignored folders are never listed or watched.
func (sc *scanner) walk(rel string, d *dirNode, emit bool, acc []rawEvent) []rawEvent {
	if sc.stopped() {
		return acc
	}
	abs := sc.abs(rel) // one string for the watch and the listing: the notifier keeps it
	if !sc.watchDir(rel, abs, d) {
		return acc
	}
	sc.reportProgress()
	ents, err := sc.ls.list(abs)
	if err != nil {
		if !vanished(err) {
			sc.report(fmt.Errorf("watcher: listing folder %q: %w", rel, err))
		}
		return acc
	}
	sc.loadRules(rel, abs, ents)
	var subs []sub
	for _, e := range ents {
		child := sc.childPath(rel, e.name)
		isDir, ok := sc.isDir(e, child)
		if !ok || sc.ig.match(child, isDir) {
			continue
		}
		if _, known := d.get(e.name); known {
			continue
		}
		en := entry{ino: e.ino}
		if isDir {
			en.dir = &dirNode{}
		} else {
			sc.tree.files.Add(1)
			if sc.stamps() {
				en.stamp, _ = sc.stamp(child)
			}
		}
		sc.kids.add(e.name, en)
		if emit || isDir {
			child = strings.Clone(child)
		}
		if emit {
			acc = append(acc, rawEvent{Op: rawCreate, Path: child, Dir: isDir, Ino: e.ino})
		}
		if isDir {
			subs = append(subs, sub{child, en.dir})
		}
	}
	d.adopt(&sc.kids)
	for _, s := range subs {
		acc = sc.walk(s.rel, s.d, emit, acc)
	}
	return acc
}

// forgetRoot is what both sources do when the root was removed or moved
// away (S19): everything known below it is reported removed, the tree is
// emptied, and the loss is said once.
func (sc *scanner) forgetRoot(acc []rawEvent) []rawEvent {
	for name, e := range sc.tree.root.kids() {
		acc = append(acc, rawEvent{Op: rawRemove, Path: name, Dir: e.dir != nil, Known: true})
	}
	sc.tree.clear(sc.unwatch)
	sc.report(fmt.Errorf("watcher: root %q was removed or moved away; watching for it to come back", sc.root))
	return acc
}

// reportProgress calls progress at most every progressEvery.
func (sc *scanner) reportProgress() {
	const progressEvery = 100 * time.Millisecond
	if sc.progress == nil {
		return
	}
	if now := time.Now(); now.Sub(sc.lastProgress) >= progressEvery {
		sc.lastProgress = now
		sc.progress(int(sc.tree.dirs.Load()), int(sc.tree.files.Load()))
	}
}

// watchDir puts the watch on a folder, counting it. It reports false when
// the folder cannot be listed either (it vanished).
func (sc *scanner) watchDir(rel, abs string, d *dirNode) bool {
	if sc.ops == nil {
		sc.tree.setWatched(d)
		return true
	}
	err := sc.ops.watch(abs)
	switch {
	case err == nil:
		sc.tree.setWatched(d)
		sc.tree.setPolled(d, false)
	case isLimit(err):
		sc.tree.setPolled(d, true)
		sc.ops.limited(rel, err)
	default:
		if !vanished(err) {
			sc.report(watchError(rel, err))
		}
		return false
	}
	return true
}

// loadRules reads the folder's .gitignore, if rules are honoured and it has
// one (or had one).
func (sc *scanner) loadRules(rel, abs string, ents []dirent) {
	if sc.ig.git == nil {
		return
	}
	has := rel == "" // the root may also have .git/info/exclude
	if _, had := sc.ig.git[rel]; had {
		has = true
	}
	for i := 0; !has && i < len(ents); i++ {
		has = ents[i].name == ".gitignore"
	}
	if has {
		sc.ig.loadGitignore(rel, abs)
	}
}

// isDir tells whether a listed entry is a folder, asking the disk only
// when the file system did not say; ok is false when it vanished.
func (sc *scanner) isDir(e dirent, rel string) (dir, ok bool) {
	if e.kind != kindUnknown {
		return e.kind == kindDir, true
	}
	st, err := sc.lstatAt(rel)
	if err != nil {
		return false, false
	}
	return st.dir, true
}

// stamp fingerprints a file's size and mtime; also returns its mtime in
// nanoseconds. It is the polling backend's inner loop (one call per file
// per scan), so it joins the path by hand: rel is already clean.
func (sc *scanner) stamp(rel string) (stamp uint64, mtime int64) {
	t, err := timesOf(sc.root + string(filepath.Separator) + filepath.FromSlash(rel))
	if err != nil {
		return 0, 0
	}
	return uint64(t.mtime)*0x9E3779B97F4A7C15 ^ uint64(t.size), t.mtime
}
