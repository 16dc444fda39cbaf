package watcher

import (
	"errors"

	"golang.org/x/sys/unix"
)

// writing reports whether some process has abs open for writing, and the
// file's size and mtime. It asks the kernel for a read lease, which it
// refuses with EAGAIN exactly then (fcntl(2), F_SETLEASE); the lease lives
// for two syscalls. Where leases are not to be had (a file of another
// user, a network file system) it cannot tell, and the caller decides by
// whether size or mtime moved since its last look.
func writing(abs string) (writer, times, error) {
	fd, err := unix.Open(abs, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return noWriter, times{}, err
	}
	defer unix.Close(fd)
	_, err = unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_RDLCK)
	if err == nil {
		unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_UNLCK)
		return noWriter, times{}, nil
	}
	state := writerUnknown
	if errors.Is(err, unix.EAGAIN) {
		state = writerOpen
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return noWriter, times{}, err
	}
	return state, times{st.Size, st.Mtim.Nano()}, nil
}
