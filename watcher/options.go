package watcher

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// Options configures a Watcher. The zero value of every field but Root is
// its documented default.
type Options struct {
	// Root is the folder to watch, with everything below it. Required; it
	// must exist and be a directory.
	Root string
	// Ignore holds doublestar globs, added to DefaultIgnore, matched against
	// the slash path relative to Root. As in .gitignore, a pattern without
	// "/" matches a base name at any depth ("*.log"); one with "/" matches
	// the whole relative path ("build/**"). A matching folder is never
	// walked or watched, which is what keeps node_modules cheap.
	Ignore []string
	// NoGitignore turns off .gitignore files. Default: false, so every
	// .gitignore in the tree (nested ones apply below their folder, "!"
	// re-includes) and the root's .git/info/exclude hide what they match,
	// like Ignore.
	NoGitignore bool
	// Debounce is the quiet period after the last raw event before a batch
	// is emitted. Default: 10ms (DefaultDebounce). Editors' atomic saves
	// arrive within a millisecond, and with the default (or a shorter one)
	// a finished save of one file (one write of a file that was there,
	// closed, not empty) is emitted 1ms after its last event instead. A build, which pauses between files,
	// gets a longer one: 100ms, or Debounce if that is longer, once a
	// burst has touched eight paths or resumes within that time of the
	// last batch. Other bursts that pause longer are held by rules: while
	// git's index.lock exists, and while a file in the batch is still
	// open for writing.
	Debounce time.Duration
	// MaxDelay caps how long a batch waits after its first event, so that a
	// continuous writer (a long build, a log file) cannot starve the
	// browser. Default: 2s (DefaultMaxDelay). It must not be shorter than
	// Debounce. A git checkout in progress may hold a batch longer, up to
	// 10s.
	MaxDelay time.Duration
	// Poll forces the polling backend, which rescans the tree instead of
	// asking the kernel. Default: false; polling is then still chosen
	// when Root is on a network or FUSE file system (nfs, cifs/smb3, 9p,
	// fuse.*, …, from /proc/self/mounts), where inotify misses changes
	// made by other machines; Stats().ModeReason says why.
	Poll bool
	// PollInterval is how often the polling backend rescans. Default: 0,
	// adaptive: twenty times the duration of a scan, between 100ms and
	// 5s, so polling costs about 5 % of a core on any tree.
	PollInterval time.Duration
	// Mounts are more folders watched with Root, each reported under its
	// own Mount.Path as if it were a folder there. Each has its own
	// .gitignore files, Ignore matches paths relative to the mount, and a
	// mount on a network drive is polled as Root would be. A burst across
	// the root and the mounts is one batch. Default: none.
	Mounts []Mount
	// Progress, when set, is called every 100ms or so while New walks the
	// tree, with the folders and files found so far, so that a terminal
	// can show a counter on a big tree. It must return quickly. Default:
	// nil.
	Progress func(dirs, files int)
}

const (
	// DefaultDebounce is the quiet period when Options.Debounce is 0.
	DefaultDebounce = 10 * time.Millisecond
	// DefaultMaxDelay is the cap on a batch's wait when Options.MaxDelay is 0.
	DefaultMaxDelay = 2 * time.Second
)

// withDefaults validates o and returns it with defaults filled in and Root
// made absolute.
func (o Options) withDefaults() (Options, error) {
	if o.Root == "" {
		return o, fmt.Errorf("watcher: Options.Root is empty; set it to the folder to watch")
	}
	root, err := checkRoot(o.Root)
	if err != nil {
		return o, fmt.Errorf("watcher: %w", err)
	}
	o.Root = root
	if o.Mounts, err = checkMounts(o.Mounts); err != nil {
		return o, err
	}

	if o.Debounce < 0 {
		return o, fmt.Errorf("watcher: Debounce is %v; want 0 (the default, %v) or a positive duration", o.Debounce, DefaultDebounce)
	}
	if o.Debounce == 0 {
		o.Debounce = DefaultDebounce
	}
	if o.MaxDelay < 0 {
		return o, fmt.Errorf("watcher: MaxDelay is %v; want 0 (the default, %v) or a positive duration", o.MaxDelay, DefaultMaxDelay)
	}
	if o.MaxDelay == 0 {
		o.MaxDelay = DefaultMaxDelay
	}
	if o.MaxDelay < o.Debounce {
		return o, fmt.Errorf("watcher: MaxDelay %v is shorter than Debounce %v; want MaxDelay >= Debounce", o.MaxDelay, o.Debounce)
	}
	if o.PollInterval < 0 {
		return o, fmt.Errorf("watcher: PollInterval is %v; want 0 (the default, adaptive) or a positive duration", o.PollInterval)
	}
	return o, nil
}

// statDir checks that the folder at abs (given as dir) exists and is a
// directory.
func statDir(abs, dir string) error {
	fi, err := os.Stat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("root %q does not exist: %w", dir, err)
	}
	if err != nil {
		return fmt.Errorf("root %q: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("root %q: not a directory", dir)
	}
	return nil
}
