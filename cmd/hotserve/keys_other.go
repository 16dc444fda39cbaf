//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd || windows)

package main

import (
	"errors"
	"io"
	"os"
)

// keyMode is not known here: keys are not read, and the banner does not
// offer them.
func keyMode(*os.File) (io.Reader, func(), error) {
	return nil, nil, errors.New("keys are not read on this system")
}
