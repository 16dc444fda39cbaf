package main

import (
	"os"
	"syscall"
)

// stopSignals end hotserve cleanly, backend included. Go delivers Ctrl-C
// and Ctrl-Break as os.Interrupt, and closing the console window, logging
// off or shutting down as SIGTERM; it is syscall's value, not x/sys/windows',
// because os/signal matches only syscall.Signal.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}
