package watcher

import (
	"fmt"
	"os"
	"path/filepath"
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
	// Debounce is the quiet period after the last raw event before a batch
	// is emitted. Default: 25ms, enough to swallow an editor's atomic save.
	Debounce time.Duration
	// MaxDelay caps how long a batch waits after its first event, so that a
	// continuous writer (a long build, a log file) cannot starve the
	// browser. Default: 2s. It must not be shorter than Debounce.
	MaxDelay time.Duration
}

const (
	defaultDebounce = 25 * time.Millisecond
	defaultMaxDelay = 2 * time.Second
)

// withDefaults validates o and returns it with defaults filled in and Root
// made absolute.
func (o Options) withDefaults() (Options, error) {
	if o.Root == "" {
		return o, fmt.Errorf("watcher: Options.Root is empty; set it to the folder to watch")
	}
	root, err := filepath.Abs(o.Root)
	if err != nil {
		return o, fmt.Errorf("watcher: root %q: %w", o.Root, err)
	}
	fi, err := os.Stat(root)
	if err != nil {
		return o, fmt.Errorf("watcher: root %q: %w", o.Root, err)
	}
	if !fi.IsDir() {
		return o, fmt.Errorf("watcher: root %q: not a directory", o.Root)
	}
	o.Root = root

	if o.Debounce < 0 {
		return o, fmt.Errorf("watcher: Debounce is %v; want 0 (the default, %v) or a positive duration", o.Debounce, defaultDebounce)
	}
	if o.Debounce == 0 {
		o.Debounce = defaultDebounce
	}
	if o.MaxDelay < 0 {
		return o, fmt.Errorf("watcher: MaxDelay is %v; want 0 (the default, %v) or a positive duration", o.MaxDelay, defaultMaxDelay)
	}
	if o.MaxDelay == 0 {
		o.MaxDelay = defaultMaxDelay
	}
	if o.MaxDelay < o.Debounce {
		return o, fmt.Errorf("watcher: MaxDelay %v is shorter than Debounce %v; want MaxDelay >= Debounce", o.MaxDelay, o.Debounce)
	}
	return o, nil
}
