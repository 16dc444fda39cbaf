package devserver

import (
	"fmt"
	"path"
	"strings"

	"github.com/hotserve/hotserve/watcher"
)

// reloadMessage decides what a batch means to an open page: a batch of
// stylesheet edits is swapped in place (css-update); any other change that
// a browser could see reloads the page (live-reload). Changes the server
// would never serve (see hidden) mean nothing; ok is false then.
func reloadMessage(b watcher.Batch) (m message, ok bool) {
	var paths []string
	cssOnly := true
	for _, e := range b.Events {
		if hidden(e.Path) && (e.Op != watcher.Rename || hidden(e.From)) {
			continue
		}
		paths = append(paths, "/"+e.Path)
		if e.Dir || path.Ext(e.Path) != ".css" || !(e.Op == watcher.Write || e.Op == watcher.Create) {
			cssOnly = false
		}
	}
	if len(paths) == 0 {
		return message{}, false
	}
	if cssOnly {
		return message{Type: msgCSSUpdate, Paths: paths}, true
	}
	return message{Type: msgLiveReload, Paths: paths, Reason: reason(paths)}, true
}

// reason says in a few words what changed, for the browser console.
func reason(paths []string) string { return summary(paths) + " changed" }

// summary names one changed path, or counts many.
func summary(paths []string) string {
	if len(paths) == 1 {
		return strings.TrimPrefix(paths[0], "/")
	}
	return fmt.Sprintf("%d files", len(paths))
}
