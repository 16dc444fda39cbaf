//go:build !unix && !windows

package main

import (
	"errors"
	"syscall"
)

// addrInUse reports whether a listen failed because another socket has
// the address.
func addrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE)
}
