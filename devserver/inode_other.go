//go:build !unix && !windows

package devserver

import (
	"io/fs"
	"os"
)

// fileID returns 0 where the file system has no file identity to ask for
// (js, wasip1, plan9); the ETag then rests on size and modification time.
func fileID(*os.File, fs.FileInfo) uint64 { return 0 }
