package watcher

import (
	"errors"
	"io/fs"

	"golang.org/x/sys/windows"
)

// vanished reports whether err says the path is gone, which during a walk
// is an ordinary race, not a problem to report. A folder being deleted
// answers ERROR_ACCESS_DENIED to a new open while its last handle is open
// (delete pending); that is left to denied, which is reported.
func vanished(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, windows.ERROR_DIRECTORY)
}

// denied reports whether err is a permission error.
func denied(err error) bool { return errors.Is(err, windows.ERROR_ACCESS_DENIED) }
