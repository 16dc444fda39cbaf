//go:build unix

package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// stopSignals end hotserve cleanly, backend included: Ctrl-C, a kill, and
// SIGHUP when the terminal it runs in is closed.
var stopSignals = []os.Signal{os.Interrupt, unix.SIGTERM, unix.SIGHUP}
