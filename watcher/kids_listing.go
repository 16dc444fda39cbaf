package watcher

import (
	"slices"
	"sort"
	"strings"
)

// listing collects a folder's children while it is listed for the first
// time, so that the folder gets them in one go: one string of names and
// exactly sized lists. The scanner reuses one listing.
type listing struct {
	names  []byte
	files  []fileKid
	stamps []uint64 // of files
	dirs   []dirKid
}

// add appends a child; its name is copied.
func (l *listing) add(name string, e entry) {
	off, n := uint32(len(l.names)), uint32(len(name))
	l.names = append(l.names, name...)
	if e.dir != nil {
		l.dirs = append(l.dirs, dirKid{off: off, n: n, ino: e.ino, dir: e.dir})
		return
	}
	l.files = append(l.files, fileKid{off: off, n: n, ino: e.ino})
	l.stamps = append(l.stamps, e.stamp)
}

// each yields what l holds, with names that are valid until l is reused.
func (l *listing) each(yield func(string, entry)) {
	for i, k := range l.files {
		yield(string(l.names[k.off:k.off+k.n]), entry{ino: k.ino, stamp: l.stamps[i]})
	}
	for _, k := range l.dirs {
		yield(string(l.names[k.off:k.off+k.n]), entry{ino: k.ino, dir: k.dir})
	}
}

// adopt gives a folder what l collected, and empties l.
func (d *dirNode) adopt(l *listing) {
	defer func() { l.names, l.files, l.stamps, l.dirs = l.names[:0], l.files[:0], l.stamps[:0], l.dirs[:0] }()
	n := len(l.files) + len(l.dirs)
	switch {
	case d.count() > 0:
		l.each(d.set)
		return
	case n == 0:
		return
	}
	d.reset()
	d.names = string(l.names)
	if n > bigFolder {
		big := make(map[string]entry, n)
		for i, k := range l.files {
			big[d.name(k.off, k.n)] = entry{ino: k.ino, stamp: l.stamps[i]}
		}
		for _, k := range l.dirs {
			big[d.name(k.off, k.n)] = entry{ino: k.ino, dir: k.dir}
		}
		d.names, d.more = "", &dirMore{big: big}
		return
	}
	d.files, d.dirs = slices.Clone(l.files), slices.Clone(l.dirs)
	slices.SortFunc(d.dirs, func(a, b dirKid) int { return strings.Compare(d.name(a.off, a.n), d.name(b.off, b.n)) })
	if slices.ContainsFunc(l.stamps, func(s uint64) bool { return s != 0 }) {
		d.more = &dirMore{stamps: slices.Clone(l.stamps)}
		sort.Sort(filesByName{d})
		return
	}
	slices.SortFunc(d.files, func(a, b fileKid) int { return strings.Compare(d.name(a.off, a.n), d.name(b.off, b.n)) })
}

// filesByName sorts a folder's files with their stamps.
type filesByName struct{ d *dirNode }

func (s filesByName) Len() int { return len(s.d.files) }
func (s filesByName) Less(i, j int) bool {
	a, b := s.d.files[i], s.d.files[j]
	return s.d.name(a.off, a.n) < s.d.name(b.off, b.n)
}
func (s filesByName) Swap(i, j int) {
	s.d.files[i], s.d.files[j] = s.d.files[j], s.d.files[i]
	s.d.more.stamps[i], s.d.more.stamps[j] = s.d.more.stamps[j], s.d.more.stamps[i]
}
