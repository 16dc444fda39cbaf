package watcher

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Mount is one more folder a Watcher watches besides Options.Root, as if
// it were a folder inside it (a dev server's URL prefix, say).
type Mount struct {
	// Path is where the mount's changes are reported: a clean slash path
	// such as "vendor" or "lib/ui", so a save of lib.css in the mount is
	// "write vendor/lib.css". Required.
	Path string
	// Root is the folder. Required; it must exist and be a directory.
	Root string
}

// checkMounts validates ms and returns them with absolute roots.
func checkMounts(ms []Mount) ([]Mount, error) {
	out := make([]Mount, 0, len(ms))
	for _, m := range ms {
		if m.Path == "" || m.Path == "." || path.Clean(m.Path) != m.Path || strings.HasPrefix(m.Path, "/") || strings.HasPrefix(m.Path, "../") || m.Path == ".." {
			return nil, fmt.Errorf("watcher: mount path %q is not a clean relative slash path; give one such as \"vendor\"", m.Path)
		}
		if slices.ContainsFunc(out, func(o Mount) bool { return o.Path == m.Path }) {
			return nil, fmt.Errorf("watcher: two mounts at %q; give each its own path", m.Path)
		}
		root, err := checkRoot(m.Root)
		if err != nil {
			return nil, fmt.Errorf("watcher: mount %q: %w", m.Path, err)
		}
		out = append(out, Mount{Path: m.Path, Root: root})
	}
	return out, nil
}

// roots is the source of a Watcher with mounts: a source per folder, each
// with its own notification (or polling, on a network drive), its own
// ignore rules and its own .gitignore files, whose raw events are renamed
// under their mount's path and merged into the one stream the batcher
// cuts. So a burst across folders is one batch, with one quiet period,
// and not one batch per folder that the reader would have to merge.
type roots struct {
	srcs  []source
	paths []string       // where each source's events go: "" for the root
	busy  []*atomic.Bool // each source's busy flag
}

// add starts the source of one folder, reported under at, and counts
// the watches of the sources started before it as its peers'.
func (r *roots) add(c scanConfig, at string, opts Options, h hooks) (source, error) {
	c.busy = new(atomic.Bool)
	held := slices.Clone(r.srcs)
	c.peers = func() int {
		n := 0
		for _, s := range held {
			n += s.stats().WatchesUsed
		}
		return n
	}
	src, err := newSource(c, opts, h, c.report)
	if err != nil {
		return nil, err
	}
	r.srcs, r.paths, r.busy = append(r.srcs, src), append(r.paths, at), append(r.busy, c.busy)
	return src, nil
}

// busyNow reports whether any source is working through something.
func (r *roots) busyNow() bool {
	return slices.ContainsFunc(r.busy, (*atomic.Bool).Load)
}

func (r *roots) run(out chan<- rawEvent, done <-chan struct{}) {
	var wg sync.WaitGroup
	for i, s := range r.srcs {
		at := r.paths[i]
		if at == "" {
			wg.Go(func() { s.run(out, done) })
			continue
		}
		in := make(chan rawEvent, 64)
		wg.Go(func() {
			defer close(in)
			s.run(in, done)
		})
		wg.Go(func() {
			for ev := range in {
				ev.Path = under(at, ev.Path)
				select {
				case out <- ev:
				case <-done:
				}
			}
		})
	}
	wg.Wait()
}

// under is the path rel of a mount at at, in the watcher's namespace.
func under(at, rel string) string {
	if rel == "" || rel == "." {
		return at
	}
	return at + "/" + rel
}

// stats adds up the sources' figures. Mode and ModeReason are the root's,
// with the mounts that are watched another way named after it.
func (r *roots) stats() Stats {
	s := r.srcs[0].stats()
	rootMode := s.Mode
	others := s.UserWatches - s.WatchesUsed
	for i, src := range r.srcs[1:] {
		m := src.stats()
		s.Dirs += m.Dirs
		s.Files += m.Files
		s.Events += m.Events
		s.Polled += m.Polled
		s.Rescans += m.Rescans
		s.WatchesUsed += m.WatchesUsed
		s.WatchesLimit = max(s.WatchesLimit, m.WatchesLimit)
		others = max(others, m.UserWatches-m.WatchesUsed)
		if m.Mode != rootMode {
			s.ModeReason = joinReason(s.ModeReason, fmt.Sprintf("%s: %s", r.paths[i+1], cmpReason(m)))
		}
		s.PollInterval = max(s.PollInterval, m.PollInterval)
		s.PollScan = max(s.PollScan, m.PollScan)
	}
	if s.WatchesLimit > 0 {
		s.UserWatches = others + s.WatchesUsed
	}
	return s
}

// cmpReason says how a mount watched unlike the root is watched.
func cmpReason(m Stats) string {
	if m.ModeReason == "" {
		return m.Mode
	}
	return m.Mode + ", " + m.ModeReason
}

func joinReason(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func (r *roots) close() error {
	var errs []error
	for _, s := range r.srcs {
		errs = append(errs, s.close())
	}
	return errors.Join(errs...)
}

// checkRoot returns the absolute path of the folder dir, which must exist.
func checkRoot(dir string) (string, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("root %q: %w", dir, err)
	}
	return root, statDir(root, dir)
}
