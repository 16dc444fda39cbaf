//go:build unix

package monitor

import (
	"os"
	"syscall"
)

// device is the id of the file system that holds path: its st_dev, which
// two folders on one file system share (a bind mount included).
func device(path string) (uint64, bool) {
	info, err := os.Stat(path)
	if err != nil {
		return 0, false
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return uint64(st.Dev), true
}
