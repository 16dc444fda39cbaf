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
	type state struct {
		first, last rawEvent
		created     bool // a create was seen: createDir/createIno hold its kind
		createDir   bool
		createIno   uint64
	}
	index := make(map[string]int, len(raw))
	states := make([]state, 0, len(raw))
	for _, r := range raw {
		if r.Op == rawChmod {
			continue
		}
		i, ok := index[r.Path]
		if !ok {
			i = len(states)
			index[r.Path] = i
			states = append(states, state{first: r})
		}
		s := &states[i]
		s.last = r
		if r.Op == rawCreate {
			s.created, s.createDir, s.createIno = true, r.Dir, r.Ino
		}
	}

	events := make([]Event, 0, len(states))
	var (
		moved   []int          // indexes into events of removes that were moves
		inos    []uint64       // inode of each moved entry, parallel to moved
		created map[uint64]int // inode → index into events of a net create
		folds   map[string]bool
	)
	for _, s := range states {
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
				if created == nil {
					created = make(map[uint64]int)
				}
				created[s.createIno] = len(events)
			}
			events = append(events, Event{Op: Create, Path: path, Dir: afterDir})
		case before && !after:
			if s.last.Op == rawMove && s.last.Ino != 0 {
				moved = append(moved, len(events))
				inos = append(inos, s.last.Ino)
			}
			events = append(events, Event{Op: Remove, Path: path, Dir: beforeDir})
		case beforeDir != afterDir:
			events = append(events,
				Event{Op: Remove, Path: path, Dir: beforeDir},
				Event{Op: Create, Path: path, Dir: afterDir})
		case !afterDir:
			events = append(events, Event{Op: Write, Path: path})
		}
		if before && beforeDir && (!after || !afterDir) {
			if folds == nil {
				folds = make(map[string]bool)
			}
			folds[path] = true
		}
	}

	// Pair moves with creates of the same inode. The source only gives an
	// inode to the old name of a real rename (never to a plain delete), so a
	// deleted inode reused by a new file is not mistaken for a rename.
	drop := 0
	for k, i := range moved {
		j, ok := created[inos[k]]
		if !ok || events[j].Dir != events[i].Dir {
			continue
		}
		delete(created, inos[k])
		events[j] = Event{Op: Rename, Path: events[j].Path, From: events[i].Path, Dir: events[i].Dir}
		events[i].Op = 0
		drop++
		if events[j].Dir {
			if folds == nil {
				folds = make(map[string]bool)
			}
			folds[events[j].Path] = true
		}
	}
	if drop > 0 || folds != nil {
		kept := events[:0]
		for _, e := range events {
			if e.Op != 0 && !underFold(e.Path, folds) {
				kept = append(kept, e)
			}
		}
		events = kept
	}
	sortEvents(events)
	return events
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
