package watcher

// dirent is one entry of a folder listing. Each OS's lister (list_*.go)
// fills it with what its listing call returns, so that the start-up walk
// of a large tree needs no extra call per file where the OS says enough.
type dirent struct {
	// name is valid until the lister's next call (on Linux it points into
	// the lister's buffer): copy it to keep it.
	name string
	ino  uint64 // the file's identity, as fileStat.ino
	kind entryKind
	end  int // while parsing: where the name ends in lister.names
}

// entryKind is what a listing says an entry is.
type entryKind uint8

const (
	kindUnknown entryKind = iota // the file system did not say: lstat it
	kindDir                      // a real folder (not a link to one)
	kindOther                    // a file, a symlink, anything else
)
