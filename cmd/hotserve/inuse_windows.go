package main

import (
	"errors"

	"golang.org/x/sys/windows"
)

// addrInUse reports whether a listen failed because another socket has
// the address. Winsock says WSAEADDRINUSE, not syscall.EADDRINUSE (an
// invented number on Windows), and WSAEACCES when the holder bound it
// with SO_EXCLUSIVEADDRUSE or the port lies in a range Windows reserves
// (Hyper-V, WSL 2, Docker): the port is taken either way.
func addrInUse(err error) bool {
	return errors.Is(err, windows.WSAEADDRINUSE) || errors.Is(err, windows.WSAEACCES)
}
