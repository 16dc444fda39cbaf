package watcher

import "testing"

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

func TestPollStats(t *testing.T) {
	w := newWatcher(t, Options{Poll: true})
	s := w.Stats()
	if s.Mode != "poll" || s.ModeReason != "polling was asked for" || s.PollInterval < pollMin || s.Dirs != 1 {
		t.Errorf("Stats() = %+v, want poll mode with its reason, an interval of at least %v, 1 folder", s, pollMin)
	}
}
