//go:build !linux && !windows && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd

package watcher

// nativeMode names the native source in Stats.Mode: whatever fsnotify has
// for this OS (FEN on illumos and Solaris); without one, New polls.
const nativeMode = "fsnotify"

func (limits) overflowAdvice() string {
	return "the kernel's event queue overflowed; the tree was rescanned and the changes found are reported"
}

func (limits) noNative(error) (reason, advice string) {
	return "this OS has no native file notification", "no native file notification on this OS; polling instead"
}
