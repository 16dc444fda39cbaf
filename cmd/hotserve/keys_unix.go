//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package main

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// keyMode puts the terminal in cbreak mode: keys arrive without Enter and
// are not echoed. It is not x/term's raw mode on purpose: that also turns
// off output processing, so that every line printed would start where the
// last one ended, and signals, so that Ctrl-Z would no longer suspend.
func keyMode(f *os.File) (io.Reader, func(), error) {
	fd := int(f.Fd())
	saved, err := unix.IoctlGetTermios(fd, getTermios)
	if err != nil {
		return nil, nil, err // not a terminal
	}
	cbreak := *saved
	cbreak.Lflag &^= unix.ICANON | unix.ECHO
	cbreak.Cc[unix.VMIN] = 1
	cbreak.Cc[unix.VTIME] = 0
	if err := unix.IoctlSetTermios(fd, setTermios, &cbreak); err != nil {
		return nil, nil, err
	}
	return f, func() { unix.IoctlSetTermios(fd, setTermios, saved) }, nil
}
