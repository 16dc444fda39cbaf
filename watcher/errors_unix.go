//go:build unix

package watcher

import (
	"errors"

	"golang.org/x/sys/unix"
)

// vanished reports whether err says the path is gone, which during a walk
// is an ordinary race, not a problem to report.
func vanished(err error) bool {
	return errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ENOTDIR)
}

// denied reports whether err is a permission error.
func denied(err error) bool {
	return errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM)
}
