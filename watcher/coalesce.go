package watcher

// coalesce reduces the raw events of one burst to their net effect: at most
// one Event per path (two when a file and a folder swap places, S18), sorted.
// It is a pure function so that every rule below is pinned by a table test
// without touching the disk.
//
// Per path it compares the state before the burst (from the first raw
// event's Known) with the state after it (from the last raw event):
//
//   - absent → absent: nothing (a temp file created and deleted, S23)
//   - absent → present: create (create+write is still a create)
//   - present → absent: remove, or one half of a rename
//   - present → present: write (remove+create and a rename over the path are
//     an editor's atomic save); a file↔folder swap is remove + create; a
//     folder that stayed a folder says nothing itself, its children speak
//
// Metadata-only events are dropped (S15). A path that moved away and a path
// that appeared with the same inode become one rename. Events under a folder
// that was removed or renamed fold into that folder's event (S11, S13).
func coalesce(raw []rawEvent) []Event {
	states := pathStates(raw)
	n := netEffect{events: make([]Event, 0, len(states))}
	for _, s := range states {
		n.add(s)
	}
	n.pairMoves()
	n.dropFolded()
	sortEvents(n.events)
	return n.events
}

// pathState is what a burst did to one path: its first and last raw
// events, and the kind of the last create seen.
type pathState struct {
	first, last rawEvent
	touched     bool // every raw event of the path was a touch
	created     bool // a create was seen: createDir/createIno hold its kind
	createDir   bool
	createIno   uint64
}

// pathStates groups raw events by path, in order of first appearance,
// dropping metadata-only ones.
func pathStates(raw []rawEvent) []pathState {
	index := make(map[string]int, len(raw))
	states := make([]pathState, 0, len(raw))
	for _, r := range raw {
		if r.Op == rawChmod {
			continue
		}
		i, ok := index[r.Path]
		if !ok {
			i = len(states)
			index[r.Path] = i
			states = append(states, pathState{first: r, touched: true})
		}
		s := &states[i]
		s.last = r
		s.touched = s.touched && r.Touch
		if r.Op == rawCreate {
			s.created, s.createDir, s.createIno = true, r.Dir, r.Ino
		}
	}
	return states
}

// netEffect collects the events of a burst while it is reduced.
type netEffect struct {
	events  []Event
	moves   []move         // removes that were moves
	created map[uint64]int // inode → index into events of a net create
	folds   map[string]bool
}

// move is a remove that was one half of a rename: the index of its event
// and the inode that left.
type move struct {
	at  int
	ino uint64
}

// add appends the net event(s) of one path, comparing its state before the
// burst with its state after.
func (n *netEffect) add(s pathState) {
	path := s.first.Path
	before, beforeDir := s.first.Known, s.first.Dir
	after := s.last.Op == rawCreate || s.last.Op == rawWrite
	afterDir := beforeDir
	if s.created {
		afterDir = s.createDir
	}
	switch {
	case !before && !after:
	case !before && after:
		if s.created && s.createIno != 0 {
			if n.created == nil {
				n.created = make(map[uint64]int)
			}
			n.created[s.createIno] = len(n.events)
		}
		n.events = append(n.events, Event{Op: Create, Path: path, Dir: afterDir})
	case before && !after:
		if s.last.Op == rawMove && s.last.Ino != 0 {
			n.moves = append(n.moves, move{len(n.events), s.last.Ino})
		}
		n.events = append(n.events, Event{Op: Remove, Path: path, Dir: beforeDir})
	case beforeDir != afterDir:
		n.events = append(n.events,
			Event{Op: Remove, Path: path, Dir: beforeDir},
			Event{Op: Create, Path: path, Dir: afterDir})
	case !afterDir:
		n.events = append(n.events, Event{Op: Write, Path: path, Touch: s.touched})
	}
	if before && beforeDir && (!after || !afterDir) {
		n.fold(path)
	}
}

// fold records a folder whose own event stands for everything below it.
func (n *netEffect) fold(path string) {
	if n.folds == nil {
		n.folds = make(map[string]bool)
	}
	n.folds[path] = true
}

// pairMoves turns a move and a create of the same inode into one rename.
// The source only gives an inode to the old name of a real rename (never
// to a plain delete), so a deleted inode reused by a new file is not
// mistaken for a rename. The move's event is blanked (Op 0) for
// dropFolded.
func (n *netEffect) pairMoves() {
	for _, m := range n.moves {
		i := m.at
		j, ok := n.created[m.ino]
		if !ok || n.events[j].Dir != n.events[i].Dir {
			continue
		}
		delete(n.created, m.ino)
		n.events[j] = Event{Op: Rename, Path: n.events[j].Path, From: n.events[i].Path, Dir: n.events[i].Dir}
		n.events[i].Op = 0
		if n.events[j].Dir {
			n.fold(n.events[j].Path)
		}
	}
}

// dropFolded removes the blanked events and those under a folded folder.
func (n *netEffect) dropFolded() {
	kept := n.events[:0]
	for _, e := range n.events {
		if e.Op != 0 && !underFold(e.Path, n.folds) {
			kept = append(kept, e)
		}
	}
	n.events = kept
}

// underFold reports whether a proper ancestor of path is in folds.
func underFold(path string, folds map[string]bool) bool {
	if len(folds) == 0 {
		return false
	}
	for i := len(path) - 1; i > 0; i-- {
		if path[i] == '/' && folds[path[:i]] {
			return true
		}
	}
	return false
}
