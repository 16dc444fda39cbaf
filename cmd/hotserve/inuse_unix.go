//go:build unix

package main

import (
	"errors"

	"golang.org/x/sys/unix"
)

// addrInUse reports whether a listen failed because another socket has
// the address.
func addrInUse(err error) bool {
	return errors.Is(err, unix.EADDRINUSE)
}
