package devserver_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/monitor"
)

// BenchmarkMonitorSampleMounts is the cost of one sample of a folder with
// three mounts: two on the served folder's file system, which count once,
// and one on another where there is one (/dev/shm, a tmpfs on Linux).
func BenchmarkMonitorSampleMounts(b *testing.B) {
	dir := b.TempDir()
	var mounts []devserver.Mount
	for _, name := range []string{"a", "b"} {
		lib := filepath.Join(b.TempDir(), name)
		if err := os.Mkdir(lib, 0o755); err != nil {
			b.Fatal(err)
		}
		mounts = append(mounts, devserver.Mount{Prefix: "/" + name, Dir: lib})
	}
	if shm, err := os.MkdirTemp("/dev/shm", "hotserve-bench"); err == nil {
		b.Cleanup(func() { os.RemoveAll(shm) })
		mounts = append(mounts, devserver.Mount{Prefix: "/shm", Dir: shm})
	}
	s := startSite(b, dir, "127.0.0.1:0", func(c *devserver.Config) {
		c.Monitor = &monitor.Config{Interval: time.Hour}
		c.Mounts = mounts
	})
	for b.Loop() {
		devserver.SampleOnly(s.srv)
	}
	b.ReportMetric(float64(len(mounts)), "mounts")
}
