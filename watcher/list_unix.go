//go:build unix && !linux

package watcher

import (
	"os"

	"golang.org/x/sys/unix"
)

// lister lists folders by name and reads each entry's inode with fstatat
// relative to the open folder. The BSDs' and macOS's listing records
// differ between systems and versions; one fstatat per entry, relative to
// the folder so the kernel resolves no long path, is the portable price.
type lister struct {
	ents []dirent // reused between listings
}

func newLister() *lister { return &lister{} }

// list returns the entries of the folder abs, unsorted, without "." and
// "..". The slice is reused by the next call; the names are not.
func (l *lister) list(abs string) ([]dirent, error) {
	f, err := os.Open(abs)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	fd := int(f.Fd())
	l.ents = l.ents[:0]
	for _, name := range names {
		var st unix.Stat_t
		if err := unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			continue // gone since the listing
		}
		kind := kindOther
		if st.Mode&unix.S_IFMT == unix.S_IFDIR {
			kind = kindDir
		}
		l.ents = append(l.ents, dirent{name: name, ino: uint64(st.Ino), kind: kind})
	}
	return l.ents, nil
}
