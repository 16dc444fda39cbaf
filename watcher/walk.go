package watcher

import (
	"encoding/binary"
	"fmt"
	"os"
	"syscall"
)

// dirent is one entry of a folder listing.
type dirent struct {
	name string
	ino  uint64
	typ  uint8 // syscall.DT_*; DT_UNKNOWN on file systems that do not say
}

// readDir lists a folder with getdents64, unsorted. Unlike os.ReadDir it
// keeps d_ino, so the stat cache gets every inode without an lstat per
// file: the startup walk of a large tree is dominated by these calls.
func readDir(abs string, buf []byte) ([]dirent, error) {
	fd, err := syscall.Open(abs, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: abs, Err: err}
	}
	defer syscall.Close(fd)
	var ents []dirent
	for {
		n, err := syscall.ReadDirent(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "readdirent", Path: abs, Err: err}
		}
		if n <= 0 {
			return ents, nil
		}
		ents = parseDirents(buf[:n], ents)
	}
}

// parseDirents decodes linux_dirent64 records (the same layout on every
// Linux architecture): d_ino u64, d_off s64, d_reclen u16, d_type u8, then
// the NUL-terminated name.
func parseDirents(b []byte, ents []dirent) []dirent {
	const nameOff = 19
	for len(b) >= nameOff {
		reclen := int(binary.NativeEndian.Uint16(b[16:18]))
		if reclen < nameOff || reclen > len(b) {
			break
		}
		name := b[nameOff:reclen]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		if s := string(name); s != "." && s != ".." {
			ents = append(ents, dirent{name: s, ino: binary.NativeEndian.Uint64(b[0:8]), typ: b[18]})
		}
		b = b[reclen:]
	}
	return ents
}

// watchTree puts a watch on the folder rel, which is already in the tree,
// and THEN lists it, recursing into sub-folders: a file created between the
// folder's creation and its watch is found by the listing (S8, S9). With
// emit set, every path found is appended to acc as a create, since nobody
// has reported it yet; duplicates with the kernel's own creates are merged
// by coalesce.
func (s *inotifySource) watchTree(rel string, n *node, emit bool, acc []rawEvent) []rawEvent {
	abs := s.abs(rel)
	if err := s.fsw.Add(abs); err != nil {
		s.report(watchError(rel, err))
		return acc
	}
	s.tree.setWatched(n)
	ents, err := readDir(abs, s.buf)
	if err != nil {
		s.report(fmt.Errorf("watcher: listing folder %q: %w", rel, err))
		return acc
	}
	for _, e := range ents {
		child := join(rel, e.name)
		if s.ig.match(child) || s.tree.get(child) != nil {
			continue
		}
		isDir := e.typ == syscall.DT_DIR
		if e.typ == syscall.DT_UNKNOWN {
			fi, err := os.Lstat(s.abs(child))
			if err != nil {
				continue // gone already: nothing to report
			}
			isDir = fi.IsDir()
		}
		cn := &node{ino: e.ino, dir: isDir}
		s.tree.add(child, cn)
		if emit {
			acc = append(acc, rawEvent{Op: rawCreate, Path: child, Dir: isDir, Ino: e.ino})
		}
		if isDir {
			acc = s.watchTree(child, cn, emit, acc)
		}
	}
	return acc
}
