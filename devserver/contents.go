package devserver

import (
	"hash/maphash"
	"io"
	"sync"

	"github.com/hotserve/hotserve/watcher"
)

// Many generators (Hugo, Jekyll, Sphinx, tsc without incremental builds)
// rewrite every output file on every build, whether its bytes changed or
// not. contents remembers a hash of each file that came in a batch, so
// that a rewrite with the same bytes is no change: a rebuild that changed
// one page updates only the tabs that show it. The first batch with a
// file has nothing to compare with, so it counts as changed.
//
// A touch is still an update (watcher.Event.Touch): people touch a file to
// get a reload. A write of the same bytes is not, even alone: it may be the
// first file of a build, sent before the rest.
type contents struct {
	root tree
	seed maphash.Seed

	mu     sync.Mutex
	hashes map[string]uint64 // slash path relative to the root → hash of its bytes
}

const (
	// maxHashed bounds the files remembered; past it the map starts over,
	// which costs one rebuild's worth of updates that were not needed.
	// 50,000 files take about 4 MB.
	maxHashed = 50_000
	// maxHashBytes is the largest file hashed; a bigger one (a video, a
	// database) always counts as changed rather than being read whole at
	// every write.
	maxHashBytes = 64 << 20
)

func newContents(root tree) *contents {
	return &contents{root: root, seed: maphash.MakeSeed(), hashes: make(map[string]uint64)}
}

// changed returns b without the writes that left a file's bytes as they
// were, touches kept.
func (c *contents) changed(b watcher.Batch) watcher.Batch {
	kept := b.Events[:0:0]
	for _, e := range b.Events {
		if c.note(e) || e.Touch {
			kept = append(kept, e)
		}
	}
	b.Events = kept
	return b
}

// note records what e did to the file's bytes and reports whether they
// changed.
func (c *contents) note(e watcher.Event) bool {
	if e.Dir {
		return true
	}
	if e.Op == watcher.Remove || e.Op == watcher.Rename {
		c.mu.Lock()
		delete(c.hashes, e.Path)
		delete(c.hashes, e.From)
		c.mu.Unlock()
		return true
	}
	sum, ok := c.hash(e.Path)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !ok {
		delete(c.hashes, e.Path)
		return true
	}
	prev, seen := c.hashes[e.Path]
	if !seen && len(c.hashes) >= maxHashed {
		clear(c.hashes)
	}
	c.hashes[e.Path] = sum
	return !seen || prev != sum || e.Op == watcher.Create
}

// hash reads the file at the slash path name; ok is false when it cannot
// be read or is larger than maxHashBytes.
func (c *contents) hash(name string) (sum uint64, ok bool) {
	f, err := c.root.Open(name)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	var h maphash.Hash
	h.SetSeed(c.seed)
	n, err := io.Copy(&h, io.LimitReader(f, maxHashBytes+1))
	if err != nil || n > maxHashBytes {
		return 0, false
	}
	return h.Sum64(), true
}
