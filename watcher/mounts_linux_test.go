package watcher

import (
	"strings"
	"testing"
)

func TestMountOf(t *testing.T) {
	mounts := []byte(`/dev/vda / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
server:/export /mnt/nfs nfs4 rw,vers=4.2 0 0
//nas/share /mnt/nas cifs rw 0 0
/dev/vdb /mnt/nfs/local ext4 rw 0 0
me@host:/src /home/me/remote\040dir fuse.sshfs rw 0 0
/dev/sdb1 /media/usb fuseblk rw 0 0
dev /home/me/wsl 9p rw 0 0
`)
	for _, tc := range []struct {
		path, fstype, mount string
		poll                bool
	}{
		{"/home/me/site", "ext4", "/", false},
		{"/mnt/nfs/site", "nfs4", "/mnt/nfs", true},
		{"/mnt/nfs", "nfs4", "/mnt/nfs", true},
		{"/mnt/nfsother", "ext4", "/", false}, // a prefix of the name is not a parent
		{"/mnt/nfs/local/x", "ext4", "/mnt/nfs/local", false},
		{"/mnt/nas/web", "cifs", "/mnt/nas", true},
		{"/home/me/remote dir/p", "fuse.sshfs", "/home/me/remote dir", true},
		{"/media/usb/site", "fuseblk", "/media/usb", false},
		{"/home/me/wsl/x", "9p", "/home/me/wsl", true},
	} {
		fstype, mount := mountOf(tc.path, mounts)
		if fstype != tc.fstype || mount != tc.mount || needsPolling(fstype) != tc.poll {
			t.Errorf("mountOf(%q) = %s on %q (poll %v), want %s on %q (poll %v)",
				tc.path, fstype, mount, needsPolling(fstype), tc.fstype, tc.mount, tc.poll)
		}
	}
}

// TestReasonForWSL: a Windows drive under WSL is polled, and the reason
// says what to do about it.
func TestReasonForWSL(t *testing.T) {
	for _, tc := range []struct{ fstype, mp, want string }{
		{"9p", "/mnt/c", "keep the project in the Linux file system"},
		{"drvfs", "/mnt/d", "keep the project in the Linux file system"},
		{"9p", "/home/me/share", "changes made by other machines"},
		{"nfs4", "/mnt/nfs", "changes made by other machines"},
		{"ext4", "/", ""},
	} {
		got := reasonFor("", tc.fstype, tc.mp)
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("reasonFor(%q, %q) = %q, want it to say %q", tc.fstype, tc.mp, got, tc.want)
		}
	}
}
