package watcher

import (
	"cmp"
	"iter"
	"slices"
	"strings"
)

// A folder's children are kept in a compact, sorted form while the folder
// is small, and as a map once it is big. Most folders of a project hold a
// handful of files: a child then costs its name's bytes in one string per
// folder plus 24 bytes (where the name is, inode, folder), where a map with
// its string headers, groups, control bytes and power-of-two sizing costs
// about 75 (watchbench's heap profile). The polling backend's stamps sit in
// a slice of their own, which the native source never allocates. A folder
// of thousands of files (a build's output, a burst of creates) gets the
// map's constant time instead of a memmove per insert.

// bigFolder is the number of children beyond which a folder's listing
// becomes a map: a binary search over 64 names is six comparisons, and an
// insert moves at most 1.5 KB.
const bigFolder = 64

// kid is one child of a small folder; its name is names[off:off+n].
type kid struct {
	off, n uint32
	ino    uint64
	dir    *dirNode
}

func (d *dirNode) name(k kid) string { return d.names[k.off : k.off+k.n] }

// find is the position of name in a small folder's sorted listing.
func (d *dirNode) find(name string) (int, bool) {
	return slices.BinarySearchFunc(d.small, name, func(k kid, n string) int { return strings.Compare(d.name(k), n) })
}

// at is the entry of the small folder's child i.
func (d *dirNode) at(i int) entry {
	e := entry{ino: d.small[i].ino, dir: d.small[i].dir}
	if d.stamps != nil {
		e.stamp = (*d.stamps)[i]
	}
	return e
}

// get returns the child name and whether it is known.
func (d *dirNode) get(name string) (entry, bool) {
	if d.big != nil {
		e, ok := d.big[name]
		return e, ok
	}
	if i, ok := d.find(name); ok {
		return d.at(i), true
	}
	return entry{}, false
}

// set records or replaces the child name. It copies name: the caller
// may pass a slice of a longer path, or of a scratch buffer.
func (d *dirNode) set(name string, e entry) {
	if d.big != nil {
		d.big[strings.Clone(name)] = e // a map stores the key on replace, too
		return
	}
	i, ok := d.find(name)
	switch {
	case ok:
		d.small[i].ino, d.small[i].dir = e.ino, e.dir
	case len(d.small) >= bigFolder:
		d.toMap()
		d.big[strings.Clone(name)] = e
		return
	default:
		d.compact(len(name))
		d.small = slices.Insert(d.small, i, kid{off: uint32(len(d.names)), n: uint32(len(name)), ino: e.ino, dir: e.dir})
		d.names += name
		if d.stamps != nil {
			*d.stamps = slices.Insert(*d.stamps, i, 0)
		}
	}
	if e.stamp != 0 && d.stamps == nil {
		d.stamps = zeros(len(d.small))
	}
	if d.stamps != nil {
		(*d.stamps)[i] = e.stamp
	}
}

// toMap turns a small folder into a big one.
func (d *dirNode) toMap() {
	d.big = make(map[string]entry, 2*len(d.small))
	for i, k := range d.small {
		d.big[d.name(k)] = d.at(i) // the keys share the old names string
	}
	d.names, d.small, d.stamps = "", nil, nil
}

// compact rewrites names without the names of removed children when they
// take more room than the living ones, before extra bytes are added.
func (d *dirNode) compact(extra int) {
	live := 0
	for _, k := range d.small {
		live += int(k.n)
	}
	if len(d.names) <= 2*live+64 {
		return
	}
	var b strings.Builder
	b.Grow(live + extra)
	for i, k := range d.small {
		b.WriteString(d.name(k))
		d.small[i].off = uint32(b.Len()) - k.n
	}
	d.names = b.String()
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
	e := d.at(i)
	d.small = slices.Delete(d.small, i, i+1) // clears the tail: no folder is kept alive
	if d.stamps != nil {
		*d.stamps = slices.Delete(*d.stamps, i, i+1)
	}
	if len(d.small) == 0 {
		d.reset()
	}
	return e, true
}

// count is the number of children.
func (d *dirNode) count() int {
	if d.big != nil {
		return len(d.big)
	}
	return len(d.small)
}

// reset forgets every child.
func (d *dirNode) reset() { d.names, d.small, d.stamps, d.big = "", nil, nil, nil }

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
		for i, k := range d.small {
			if !yield(d.name(k), d.at(i)) {
				return
			}
		}
	}
}

// listing collects a folder's children while it is listed for the first
// time, so that the folder gets them in one go: one string of names and
// one exactly sized slice. The scanner reuses one listing.
type listing struct {
	names  []byte
	kids   []kid
	stamps []uint64
	order  []int // scratch for sorting
}

// add appends a child; its name is copied.
func (l *listing) add(name string, e entry) {
	l.kids = append(l.kids, kid{off: uint32(len(l.names)), n: uint32(len(name)), ino: e.ino, dir: e.dir})
	l.names = append(l.names, name...)
	l.stamps = append(l.stamps, e.stamp)
}

// adopt gives a folder without children what l collected, and empties l.
func (d *dirNode) adopt(l *listing) {
	defer func() { l.names, l.kids, l.stamps = l.names[:0], l.kids[:0], l.stamps[:0] }()
	switch {
	case d.count() > 0:
		for i, k := range l.kids {
			d.set(string(l.names[k.off:k.off+k.n]), entry{ino: k.ino, dir: k.dir, stamp: l.stamps[i]})
		}
		return
	case len(l.kids) == 0:
		return
	}
	all := string(l.names)
	if len(l.kids) > bigFolder {
		d.reset()
		d.big = make(map[string]entry, len(l.kids))
		for i, k := range l.kids {
			d.big[all[k.off:k.off+k.n]] = entry{ino: k.ino, dir: k.dir, stamp: l.stamps[i]}
		}
		return
	}
	d.reset()
	d.names = all
	order := l.order[:0] // sorted by name, to place kids and stamps alike
	for i := range l.kids {
		order = append(order, i)
	}
	l.order = order
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(d.name(l.kids[a]), d.name(l.kids[b])) })
	d.small = make([]kid, len(order))
	for i, j := range order {
		d.small[i] = l.kids[j]
		if l.stamps[j] != 0 && d.stamps == nil {
			d.stamps = zeros(len(order))
		}
		if d.stamps != nil {
			(*d.stamps)[i] = l.stamps[j]
		}
	}
}

// zeros is n stamps of 0, for a small folder's first stamp.
func zeros(n int) *[]uint64 {
	s := make([]uint64, n)
	return &s
}
