package watcher

import (
	"iter"
	"slices"
	"strings"
)

// A folder's children are kept in a compact, sorted form while the folder
// is small, and as a map once it is big. Most folders of a project hold a
// handful of files: a file then costs its name's bytes in one string per
// folder plus 12 bytes (where the name is, inode) and a sub-folder 24 (its
// node too), where a map with its string headers, groups, control bytes
// and power-of-two sizing costs about 75 a child (watchbench's heap
// profile). The polling backend's stamps sit in a slice of their own,
// which the native source never allocates. A folder of thousands of files
// (a build's output, a burst of creates) gets the map's constant time
// instead of a memmove per insert.

// bigFolder is the number of children beyond which a folder's listing
// becomes a map: a binary search over 64 names is six comparisons, and an
// insert moves at most 1.5 KB.
const bigFolder = 64

// maxNames bounds a small folder's names string, so that 16 bits say where
// a name is: 64 names of at most 765 bytes (255 UTF-16 units, Windows'
// limit; Linux's is 255 bytes) are 48,960 bytes, and the string is
// compacted before it would pass the bound.
const maxNames = 1<<16 - 1

// maxName is the longest name a small folder takes; a longer one (no file
// system has them) makes the folder big.
const maxName = 765

// fileKid is a child of a small folder that is not a folder; its name is
// names[off:off+n]. The inode is two halves, so that a file takes 12
// bytes, not 16.
type fileKid struct {
	off, n uint16
	ino    [2]uint32
}

func (k fileKid) inode() uint64 { return uint64(k.ino[0]) | uint64(k.ino[1])<<32 }

func halves(ino uint64) [2]uint32 { return [2]uint32{uint32(ino), uint32(ino >> 32)} }

// dirKid is a sub-folder of a small folder.
type dirKid struct {
	off, n uint16
	ino    uint64
	dir    *dirNode
}

// dirMore is what few folders need: the stamps of a polled tree, or the
// map of a big folder.
type dirMore struct {
	stamps []uint64 // of files, in its order; nil while every stamp is 0
	big    map[string]entry
}

func (k fileKid) span() (off, n uint16) { return k.off, k.n }
func (k dirKid) span() (off, n uint16)  { return k.off, k.n }

// search is the position of name in a sorted list of a small folder's
// children.
func search[K interface{ span() (off, n uint16) }](d *dirNode, ks []K, name string) (int, bool) {
	return slices.BinarySearchFunc(ks, name, func(k K, name string) int {
		return strings.Compare(d.name(k.span()), name)
	})
}

func (d *dirNode) name(off, n uint16) string { return d.names[int(off) : int(off)+int(n)] }

func (d *dirNode) big() map[string]entry {
	if d.more == nil {
		return nil
	}
	return d.more.big
}

func (d *dirNode) stamps() []uint64 {
	if d.more == nil {
		return nil
	}
	return d.more.stamps
}

// file is the entry of the small folder's file i.
func (d *dirNode) file(i int) entry {
	e := entry{ino: d.files[i].inode()}
	if s := d.stamps(); s != nil {
		e.stamp = s[i]
	}
	return e
}

// get returns the child name and whether it is known.
func (d *dirNode) get(name string) (entry, bool) {
	if big := d.big(); big != nil {
		e, ok := big[name]
		return e, ok
	}
	if i, ok := search(d, d.files, name); ok {
		return d.file(i), true
	}
	if i, ok := search(d, d.dirs, name); ok {
		return entry{ino: d.dirs[i].ino, dir: d.dirs[i].dir}, true
	}
	return entry{}, false
}

// set records or replaces the child name. It copies name: the caller may
// pass a slice of a longer path, or of a scratch buffer.
func (d *dirNode) set(name string, e entry) {
	if big := d.big(); big != nil {
		big[strings.Clone(name)] = e // a map stores the key on replace, too
		return
	}
	if old, ok := d.get(name); ok && (old.dir != nil) != (e.dir != nil) {
		d.del(name) // a file became a folder, or the other way round
	}
	if e.dir != nil {
		d.setDir(name, e)
	} else {
		d.setFile(name, e)
	}
}

func (d *dirNode) setDir(name string, e entry) {
	i, ok := search(d, d.dirs, name)
	switch {
	case ok:
		d.dirs[i].ino, d.dirs[i].dir = e.ino, e.dir
	case d.count() >= bigFolder || len(name) > maxName:
		d.toMap()
		d.more.big[strings.Clone(name)] = e
	default:
		off := d.addName(name)
		d.dirs = slices.Insert(d.dirs, i, dirKid{off: off, n: uint16(len(name)), ino: e.ino, dir: e.dir})
	}
}

func (d *dirNode) setFile(name string, e entry) {
	i, ok := search(d, d.files, name)
	switch {
	case ok:
		d.files[i].ino = halves(e.ino)
	case d.count() >= bigFolder || len(name) > maxName:
		d.toMap()
		d.more.big[strings.Clone(name)] = e
		return
	default:
		off := d.addName(name)
		d.files = slices.Insert(d.files, i, fileKid{off: off, n: uint16(len(name)), ino: halves(e.ino)})
		if d.stamps() != nil {
			d.more.stamps = slices.Insert(d.more.stamps, i, 0)
		}
	}
	if e.stamp != 0 && d.stamps() == nil {
		if d.more == nil {
			d.more = &dirMore{}
		}
		d.more.stamps = make([]uint64, len(d.files))
	}
	if s := d.stamps(); s != nil {
		s[i] = e.stamp
	}
}

// addName appends name to names, first dropping the names of removed
// children when they take more room than the living ones or the bound
// would be passed, and returns where it starts.
func (d *dirNode) addName(name string) uint16 {
	live := 0
	for _, k := range d.files {
		live += int(k.n)
	}
	for _, k := range d.dirs {
		live += int(k.n)
	}
	if len(d.names) > 2*live+64 || len(d.names)+len(name) > maxNames {
		var b strings.Builder
		b.Grow(live + len(name))
		for i, k := range d.files {
			b.WriteString(d.name(k.off, k.n))
			d.files[i].off = uint16(b.Len()) - k.n
		}
		for i, k := range d.dirs {
			b.WriteString(d.name(k.off, k.n))
			d.dirs[i].off = uint16(b.Len()) - k.n
		}
		d.names = b.String()
	}
	off := uint16(len(d.names))
	d.names += name
	return off
}

// toMap turns a small folder into a big one.
func (d *dirNode) toMap() {
	big := make(map[string]entry, 2*d.count())
	for name, e := range d.kids() {
		big[name] = e // the keys share the old names string
	}
	d.reset()
	d.more = &dirMore{big: big}
}

// del forgets the child name and returns what it was.
func (d *dirNode) del(name string) (entry, bool) {
	if big := d.big(); big != nil {
		e, ok := big[name]
		delete(big, name)
		return e, ok
	}
	var e entry
	if i, ok := search(d, d.files, name); ok {
		e = d.file(i)
		d.files = slices.Delete(d.files, i, i+1)
		if d.stamps() != nil {
			d.more.stamps = slices.Delete(d.more.stamps, i, i+1)
		}
	} else if i, ok := search(d, d.dirs, name); ok {
		e = entry{ino: d.dirs[i].ino, dir: d.dirs[i].dir}
		d.dirs = slices.Delete(d.dirs, i, i+1) // clears the tail: the folder is not kept alive
	} else {
		return entry{}, false
	}
	if d.count() == 0 {
		d.reset()
	}
	return e, true
}

// count is the number of children.
func (d *dirNode) count() int {
	if big := d.big(); big != nil {
		return len(big)
	}
	return len(d.files) + len(d.dirs)
}

// reset forgets every child.
func (d *dirNode) reset() { d.names, d.files, d.dirs, d.more = "", nil, nil, nil }

// kids yields every child. The folder must not change during the loop.
func (d *dirNode) kids() iter.Seq2[string, entry] {
	return func(yield func(string, entry) bool) {
		if big := d.big(); big != nil {
			for name, e := range big {
				if !yield(name, e) {
					return
				}
			}
			return
		}
		for i, k := range d.files {
			if !yield(d.name(k.off, k.n), d.file(i)) {
				return
			}
		}
		for _, k := range d.dirs {
			if !yield(d.name(k.off, k.n), entry{ino: k.ino, dir: k.dir}) {
				return
			}
		}
	}
}
