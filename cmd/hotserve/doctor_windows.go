package main

import (
	"fmt"
	"os"

	"golang.org/x/sys/windows"

	"github.com/hotserve/hotserve/watcher"
)

// system checks where the folder is: Windows reports changes on its own
// drives, but not reliably on network drives, shares or WSL's file system,
// which hotserve polls. Windows has no open-file limit to check.
func (d *doctor) system(root string, _ tree) {
	volume, fsType, driveType := windowsVolume(root)
	home, _ := os.UserHomeDir()
	reason := windowsPollReason(root, driveType == windows.DRIVE_REMOTE, home)
	if reason == "" {
		reason = watcher.Inspect(root).PollReason
	}
	if reason != "" {
		d.fileSystem(fsType, volume, reason, "")
		return
	}
	d.ok("file system: %s on %s, %s (ReadDirectoryChangesW sees every change)", fsType, volume, driveKind(driveType))
}

// windowsVolume names the volume holding path (C:\ or \\server\share\),
// its file system (NTFS, ReFS, exFAT…) and its GetDriveType.
func windowsVolume(path string) (volume, fsType string, driveType uint32) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return path, "unknown", windows.DRIVE_UNKNOWN
	}
	buf := make([]uint16, windows.MAX_LONG_PATH)
	if windows.GetVolumePathName(p, &buf[0], uint32(len(buf))) != nil {
		return path, "unknown", windows.DRIVE_UNKNOWN
	}
	volume = windows.UTF16ToString(buf)
	driveType = windows.GetDriveType(&buf[0])
	name := make([]uint16, windows.MAX_PATH+1)
	fsType = "unknown"
	if windows.GetVolumeInformation(&buf[0], nil, 0, nil, nil, nil, &name[0], uint32(len(name))) == nil {
		fsType = windows.UTF16ToString(name)
	}
	return volume, fsType, driveType
}

// driveKind names GetDriveType's answers for the drives that are not
// polled.
func driveKind(driveType uint32) string {
	switch driveType {
	case windows.DRIVE_FIXED:
		return "a local drive"
	case windows.DRIVE_REMOVABLE:
		return "a removable drive"
	case windows.DRIVE_CDROM:
		return "a CD or DVD drive"
	case windows.DRIVE_RAMDISK:
		return "a RAM drive"
	}
	return "a drive of unknown type"
}

// portHolderCommand shows who listens on port.
func portHolderCommand(port int) string {
	return fmt.Sprintf("netstat -ano | findstr :%d", port)
}
