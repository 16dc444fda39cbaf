package main

import (
	"cmp"
	"fmt"
	"os"

	"golang.org/x/sys/windows"

	"github.com/hotserve/hotserve/watcher"
)

// system checks where the folder is: Windows reports changes on its own
// drives, but not reliably on network drives, shares or WSL's file system,
// which the watcher polls (watcher.Inspect says which, by the rule the
// watcher itself follows). Windows has no open-file limit to check.
func (d *doctor) system(root string, _ tree) {
	env := watcher.Inspect(root)
	fsType := cmp.Or(env.FSType, "unknown")
	if env.PollReason != "" {
		home, _ := os.UserHomeDir()
		d.fileSystem(fsType, env.MountPoint, windowsPollFix(root, env.PollReason, home), "")
		return
	}
	d.ok("file system: %s on %s, %s (ReadDirectoryChangesW sees every change)", fsType, env.MountPoint, driveKind(driveType(env.MountPoint)))
}

// driveType is GetDriveType of a volume's root path (C:\).
func driveType(volume string) uint32 {
	p, err := windows.UTF16PtrFromString(volume)
	if err != nil {
		return windows.DRIVE_UNKNOWN
	}
	return windows.GetDriveType(p)
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
