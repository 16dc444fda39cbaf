//go:build !linux

package devserver

// largeFile is O_LARGEFILE where it exists (largefile_linux.go); elsewhere
// files of any size open without it.
const largeFile = 0
