package main

import (
	"strings"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/hotserve/hotserve/watcher"
)

func TestWindowsDrive(t *testing.T) {
	dir := t.TempDir()
	env := watcher.Inspect(dir)
	if !strings.HasSuffix(env.MountPoint, `\`) || !strings.HasPrefix(strings.ToLower(dir), strings.ToLower(env.MountPoint)) {
		t.Errorf("volume of %s is %q, want its root, e.g. C:\\", dir, env.MountPoint)
	}
	if env.FSType == "" {
		t.Errorf("file system of %s not read", env.MountPoint)
	}
	if dt := driveType(env.MountPoint); dt != windows.DRIVE_FIXED {
		t.Errorf("drive type of %s is %d, want DRIVE_FIXED (%d)", env.MountPoint, dt, windows.DRIVE_FIXED)
	}
	if env.PollReason != "" {
		t.Errorf("a local drive is polled: %s", env.PollReason)
	}
}
