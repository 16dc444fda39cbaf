package watcher

import "strings"

// pollFS lists the file-system types where the OS's notification only
// sees the changes made through this kernel, not those made by the server
// or other clients: network file systems, and FUSE, whose daemons are
// mostly network or cloud backed. fuseblk (ntfs-3g and friends, a local
// disk) is not one.
var pollFS = map[string]bool{
	"nfs": true, "nfs4": true, "cifs": true, "smb3": true, "smbfs": true,
	"9p": true, "v9fs": true, "afs": true, "ceph": true, "glusterfs": true,
	"lustre": true, "gpfs": true, "vboxsf": true, "vmhgfs": true, "drvfs": true,
	"davfs": true, "sshfs": true, "fuse": true,
	// macOS and the BSDs name theirs differently.
	"afpfs": true, "webdav": true, "macfuse": true, "osxfuse": true, "fusefs": true,
}

// needsPolling reports whether a file-system type (from /proc/self/mounts,
// or statfs elsewhere) is one where native notification is blind.
func needsPolling(fstype string) bool {
	return pollFS[fstype] || strings.HasPrefix(fstype, "fuse.")
}

// pollReason says why root must be polled, or "" when the OS's notification
// will do. Each OS finds the file system (fsOf) and judges it (reasonFor).
func pollReason(root string) string {
	fstype, mp := fsOf(root)
	return reasonFor(root, fstype, mp)
}
