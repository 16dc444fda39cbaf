package watcher

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"github.com/fsnotify/fsnotify"
	"golang.org/x/sys/unix"
)

// notifier is inotify, read directly, with one watch per folder: what
// fsnotify's inotify backend does, in fsnotify's own event types so that
// the native source is the same on every OS. It keeps less: a folder's
// path once and its watch descriptor in two maps, where fsnotify also keeps
// a watch record per folder and builds its maps' garbage on every Add
// (about 60 bytes a folder, 0.6 MB at 10,000 folders, and twice that again
// in garbage during the first walk: watchbench's heap profile). Its read
// buffer is on the heap, not 64 KB on a goroutine's stack.
type notifier struct {
	f      *os.File
	fd     int
	events <-chan fsnotify.Event
	errors <-chan error
	ev     chan fsnotify.Event
	errs   chan error
	done   chan struct{} // closed by close: the reader stops sending
	gone   chan struct{} // closed when the reader has returned

	mu     sync.Mutex // the maps, between add/remove and the reader
	closed bool
	paths  map[int32]string // watch descriptor → folder
	wds    map[string]int32 // folder → watch descriptor
}

// notifierSeesRoot: inotify reports the root's own removal and move.
const notifierSeesRoot = true

// notifierBuffer lets the reader run ahead of us while we walk a new
// folder, so the kernel queue drains during a burst.
const notifierBuffer = 4096

// inotifyMask is every change fsnotify reports by default.
const inotifyMask = unix.IN_CREATE | unix.IN_MODIFY | unix.IN_DELETE | unix.IN_DELETE_SELF |
	unix.IN_MOVED_TO | unix.IN_MOVED_FROM | unix.IN_MOVE_SELF | unix.IN_ATTRIB

func newNotifier() (*notifier, error) {
	// Non-blocking, so that closing the file wakes the blocked reader.
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("couldn't initialize inotify: %w", err)
	}
	n := &notifier{
		f: os.NewFile(uintptr(fd), "inotify"), fd: fd,
		ev: make(chan fsnotify.Event, notifierBuffer), errs: make(chan error),
		done: make(chan struct{}), gone: make(chan struct{}),
		paths: make(map[int32]string), wds: make(map[string]int32),
	}
	n.events, n.errors = n.ev, n.errs
	go n.read()
	return n, nil
}

// add watches the folder abs, which the notifier keeps as the prefix of
// its events' names.
func (n *notifier) add(abs string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return fsnotify.ErrClosed
	}
	mask := uint32(inotifyMask)
	old, had := n.wds[abs]
	if had {
		mask |= unix.IN_MASK_ADD
	}
	w, err := unix.InotifyAddWatch(n.fd, abs, mask)
	if err != nil {
		return err
	}
	wd := int32(w)
	if _, known := n.paths[wd]; known {
		return nil // the same folder under another name: it keeps the first, as fsnotify does
	}
	if had {
		delete(n.paths, old) // another folder at the same path now
	}
	n.paths[wd], n.wds[abs] = abs, wd
	return nil
}

func (n *notifier) remove(abs string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	wd, ok := n.wds[abs]
	if !ok {
		return fmt.Errorf("%w: %s", fsnotify.ErrNonExistentWatch, abs)
	}
	delete(n.wds, abs)
	delete(n.paths, wd)
	_, err := unix.InotifyRmWatch(n.fd, uint32(wd))
	return err
}

func (n *notifier) close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	close(n.done)
	n.mu.Unlock()
	err := n.f.Close()
	<-n.gone
	return err
}

// read turns the kernel's records into events until the file is closed.
func (n *notifier) read() {
	defer func() {
		close(n.gone)
		close(n.errs)
		close(n.ev)
	}()
	buf := make([]byte, unix.SizeofInotifyEvent*4096)
	for {
		nr, err := n.f.Read(buf)
		switch {
		case errors.Is(err, os.ErrClosed):
			return
		case err == nil && nr < unix.SizeofInotifyEvent:
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			if !n.sendErr(err) {
				return
			}
			continue
		}
		for off := 0; off+unix.SizeofInotifyEvent <= nr; {
			raw := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			name := buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(raw.Len)]
			off += unix.SizeofInotifyEvent + int(raw.Len)
			if raw.Mask&unix.IN_Q_OVERFLOW != 0 && !n.sendErr(fsnotify.ErrEventOverflow) {
				return
			}
			if ev, ok := n.event(raw.Wd, raw.Mask, name); ok && !n.send(ev) {
				return
			}
		}
	}
}

// event makes one record an event, as fsnotify's inotify backend does:
// the folder's path, joined with the name the record carries; a watch the
// kernel dropped is forgotten, a watched folder moved away loses its watch.
func (n *notifier) event(wd int32, mask uint32, name []byte) (fsnotify.Event, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	dir, ok := n.paths[wd]
	if !ok {
		return fsnotify.Event{}, false // removed while the record was queued
	}
	if mask&(unix.IN_IGNORED|unix.IN_UNMOUNT) != 0 {
		n.forget(wd, dir)
		return fsnotify.Event{}, false
	}
	if mask&unix.IN_DELETE_SELF != 0 {
		n.forget(wd, dir)
		if _, parent := n.wds[filepath.Dir(dir)]; parent {
			return fsnotify.Event{}, false // the parent reports the delete
		}
	}
	if mask&unix.IN_MOVE_SELF != 0 {
		n.forget(wd, dir)
		_, _ = unix.InotifyRmWatch(n.fd, uint32(wd))
	}
	ev := fsnotify.Event{Name: dir, Op: inotifyOp(mask)}
	if i := indexNUL(name); i > 0 {
		ev.Name = dir + "/" + string(name[:i])
	}
	return ev, true
}

func (n *notifier) forget(wd int32, dir string) {
	delete(n.paths, wd)
	if n.wds[dir] == wd {
		delete(n.wds, dir)
	}
}

// indexNUL is the length of a record's name, which the kernel pads with
// NULs.
func indexNUL(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return len(b)
}

func inotifyOp(mask uint32) fsnotify.Op {
	var op fsnotify.Op
	if mask&(unix.IN_CREATE|unix.IN_MOVED_TO) != 0 {
		op |= fsnotify.Create
	}
	if mask&(unix.IN_DELETE_SELF|unix.IN_DELETE) != 0 {
		op |= fsnotify.Remove
	}
	if mask&unix.IN_MODIFY != 0 {
		op |= fsnotify.Write
	}
	if mask&(unix.IN_MOVE_SELF|unix.IN_MOVED_FROM) != 0 {
		op |= fsnotify.Rename
	}
	if mask&unix.IN_ATTRIB != 0 {
		op |= fsnotify.Chmod
	}
	return op
}

func (n *notifier) send(ev fsnotify.Event) bool {
	select {
	case n.ev <- ev:
		return true
	case <-n.done:
		return false
	}
}

func (n *notifier) sendErr(err error) bool {
	select {
	case n.errs <- err:
		return true
	case <-n.done:
		return false
	}
}
