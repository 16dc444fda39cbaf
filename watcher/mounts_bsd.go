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

// pollReason says why root must be polled, or "" when kqueue will do.
func pollReason(root string) string {
	fstype, mp := fsOf(root)
	if !needsPolling(fstype) {
		return ""
	}
	return fmt.Sprintf("the root is on %s (mounted at %s), where kqueue does not see changes made by other machines", fstype, mp)
}
