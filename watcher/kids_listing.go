package watcher

import (
	"slices"
	"strings"
)

// listing collects a folder's children while it is listed for the first
// time, so that the folder gets them in one go: one string of names and
// exactly sized lists. The scanner reuses one listing.
type listing struct {
	names []byte
	kids  []listed
}

// listed is one child in a listing; its name is names[off:off+n] (32 bits:
// a listing may be a big folder's).
type listed struct {
	off, n uint32
	entry
}

// add appends a child; its name is copied.
func (l *listing) add(name string, e entry) {
	l.kids = append(l.kids, listed{off: uint32(len(l.names)), n: uint32(len(name)), entry: e})
	l.names = append(l.names, name...)
}

// adopt gives a folder what l collected, and empties l.
func (d *dirNode) adopt(l *listing) {
	defer func() { l.names, l.kids = l.names[:0], l.kids[:0] }()
	switch {
	case d.count() > 0:
		for _, k := range l.kids {
			d.set(string(l.names[k.off:k.off+k.n]), k.entry)
		}
		return
	case len(l.kids) == 0:
		return
	}
	d.reset()
	all := string(l.names)
	name := func(k listed) string { return all[k.off : k.off+k.n] }
	if len(l.kids) > bigFolder || len(all) > maxNames {
		big := make(map[string]entry, len(l.kids))
		for _, k := range l.kids {
			big[name(k)] = k.entry
		}
		d.more = &dirMore{big: big}
		return
	}
	d.names = all
	slices.SortFunc(l.kids, func(a, b listed) int { return strings.Compare(name(a), name(b)) })
	dirs := 0
	stamped := false
	for _, k := range l.kids {
		if k.dir != nil {
			dirs++
		}
		stamped = stamped || k.stamp != 0
	}
	if dirs > 0 {
		d.dirs = make([]dirKid, 0, dirs)
	}
	if dirs < len(l.kids) {
		d.files = make([]fileKid, 0, len(l.kids)-dirs)
	}
	if stamped {
		d.more = &dirMore{stamps: make([]uint64, 0, len(l.kids)-dirs)}
	}
	for _, k := range l.kids {
		off, n := uint16(k.off), uint16(k.n)
		switch {
		case k.dir != nil:
			d.dirs = append(d.dirs, dirKid{off: off, n: n, ino: k.ino, dir: k.dir})
		case stamped:
			d.more.stamps = append(d.more.stamps, k.stamp)
			fallthrough
		default:
			d.files = append(d.files, fileKid{off: off, n: n, ino: halves(k.ino)})
		}
	}
}
