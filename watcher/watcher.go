// Package watcher reports changes under a folder as batches of net effects:
// one Event per changed path, after a quiet period, with editors' atomic
// saves, temp files and kernel noise already folded away.
package watcher

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// errorBuffer is how many unread errors Errors holds before the oldest is
// dropped.
const errorBuffer = 64

// Watcher watches a folder tree. Create it with New, read Batches, and call
// Close when done.
type Watcher struct {
	src     source
	batches chan Batch
	errs    chan error
	done    chan struct{}
	wg      sync.WaitGroup

	batchCount atomic.Uint64
	dropped    atomic.Uint64

	closeOnce sync.Once
	closeErr  error
}

// Stats is a snapshot of what a Watcher is doing, for the terminal and the
// status page.
type Stats struct {
	// Mode is how changes are seen: the OS's notification ("inotify" on
	// Linux, "kqueue" on macOS and the BSDs, "ReadDirectoryChangesW" on
	// Windows) or "poll".
	Mode string
	// ModeReason says why polling was chosen ("" otherwise): asked for,
	// a network file system, WSL's Windows drives, no inotify instance
	// left, no native notification on this OS.
	ModeReason    string
	Dirs          int    // folders watched (or polled, in poll mode)
	Files         int    // files known
	Events        uint64 // raw events seen since New (poll mode: scans)
	Batches       uint64 // batches delivered
	ErrorsDropped uint64 // errors dropped because Errors was not read

	// Polled counts folders that could not be watched (the OS's watch
	// budget was spent); they are listed every poll interval instead.
	Polled int
	// Rescans counts full rescans after the kernel's event queue overflowed.
	Rescans uint64
	// WatchesUsed is how much of the OS's watch budget this watcher holds:
	// inotify watches on Linux (WatchesLimit is fs.inotify.max_user_watches,
	// shared by every program of the user), open files on macOS and the
	// BSDs (WatchesLimit is the share of the open-file limit hotserve gives
	// to kqueue); 0 on Windows, whose one recursive watch has no budget.
	// UserWatches is what all of the user's programs hold, counted from
	// /proc/*/fdinfo at start plus ours now (Linux; elsewhere ours).
	WatchesUsed, WatchesLimit, UserWatches int

	// PollInterval is the current interval between scans and PollScan the
	// duration of the last scan, in poll mode.
	PollInterval, PollScan time.Duration
}

// New validates opts, walks and watches the whole tree under opts.Root
// (skipping ignored folders) and returns once every folder is watched, so
// that any change made after New returns is reported.
func New(opts Options) (*Watcher, error) { return start(opts, hooks{}) }

func start(opts Options, h hooks) (*Watcher, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	w := &Watcher{
		batches: make(chan Batch),
		errs:    make(chan error, errorBuffer),
		done:    make(chan struct{}),
	}
	st := newSettler(opts.Root, opts.MaxDelay, w.sendError)
	rs, err := w.sources(opts, h, st)
	if err != nil {
		return nil, err
	}
	w.src = rs
	if len(rs.srcs) == 1 {
		w.src = rs.srcs[0]
	}
	raw := make(chan rawEvent, 256)
	b := newBatcher(opts, st, rs.busyNow, &w.batchCount)
	w.wg.Add(2)
	go func() {
		defer w.wg.Done()
		w.src.run(raw, w.done)
	}()
	go func() {
		defer w.wg.Done()
		b.run(raw, w.batches, w.done)
	}()
	return w, nil
}

// sources starts the source of the root and of each mount, and tells the
// settler where each lies on disk.
func (w *Watcher) sources(opts Options, h hooks, st *settler) (*roots, error) {
	rs := &roots{}
	trees := append([]Mount{{Root: opts.Root}}, opts.Mounts...)
	for i, m := range trees {
		ig, err := newIgnorer(opts.Ignore, !opts.NoGitignore)
		if err == nil {
			progress := opts.Progress
			if i > 0 {
				progress = nil // it counts the root's walk
			}
			c := scanConfig{root: m.Root, ig: ig, report: w.sendError, done: w.done, progress: progress}
			hk := h
			if i > 0 {
				hk = hooks{} // the tests' hooks are for the root
			}
			var src source
			if src, err = rs.add(c, m.Path, opts, hk); err == nil && i > 0 {
				st.mount(m.Path, m.Root, src)
			} else if err == nil {
				st.polled(src)
			}
		}
		if err != nil {
			rs.close()
			return nil, err
		}
	}
	return rs, nil
}

// newSource watches the folder of c natively, or polls it where native
// notification is blind, was not asked for or cannot be had.
func newSource(c scanConfig, opts Options, h hooks, report func(error)) (source, error) {
	reason := "polling was asked for"
	if !opts.Poll {
		reason = pollReason(c.root)
	}
	if reason == "" {
		src, err := newNative(c, h)
		var no errNoNative
		if !errors.As(err, &no) {
			return src, err
		}
		report(err)
		reason = no.reason
	}
	return newPoll(c, reason, opts.PollInterval)
}

// Batches delivers one Batch per burst of activity. It is closed by Close.
// While nobody reads it, new activity is merged into the waiting batch.
func (w *Watcher) Batches() <-chan Batch { return w.batches }

// Errors delivers non-fatal problems: a folder that vanished before it
// could be watched, the inotify watch limit, a kernel queue overflow. It is
// buffered; when full, the oldest error is dropped and counted in
// Stats().ErrorsDropped, so an unread Errors never stalls Batches. It is
// closed by Close.
func (w *Watcher) Errors() <-chan error { return w.errs }

// Stats is safe for concurrent use.
func (w *Watcher) Stats() Stats {
	s := w.src.stats()
	s.Batches = w.batchCount.Load()
	s.ErrorsDropped = w.dropped.Load()
	return s
}

// Close stops watching, waits for the watcher's goroutines to finish and
// closes Batches and Errors. It is safe to call more than once.
func (w *Watcher) Close() error {
	w.closeOnce.Do(func() {
		close(w.done)
		w.wg.Wait()
		w.closeErr = w.src.close()
		close(w.batches)
		close(w.errs)
	})
	return w.closeErr
}

// sendError queues err on Errors without ever blocking: when the buffer is
// full the oldest error makes room. It is only called by the goroutines
// Close waits for (and by New), so errs is still open.
func (w *Watcher) sendError(err error) {
	for {
		select {
		case w.errs <- err:
			return
		default:
		}
		select {
		case <-w.errs:
			w.dropped.Add(1)
		default:
		}
	}
}
