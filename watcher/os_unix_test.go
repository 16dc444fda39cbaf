//go:build unix

package watcher

import (
	"testing"

	"golang.org/x/sys/unix"
)

// The errors the OS gives for a missing path and a refused one.
var errNotFound, errDenied error = unix.ENOENT, unix.EACCES

// skipUnderWine: Wine is Windows only.
func skipUnderWine(*testing.T, string) {}
