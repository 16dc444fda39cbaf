package watcher

// fileStat is what the watcher needs to know of one path: enough to tell a
// folder from a file, to pair a rename by identity, and to tell a write
// from a metadata change. Each OS fills it from its own call (stat_unix.go,
// stat_windows.go).
type fileStat struct {
	// ino is the file's identity on its volume: the inode on Unix, the
	// file index mixed with the volume serial number on Windows. It stays
	// with the file across a rename, which is how a move is paired.
	ino   uint64
	dir   bool
	size  int64
	mtime int64 // last write, nanoseconds since the epoch
	// ctime is the last change of the inode (Unix); on Windows, where no
	// such time is read, it equals mtime.
	ctime int64
}

// lstatAt is lstat of a path relative to the root.
func (sc *scanner) lstatAt(rel string) (fileStat, error) { return lstat(sc.abs(rel)) }

// times is a file's size and last write, for fingerprints: the polling
// backend's inner loop and the settler's look at a folder. On Windows it
// is read without opening the file (a handle held for even a moment can
// make a delete leave the name taken, or a writer's open fail).
type times struct{ size, mtime int64 }
