package watcher

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// fsOf names the file system holding root ("NTFS", "ReFS", …) and its
// volume's root path ("C:\").
func fsOf(root string) (fstype, mountPoint string) {
	vol := volumeOf(root)
	if vol == "" {
		return "", ""
	}
	p, _ := windows.UTF16PtrFromString(vol)
	name := make([]uint16, windows.MAX_PATH+1)
	if windows.GetVolumeInformation(p, nil, 0, nil, nil, nil, &name[0], uint32(len(name))) != nil {
		return "", vol
	}
	return windows.UTF16ToString(name), vol
}

// volumeOf returns the root path of the volume holding path, "" if unknown.
func volumeOf(path string) string {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return ""
	}
	buf := make([]uint16, windows.MAX_PATH+1)
	if windows.GetVolumePathName(p, &buf[0], uint32(len(buf))) != nil {
		return ""
	}
	return windows.UTF16ToString(buf)
}

// reasonFor says why root, on the volume vol, must be polled, or "" when
// ReadDirectoryChangesW will do: it misses what other machines change on
// a network share, and WSL's Linux file system (\\wsl$) reports nothing
// that Linux programs write.
func reasonFor(root, _, vol string) string {
	if _, _, ok := WSLPath(root); ok {
		return `the root is in WSL's Linux file system (\\wsl$), where Windows sees no changes made by Linux programs; run the program inside WSL instead`
	}
	if share, ok := shareOf(root); ok {
		return fmt.Sprintf("the root is on a network share (%s), where ReadDirectoryChangesW does not see changes made by other machines", share)
	}
	if vol == "" {
		return ""
	}
	p, _ := windows.UTF16PtrFromString(vol)
	if windows.GetDriveType(p) == windows.DRIVE_REMOTE {
		return fmt.Sprintf("the root is on a network drive (%s), where ReadDirectoryChangesW does not see changes made by other machines", vol)
	}
	return ""
}
