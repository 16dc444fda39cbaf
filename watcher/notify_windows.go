package watcher

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/fsnotify/fsnotify"
	"golang.org/x/sys/windows"
)

// notifier watches the whole tree with one recursive ReadDirectoryChangesW
// on the root, the way Windows means it to be used. A handle per folder,
// as fsnotify keeps, would stop people from renaming or deleting any
// folder above a watched one (Windows refuses to rename a folder while a
// handle is open below it), and would cost a kernel buffer per folder. The
// root's watch covers every folder below it, so add and remove of
// sub-folders are no-ops; the scanner still lists each new folder, which
// finds what was created in it before its events were seen.
type notifier struct {
	events chan fsnotify.Event
	errors chan error

	mu sync.Mutex
	w  *rootWatch // nil while the root is not watched
}

// notifierSeesRoot: a watch reports changes below its folder, not to the
// folder itself (a rename of the root says nothing), so the source looks
// at the root every rootPoll.
const notifierSeesRoot = false

// notifierBuffer lets the reader run ahead of the source while it walks a
// new folder.
const notifierBuffer = 4096

// changeBuffer is the size of the buffer the kernel fills between two
// reads; past it, the read fails with ERROR_NOTIFY_ENUM_DIR and the tree is
// rescanned. 64 KiB is the most a network share accepts, but shares are
// polled, so a local volume gets room for a checkout's burst.
const changeBuffer = 1 << 20

// changeFilter: names (files and folders) and content. Attribute-only
// changes (chmod's counterpart) are left out, as the inotify source drops
// them; touch sets the last-write time, which is included.
const changeFilter = windows.FILE_NOTIFY_CHANGE_FILE_NAME | windows.FILE_NOTIFY_CHANGE_DIR_NAME |
	windows.FILE_NOTIFY_CHANGE_LAST_WRITE | windows.FILE_NOTIFY_CHANGE_SIZE

func newNotifier() (*notifier, error) {
	return &notifier{events: make(chan fsnotify.Event, notifierBuffer), errors: make(chan error, 16)}, nil
}

// add starts the recursive watch on abs when nothing is watched yet; for
// any folder below the root it has nothing to do.
func (n *notifier) add(abs string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.w != nil {
		return nil
	}
	w, err := watchRoot(abs, n.events, n.errors)
	if err != nil {
		return err
	}
	n.w = w
	return nil
}

// remove stops the watch when abs is the root; it does not wait for the
// reader, which may be the one telling the source that the root went.
func (n *notifier) remove(abs string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.w != nil && abs == n.w.root {
		n.w.stop()
		n.w = nil
	}
	return nil
}

// close stops the watch and waits for its reader to let go of the handle.
func (n *notifier) close() error {
	n.mu.Lock()
	w := n.w
	n.w = nil
	n.mu.Unlock()
	if w != nil {
		w.stop()
		<-w.done
	}
	return nil
}

// rootWatch is one overlapped ReadDirectoryChangesW on a folder and the
// goroutine that reads it.
type rootWatch struct {
	root     string
	h        windows.Handle
	ov       windows.Overlapped
	wake     windows.Handle // set by stop, to end the reader's wait
	quit     chan struct{}
	stopOnce sync.Once
	done     chan struct{}
	buf      []byte
}

func watchRoot(root string, events chan<- fsnotify.Event, errs chan<- error) (*rootWatch, error) {
	p, err := windows.UTF16PtrFromString(root)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(p, windows.FILE_LIST_DIRECTORY,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.OPEN_EXISTING, windows.FILE_FLAG_BACKUP_SEMANTICS|windows.FILE_FLAG_OVERLAPPED, 0)
	if err != nil {
		return nil, err
	}
	w := &rootWatch{root: root, h: h, quit: make(chan struct{}), done: make(chan struct{}), buf: make([]byte, changeBuffer)}
	if w.ov.HEvent, err = windows.CreateEvent(nil, 1, 0, nil); err == nil {
		w.wake, err = windows.CreateEvent(nil, 1, 0, nil)
	}
	if err == nil {
		// The first read is queued before add returns: a change made
		// after New returns is seen.
		err = w.read()
	}
	if err != nil {
		w.release()
		return nil, err
	}
	go w.loop(events, errs)
	return w, nil
}

func (w *rootWatch) read() error {
	if err := windows.ResetEvent(w.ov.HEvent); err != nil {
		return err
	}
	return windows.ReadDirectoryChanges(w.h, &w.buf[0], uint32(len(w.buf)), true, changeFilter, nil, &w.ov, 0)
}

func (w *rootWatch) stop() {
	w.stopOnce.Do(func() {
		close(w.quit)
		windows.SetEvent(w.wake)
	})
}

// release closes the handles; called once, by the reader when it ends, or
// by watchRoot when the watch could not start.
func (w *rootWatch) release() {
	for _, h := range []windows.Handle{w.h, w.ov.HEvent, w.wake} {
		if h != 0 {
			windows.CloseHandle(h)
		}
	}
}

// loop reads changes until stop, or until the root can no longer be read
// (it was deleted: the read fails with ERROR_ACCESS_DENIED while the
// delete is pending).
func (w *rootWatch) loop(events chan<- fsnotify.Event, errs chan<- error) {
	defer close(w.done)
	defer w.release()
	send := func(ev fsnotify.Event) bool {
		select {
		case events <- ev:
			return true
		case <-w.quit:
			return false
		}
	}
	for {
		which, err := windows.WaitForMultipleObjects([]windows.Handle{w.ov.HEvent, w.wake}, false, uint32(rootPoll/time.Millisecond))
		if err == nil && which == uint32(windows.WAIT_TIMEOUT) {
			if !w.deletePending() {
				continue
			}
			// The root itself is being deleted: no change below it is
			// left to report, and only this handle keeps its name taken
			// until it is closed.
			send(fsnotify.Event{Name: w.root, Op: fsnotify.Remove})
			which = 1 // end the read and let go of the handle
		}
		if err != nil || which != windows.WAIT_OBJECT_0 {
			windows.CancelIoEx(w.h, &w.ov)
			var n uint32
			windows.GetOverlappedResult(w.h, &w.ov, &n, true)
			return
		}
		var n uint32
		err = windows.GetOverlappedResult(w.h, &w.ov, &n, false)
		switch {
		case errors.Is(err, windows.ERROR_NOTIFY_ENUM_DIR), err == nil && n == 0:
			select {
			case errs <- fsnotify.ErrEventOverflow:
			case <-w.quit:
				return
			}
		case errors.Is(err, windows.ERROR_ACCESS_DENIED), errors.Is(err, windows.ERROR_FILE_NOT_FOUND):
			send(fsnotify.Event{Name: w.root, Op: fsnotify.Remove})
			return
		case err != nil:
			select {
			case errs <- err:
			case <-w.quit:
			}
			return
		default:
			if !w.parse(w.buf[:n], send) {
				return
			}
		}
		if err := w.read(); err != nil {
			send(fsnotify.Event{Name: w.root, Op: fsnotify.Remove})
			return
		}
	}
}

// deletePending reports whether the watched folder is being deleted.
func (w *rootWatch) deletePending() bool {
	var info struct { // FILE_STANDARD_INFO
		AllocationSize, EndOfFile int64
		NumberOfLinks             uint32
		DeletePending, Directory  bool
	}
	err := windows.GetFileInformationByHandleEx(w.h, windows.FileStandardInfo, (*byte)(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)))
	return err == nil && info.DeletePending
}

// parse sends the FILE_NOTIFY_INFORMATION records in b as events; false
// once stopped.
func (w *rootWatch) parse(b []byte, send func(fsnotify.Event) bool) bool {
	for off := 0; off+12 <= len(b); {
		info := (*windows.FileNotifyInformation)(unsafe.Pointer(&b[off]))
		size := int(info.FileNameLength / 2)
		name := windows.UTF16ToString(unsafe.Slice(&info.FileName, size))
		full := longName(filepath.Join(w.root, name))
		var op fsnotify.Op
		switch info.Action {
		case windows.FILE_ACTION_ADDED, windows.FILE_ACTION_RENAMED_NEW_NAME:
			op = fsnotify.Create
		case windows.FILE_ACTION_REMOVED:
			op = fsnotify.Remove
		case windows.FILE_ACTION_MODIFIED:
			op = fsnotify.Write
		case windows.FILE_ACTION_RENAMED_OLD_NAME:
			op = fsnotify.Rename
		}
		if op != 0 && !send(fsnotify.Event{Name: full, Op: op}) {
			return false
		}
		if info.NextEntryOffset == 0 {
			break
		}
		off += int(info.NextEntryOffset)
	}
	return true
}

// longName turns a path that may hold an 8.3 short name (ReadDirectoryChangesW
// reports whichever name was used to open the file) into its long form,
// when the file still exists to ask.
func longName(p string) string {
	if !strings.Contains(p, "~") {
		return p
	}
	u, err := windows.UTF16FromString(p)
	if err != nil {
		return p
	}
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n, err := windows.GetLongPathName(&u[0], &buf[0], uint32(len(buf)))
	if err != nil || n == 0 || int(n) > len(buf) {
		return p
	}
	return windows.UTF16ToString(buf[:n])
}
