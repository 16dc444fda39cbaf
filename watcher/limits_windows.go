package watcher

// nativeMode names the native source in Stats.Mode.
const nativeMode = "ReadDirectoryChangesW"

// limits is empty on Windows: the one recursive watch on the root has no
// budget to spend, whatever the size of the tree.
type limits struct{}

func readLimits() limits                  { return limits{} }
func (limits) used(*tree) int             { return 0 }
func (limits) max() int                   { return 0 }
func (limits) admit(string, int) error    { return nil }
func (limits) others() int                { return 0 }
func (limits) inspect(*Environment)       {}
func isLimit(error) bool                  { return false }
func (limits) nearAdvice(int, int) string { return "" }

func (limits) reachedAdvice(_, _, unwatched int) string {
	return "some folders could not be watched; they are polled instead (slower)"
}

func (limits) overflowAdvice() string {
	return "Windows' change buffer overflowed (more changes at once than ReadDirectoryChangesW holds); the tree was rescanned and the changes found are reported"
}

func (limits) noNative(error) (reason, advice string) {
	return "ReadDirectoryChangesW cannot start", "cannot watch with ReadDirectoryChangesW; polling instead"
}
