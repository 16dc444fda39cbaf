package watcher

// source is a backend that turns activity under the root into raw events:
// inotify (inotify.go), or polling (poll.go) for file systems where inotify
// is blind (NFS, SMB, FUSE) or when it was asked for. A source
// keeps its own picture of the tree (which paths exist, their inodes), so
// every raw event it sends already says whether the path existed before it:
// that is what lets coalesce stay a pure function.
type source interface {
	// run sends raw events to out until done is closed. Every send selects
	// on done. run owns the source's state while it runs.
	run(out chan<- rawEvent, done <-chan struct{})
	// stats fills Mode, Dirs, Files and Events; safe for concurrent use.
	stats() Stats
	// close releases the kernel resources; called once, after run returned.
	close() error
}

// rawOp is one kernel-level happening, before coalescing.
type rawOp uint8

const (
	rawCreate rawOp = iota + 1 // appeared: created, or moved in
	rawWrite                   // content changed in place
	rawRemove                  // deleted
	rawMove                    // moved away (the old name of a rename)
	rawChmod                   // metadata only
)

func (op rawOp) String() string {
	switch op {
	case rawCreate:
		return "create"
	case rawWrite:
		return "write"
	case rawRemove:
		return "remove"
	case rawMove:
		return "move"
	case rawChmod:
		return "chmod"
	}
	return "rawOp(?)"
}

// rawEvent is one happening to one path, annotated by the source with what
// it knew at that moment.
type rawEvent struct {
	Op   rawOp
	Path string // slash-separated, relative to the root
	// Dir is whether the path is a folder: after the event for a create,
	// before it for a remove or move.
	Dir bool
	// Ino is the inode at the path: the new one for a create, the one that
	// left for a remove or move; 0 when unknown. It pairs a move with the
	// create it became.
	Ino uint64
	// Known is whether the path existed, as far as the source knew, just
	// before this event. A create over a known path (a rename over it) is
	// therefore a write of that path, not a create.
	Known bool
	// Touch marks a write that set only the file's times (touch, S16).
	Touch bool
}
