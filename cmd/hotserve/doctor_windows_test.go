package main

import (
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

func TestWindowsVolume(t *testing.T) {
	dir := t.TempDir()
	volume, fsType, driveType := windowsVolume(dir)
	if !strings.HasSuffix(volume, `\`) || !strings.HasPrefix(strings.ToLower(dir), strings.ToLower(volume)) {
		t.Errorf("volume of %s is %q, want its root, e.g. C:\\", dir, volume)
	}
	if fsType == "unknown" || fsType == "" {
		t.Errorf("file system of %s not read", volume)
	}
	if driveType != windows.DRIVE_FIXED {
		t.Errorf("drive type of %s is %d, want DRIVE_FIXED (%d)", volume, driveType, windows.DRIVE_FIXED)
	}
}
