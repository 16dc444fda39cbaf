//go:build !linux && !windows && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd

package watcher

// nativeMode names the native source in Stats.Mode: whatever fsnotify has
// for this OS (FEN on illumos and Solaris); without one, New polls.
const nativeMode = "fsnotify"

// limits: none known on this OS.
type limits struct{}

func readLimits() limits                  { return limits{} }
func (limits) used(t *tree) int           { return int(t.dirs.Load()) }
func (limits) max() int                   { return 0 }
func (limits) admit(string, int) error    { return nil }
func (limits) others() int                { return 0 }
func (limits) inspect(*Environment)       {}
func isLimit(error) bool                  { return false }
func (limits) nearAdvice(int, int) string { return "" }
func (limits) overflowAdvice() string {
	return "the kernel's event queue overflowed; the tree was rescanned and the changes found are reported"
}

func (limits) reachedAdvice(_, _, unwatched int) string {
	return "some folders could not be watched; they are polled instead (slower)"
}

func (limits) noNative(error) (reason, advice string) {
	return "this OS has no native file notification", "no native file notification on this OS; polling instead"
}
