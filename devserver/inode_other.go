//go:build !unix

package devserver

import "io/fs"

// inode returns 0 where the file system has no inode numbers; the ETag
// then rests on size and modification time.
func inode(fs.FileInfo) uint64 { return 0 }
