package main

import (
	"context"
	"os"

	"golang.org/x/sys/unix"
)

// readKeys returns the keys pressed on the terminal, one at a time, or nil
// when standard input is not a terminal (under CI, piped, or with --log
// json, where nobody types). The terminal is put in cbreak mode: keys
// arrive without Enter and are not echoed, while Ctrl-C still interrupts
// and output is left as it was. The mode is restored when ctx ends.
func readKeys(ctx context.Context, out *term) <-chan rune {
	if out.json {
		return nil
	}
	fd := int(os.Stdin.Fd())
	saved, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return nil // not a terminal
	}
	cbreak := *saved
	cbreak.Lflag &^= unix.ICANON | unix.ECHO
	cbreak.Cc[unix.VMIN] = 1
	cbreak.Cc[unix.VTIME] = 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &cbreak); err != nil {
		return nil
	}
	context.AfterFunc(ctx, func() { unix.IoctlSetTermios(fd, unix.TCSETS, saved) })

	keys := make(chan rune)
	go func() {
		buf := make([]byte, 16)
		for {
			n, err := os.Stdin.Read(buf)
			if err != nil {
				return
			}
			for _, b := range buf[:n] {
				select {
				case keys <- rune(b):
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return keys
}
