package main

import (
	"context"
	"os"
)

// ctrlC is what Ctrl-C reads as where the terminal does not turn it into
// a signal (the Windows console in raw mode).
const ctrlC = 3

// readKeys returns the keys pressed on the terminal, one at a time, or nil
// when standard input is not a terminal (under CI, piped, or with --log
// json, where nobody types). Keys arrive without Enter and are not echoed
// (see keyMode for each system); Ctrl-C read as a key calls quit, as the
// signal would. restore gives the terminal back its mode; call it before
// exiting.
func readKeys(ctx context.Context, out *term, quit context.CancelFunc) (_ <-chan rune, restore func()) {
	if out.json {
		return nil, func() {}
	}
	in, restore, err := keyMode(os.Stdin)
	if err != nil {
		return nil, func() {}
	}

	// Buffered so that Ctrl-C is read, and quits, even while a session is
	// starting and takes no keys.
	keys := make(chan rune, 16)
	go func() {
		buf := make([]byte, 16)
		for {
			n, err := in.Read(buf)
			if err != nil {
				return
			}
			for _, b := range buf[:n] {
				if b == ctrlC {
					quit()
					return
				}
				select {
				case keys <- rune(b):
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return keys, restore
}
