package watcher

import (
	"iter"
	"slices"
	"strings"
)

// A folder's children are kept as a slice sorted by name while the folder
// is small, and as a map once it is big. Most folders of a project hold a
// handful of files: a slice costs 40 bytes a child (name, inode, stamp,
// folder), where a map with its groups, control bytes and power-of-two
// sizing costs about 75 (watchbench's heap profile). A folder of thousands
// of files (a build's output, a burst of creates) gets the map's constant
// time instead of the slice's memmove per insert.

// bigFolder is the number of children beyond which a folder's listing
// becomes a map: a binary search over 64 names is six comparisons, and an
// insert moves at most 2.5 KB.
const bigFolder = 64

// kid is one child of a small folder.
type kid struct {
	name string
	entry
}

// find is the position of name in a small folder's sorted listing.
func (d *dirNode) find(name string) (int, bool) {
	return slices.BinarySearchFunc(d.small, name, func(k kid, n string) int { return strings.Compare(k.name, n) })
}

// get returns the child name and whether it is known.
func (d *dirNode) get(name string) (entry, bool) {
	if d.big != nil {
		e, ok := d.big[name]
		return e, ok
	}
	if i, ok := d.find(name); ok {
		return d.small[i].entry, true
	}
	return entry{}, false
}

// set records or replaces the child name. The folder keeps name: the
// caller passes a string that may stay alive (a clone, or a slice of a
// listing the folder shares).
func (d *dirNode) set(name string, e entry) {
	if d.big != nil {
		d.big[name] = e
		return
	}
	i, ok := d.find(name)
	switch {
	case ok:
		d.small[i].entry = e
	case len(d.small) >= bigFolder:
		d.big = make(map[string]entry, 2*len(d.small))
		for _, k := range d.small {
			d.big[k.name] = k.entry
		}
		d.big[name] = e
		d.small = nil
	default:
		d.small = slices.Insert(d.small, i, kid{name, e})
	}
}

// del forgets the child name and returns what it was.
func (d *dirNode) del(name string) (entry, bool) {
	if d.big != nil {
		e, ok := d.big[name]
		delete(d.big, name)
		return e, ok
	}
	i, ok := d.find(name)
	if !ok {
		return entry{}, false
	}
	e := d.small[i].entry
	d.small = slices.Delete(d.small, i, i+1) // clears the tail: the name is not kept alive
	return e, true
}

// count is the number of children.
func (d *dirNode) count() int {
	if d.big != nil {
		return len(d.big)
	}
	return len(d.small)
}

// reserve makes room for n children in a folder that has none yet, before
// its first listing is recorded, so that the listing is one allocation.
func (d *dirNode) reserve(n int) {
	if d.count() > 0 {
		return
	}
	if n > bigFolder {
		d.small, d.big = nil, make(map[string]entry, n)
	} else {
		d.small, d.big = make([]kid, 0, n), nil
	}
}

// reset forgets every child.
func (d *dirNode) reset() { d.small, d.big = nil, nil }

// kids yields every child. The folder must not change during the loop.
func (d *dirNode) kids() iter.Seq2[string, entry] {
	return func(yield func(string, entry) bool) {
		if d.big != nil {
			for name, e := range d.big {
				if !yield(name, e) {
					return
				}
			}
			return
		}
		for _, k := range d.small {
			if !yield(k.name, k.entry) {
				return
			}
		}
	}
}
