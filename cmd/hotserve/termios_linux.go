package main

import "golang.org/x/sys/unix"

// The requests that read and set a terminal's termios.
const getTermios, setTermios = unix.TCGETS, unix.TCSETS
