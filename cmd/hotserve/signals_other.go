//go:build !unix && !windows

package main

import "os"

// stopSignals end hotserve cleanly: here only Ctrl-C is known.
var stopSignals = []os.Signal{os.Interrupt}
