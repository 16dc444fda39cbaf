//go:build !(darwin || dragonfly || freebsd || linux || windows)

package main

import (
	"runtime"

	"github.com/hotserve/hotserve/watcher"
)

// system says what it can: hotserve knows no limits to check on this
// system.
func (d *doctor) system(root string, _ tree) {
	env := watcher.Inspect(root)
	if env.PollReason != "" {
		d.warn("file system: hotserve will poll it, which is slower: %s", env.PollReason)
	}
	d.ok("limits: hotserve has no checks for %s", runtime.GOOS)
}

// portHolderCommand shows who listens on port.
func portHolderCommand(int) string { return "netstat -an" }
