package watcher

import "sync/atomic"

// node is what the watcher remembers about one path: enough to tell a
// create from an overwrite, to pair a rename by inode, and to drop a
// folder's watches when it goes.
type node struct {
	ino     uint64
	dir     bool
	watched bool                // dir only: an inotify watch is in place
	kids    map[string]struct{} // dir only: base names of known children
}

// tree is the stat cache: every known path under the root, by slash path
// relative to it (the root itself is ""). Only the source's goroutine
// touches it; the counters are atomic for Stats.
type tree struct {
	nodes map[string]*node
	dirs  atomic.Int64 // watched folders
	files atomic.Int64 // known non-folders
}

func newTree(rootIno uint64) *tree {
	t := &tree{nodes: make(map[string]*node)}
	t.nodes[""] = &node{ino: rootIno, dir: true, kids: make(map[string]struct{})}
	return t
}

func (t *tree) get(rel string) *node { return t.nodes[rel] }

// add records n at rel, replacing nothing: the caller has removed any
// previous node first.
func (t *tree) add(rel string, n *node) {
	t.nodes[rel] = n
	if n.dir {
		n.kids = make(map[string]struct{})
	} else {
		t.files.Add(1)
	}
	dir, base := split(rel)
	if p := t.nodes[dir]; p != nil && p.dir {
		p.kids[base] = struct{}{}
	}
}

// setWatched marks a folder as watched, for the Dirs count.
func (t *tree) setWatched(n *node) {
	if !n.watched {
		n.watched = true
		t.dirs.Add(1)
	}
}

// remove forgets rel and everything below it, calling unwatch for every
// watched folder among them, deepest first.
func (t *tree) remove(rel string, unwatch func(rel string)) {
	n := t.nodes[rel]
	if n == nil {
		return
	}
	for name := range n.kids {
		t.remove(join(rel, name), unwatch)
	}
	delete(t.nodes, rel)
	if n.dir {
		if n.watched {
			t.dirs.Add(-1)
			unwatch(rel)
		}
	} else {
		t.files.Add(-1)
	}
	dir, base := split(rel)
	if p := t.nodes[dir]; p != nil {
		delete(p.kids, base)
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
