package watcher

import (
	"encoding/binary"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// lister lists folders with getdents64. Unlike os.ReadDir it keeps d_ino,
// so the stat cache gets every inode without an lstat per file (the
// start-up walk of a large tree is dominated by these calls), and a
// listing allocates nothing: the names point into the lister's buffer, and
// the tree copies the ones it keeps (a poll scan lists every folder again).
type lister struct {
	buf   []byte   // getdents buffer
	names []byte   // names of the listing being read, back to back
	ents  []dirent // reused between listings
}

func newLister() *lister { return &lister{buf: make([]byte, 32<<10)} }

// list returns the entries of the folder abs, unsorted, without "." and
// "..". The slice and the names are valid until the next call.
func (l *lister) list(abs string) ([]dirent, error) {
	fd, err := unix.Open(abs, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: abs, Err: err}
	}
	defer unix.Close(fd)
	l.ents, l.names = l.ents[:0], l.names[:0]
	for {
		n, err := unix.ReadDirent(fd, l.buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "readdirent", Path: abs, Err: err}
		}
		if n <= 0 {
			break
		}
		l.ents = parseDirents(l.buf[:n], l.ents, &l.names)
	}
	all := unsafe.String(unsafe.SliceData(l.names), len(l.names))
	off := 0
	for i := range l.ents {
		l.ents[i].name = all[off:l.ents[i].end]
		off = l.ents[i].end
	}
	return l.ents, nil
}

// parseDirents decodes linux_dirent64 records (the same layout on every
// Linux architecture): d_ino u64, d_off s64, d_reclen u16, d_type u8, then
// the NUL-terminated name. Names are appended to *names and each entry
// records where its name ends there.
func parseDirents(b []byte, ents []dirent, names *[]byte) []dirent {
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
		if !(len(name) == 1 && name[0] == '.') && !(len(name) == 2 && name[0] == '.' && name[1] == '.') {
			*names = append(*names, name...)
			ents = append(ents, dirent{end: len(*names), ino: binary.NativeEndian.Uint64(b[0:8]), kind: direntKind(b[18])})
		}
		b = b[reclen:]
	}
	return ents
}

func direntKind(typ uint8) entryKind {
	switch typ {
	case unix.DT_UNKNOWN:
		return kindUnknown
	case unix.DT_DIR:
		return kindDir
	}
	return kindOther
}
