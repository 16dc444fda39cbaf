package devserver_test

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/monitor"
)

// On other OSes, TestDiskLowFromRealFigures in devserver/monitor checks
// the warning against the real figures of the test's folder.

// TestMonitorDiskLowOnATmpfs fills a small tmpfs that holds the served
// folder and expects the disk warning, with the file system's real
// figures.
func TestMonitorDiskLowOnATmpfs(t *testing.T) {
	dir := smallFileSystem(t, 8<<20)
	warnings := make(chan monitor.Warning, 10)
	cfg := &monitor.Config{Interval: time.Hour, Thresholds: monitor.Thresholds{DiskBytes: 1e6, DiskPercent: 5},
		Warn: func(w monitor.Warning) { warnings <- w }}
	s := startSite(t, dir, "127.0.0.1:0", func(c *devserver.Config) { c.Monitor = cfg })
	devserver.SampleNow(s.srv)
	select {
	case w := <-warnings:
		t.Fatalf("a warning on an empty file system: %s", w.Text)
	default:
	}
	before, err := monitor.DiskSpace(dir)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "build.bin"), strings.Repeat("x", int(before.Free)-600_000))
	devserver.SampleNow(s.srv)
	select {
	case w := <-warnings:
		now, _ := monitor.DiskSpace(dir)
		if w.Kind != "disk" || !strings.Contains(w.Text, "on the file system of "+dir) || now.Free >= 1e6 {
			t.Errorf("have %q with %d bytes free", w.Text, now.Free)
		}
		if !regexp.MustCompile(`^disk │ \d+ kB free of 8\.39 MB \(\d\.\d %\)`).MatchString(w.Text) {
			t.Errorf("have %q, want the tmpfs's real figures", w.Text)
		}
	default:
		t.Fatal("no warning with the file system nearly full")
	}
	devserver.SampleNow(s.srv)
	if len(warnings) > 0 {
		t.Errorf("warned again in the same episode: %s", (<-warnings).Text)
	}
}

// smallFileSystem mounts a tmpfs of size bytes and returns a folder on it.
func smallFileSystem(t *testing.T, size int) string {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+strconv.Itoa(size)); err != nil {
		t.Skipf("cannot mount a tmpfs (%v): mounting needs root; TestDiskLowFromRealFigures in devserver/monitor covers the check", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}
