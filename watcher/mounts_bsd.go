//go:build darwin || freebsd

package watcher

import (
	"fmt"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// fsOf asks statfs for the file system holding root.
func fsOf(root string) (fstype, mountPoint string) {
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	var st unix.Statfs_t
	if unix.Statfs(root, &st) != nil {
		return "", ""
	}
	return unix.ByteSliceToString(st.Fstypename[:]), unix.ByteSliceToString(st.Mntonname[:])
}

// reasonFor says why a root on fstype, mounted at mp, must be polled, or
// "" when kqueue will do.
func reasonFor(_, fstype, mp string) string {
	if !needsPolling(fstype) {
		return ""
	}
	return fmt.Sprintf("the root is on %s (mounted at %s), where kqueue does not see changes made by other machines", fstype, mp)
}
