package main

import (
	"io"
	"os"

	xterm "golang.org/x/term"
)

// keyMode puts the console in x/term's raw mode, which works in conhost
// and Windows Terminal alike: no line editing, no echo, keys as VT
// sequences. Ctrl-C then reads as a byte instead of raising
// CTRL_C_EVENT, and readKeys quits on it. Output goes through another
// handle and keeps its mode.
func keyMode(f *os.File) (io.Reader, func(), error) {
	fd := int(f.Fd())
	saved, err := xterm.MakeRaw(fd)
	if err != nil {
		return nil, nil, err // not a console
	}
	return consoleKeys{f}, func() { xterm.Restore(fd, saved) }, nil
}

// consoleKeys reads the console, where Go reports Ctrl-Z as the end of
// the file: here it is a key like any other, and reading goes on.
type consoleKeys struct{ f *os.File }

func (c consoleKeys) Read(p []byte) (int, error) {
	for {
		n, err := c.f.Read(p)
		if n > 0 || err != io.EOF {
			return n, err
		}
	}
}
