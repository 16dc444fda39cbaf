//go:build !windows && !linux

package watcher

import "github.com/fsnotify/fsnotify"

// notifier is fsnotify with one watch per folder: kqueue on macOS and the
// BSDs (Linux reads inotify itself: notify_linux.go). On an OS fsnotify
// has no backend for, newNotifier fails and the watcher polls.
type notifier struct {
	fsw    *fsnotify.Watcher
	events <-chan fsnotify.Event
	errors <-chan error
}

// notifierSeesRoot: inotify and kqueue report the root's own removal and
// move.
const notifierSeesRoot = true

// notifierBuffer lets fsnotify's reader run ahead of us while we walk a
// new folder, so the kernel queue drains during a burst.
const notifierBuffer = 4096

func newNotifier() (*notifier, error) {
	fsw, err := fsnotify.NewBufferedWatcher(notifierBuffer)
	if err != nil {
		return nil, err
	}
	return &notifier{fsw: fsw, events: fsw.Events, errors: fsw.Errors}, nil
}

func (n *notifier) add(abs string) error    { return n.fsw.Add(abs) }
func (n *notifier) remove(abs string) error { return n.fsw.Remove(abs) }
func (n *notifier) close() error            { return n.fsw.Close() }
