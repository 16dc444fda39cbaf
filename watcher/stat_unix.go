//go:build unix

package watcher

import "golang.org/x/sys/unix"

// lstat reads abs without following a final symlink.
func lstat(abs string) (fileStat, error) {
	var st unix.Stat_t
	if err := unix.Lstat(abs, &st); err != nil {
		return fileStat{}, err
	}
	return toFileStat(&st), nil
}

// stat reads abs, following symlinks (for the root).
func stat(abs string) (fileStat, error) {
	var st unix.Stat_t
	if err := unix.Stat(abs, &st); err != nil {
		return fileStat{}, err
	}
	return toFileStat(&st), nil
}

// timesOf reads the size and mtime of abs, not following a symlink.
func timesOf(abs string) (times, error) {
	st, err := lstat(abs)
	return times{st.size, st.mtime}, err
}

func toFileStat(st *unix.Stat_t) fileStat {
	return fileStat{
		ino:   uint64(st.Ino),
		dir:   st.Mode&unix.S_IFMT == unix.S_IFDIR,
		size:  st.Size,
		mtime: st.Mtim.Nano(),
		ctime: st.Ctim.Nano(),
	}
}
