//go:build !linux && !windows && !darwin && !freebsd

package watcher

// fsOf is unknown on this OS.
func fsOf(string) (fstype, mountPoint string) { return "", "" }

// pollReason: nothing known calls for polling here.
func pollReason(string) string { return "" }
