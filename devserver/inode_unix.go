//go:build unix

package devserver

import (
	"io/fs"
	"os"
	"syscall"
)

// fileID returns the file's inode number, which changes when an editor
// saves by renaming a new file over the old one. It is in info already;
// no system call.
func fileID(_ *os.File, info fs.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
