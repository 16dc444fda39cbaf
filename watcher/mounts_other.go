//go:build !linux && !windows && !darwin && !freebsd

package watcher

// fsOf is unknown on this OS.
func fsOf(string) (fstype, mountPoint string) { return "", "" }

// reasonFor: nothing known calls for polling here.
func reasonFor(_, _, _ string) string { return "" }
