//go:build !linux && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd

package watcher

// limits is empty where the native source has no budget to spend: on
// Windows the one recursive watch on the root costs the same for any tree,
// and elsewhere no limit is known.
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
