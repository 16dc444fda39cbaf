package watcher

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Op is what happened to a path, as the net effect of a burst of activity.
type Op uint8

const (
	// Create: the path did not exist before the batch and exists after it.
	Create Op = iota + 1
	// Write: the path existed before and after the batch, and its content
	// changed (including an editor's atomic save, which replaces the inode).
	Write
	// Remove: the path existed before the batch and does not after it.
	Remove
	// Rename: the inode that was at From is now at Path.
	Rename
)

func (op Op) String() string {
	switch op {
	case Create:
		return "create"
	case Write:
		return "write"
	case Remove:
		return "remove"
	case Rename:
		return "rename"
	}
	return "Op(" + strconv.Itoa(int(op)) + ")"
}

// Event is the net change of one path within a Batch.
type Event struct {
	Op Op
	// Path is slash-separated and relative to the watched root, never
	// starting with "/" or "./". For a Rename it is the new path.
	Path string
	// From is the old path of a Rename; empty otherwise.
	From string
	// Dir is set when the path is (or, for Remove, was) a directory.
	Dir bool
	// Touch is set on a Write that only set the file's times, as touch(1)
	// does: people touch a file to ask for a reload. Polling cannot tell a
	// touch from a write, nor can every native source; it is then false.
	Touch bool
}

// String is the one textual form of an event, shared by debug logs, the
// status page and test diffs: "write css/site.css", "remove build/",
// "rename a.txt -> b.txt". Directories carry a trailing slash.
func (e Event) String() string {
	slash := ""
	if e.Dir {
		slash = "/"
	}
	if e.Op == Rename {
		return e.Op.String() + " " + e.From + slash + " -> " + e.Path + slash
	}
	return e.Op.String() + " " + e.Path + slash
}

// Batch is the net effect of one burst of file-system activity: at most one
// Event per path (two when a file and a folder swap places: the remove of
// one, then the create of the other), sorted by path.
type Batch struct {
	Events []Event
	// Start is when the first raw event of the batch was seen, so that a
	// consumer can measure save-to-browser latency.
	Start time.Time
}

// String prints one event per line, in order.
func (b Batch) String() string {
	var sb strings.Builder
	for i, e := range b.Events {
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(e.String())
	}
	return sb.String()
}

// sortEvents orders events by path; when a file and a folder swap places,
// the remove of the old one comes before the create of the new one.
func sortEvents(events []Event) {
	slices.SortFunc(events, func(a, b Event) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return cmp.Compare(opRank(a.Op), opRank(b.Op))
	})
}

func opRank(op Op) int {
	if op == Remove {
		return 0
	}
	return 1
}
