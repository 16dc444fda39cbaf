package devserver_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/monitor"
)

// TestMonitorMountDiskLowOnATmpfs serves a folder with a mount on a small
// tmpfs, fills the tmpfs, and expects the disk warning for the mount
// alone, named by its prefix and folder, with the tmpfs's real figures;
// the disk chart has a line for each file system, and a second mount on
// the same tmpfs shares the mount's line.
func TestMonitorMountDiskLowOnATmpfs(t *testing.T) {
	lib := smallFileSystem(t, 8<<20)
	more := filepath.Join(lib, "more")
	if err := os.Mkdir(more, 0o755); err != nil {
		t.Fatal(err)
	}
	warnings := make(chan monitor.Warning, 10)
	cfg := &monitor.Config{Interval: time.Hour, Thresholds: monitor.Thresholds{DiskBytes: 1e6, DiskPercent: 0.001},
		Warn: func(w monitor.Warning) { warnings <- w }}
	s := startSite(t, t.TempDir(), "127.0.0.1:0", func(c *devserver.Config) {
		c.Monitor = cfg
		c.Mounts = []devserver.Mount{{Prefix: "/vendor", Dir: lib}, {Prefix: "/more", Dir: more}}
	})
	devserver.SampleNow(s.srv)
	if len(warnings) > 0 {
		t.Fatalf("a warning before the tmpfs is full: %s", (<-warnings).Text)
	}
	before, err := monitor.DiskSpace(lib)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(lib, "build.bin"), strings.Repeat("x", int(before.Free)-600_000))
	devserver.SampleNow(s.srv)
	select {
	case w := <-warnings:
		re := regexp.MustCompile(`^disk │ \d+ kB free of 8\.39 MB \(\d\.\d %\) on the file system of /vendor, /more \(` + regexp.QuoteMeta(lib) + `\) — `)
		if w.Kind != "disk" || w.Subject != "/vendor, /more" || !re.MatchString(w.Text) {
			t.Errorf("have %q (subject %q), want the tmpfs's real figures, named by the mounts and the folder", w.Text, w.Subject)
		}
	default:
		t.Fatal("no warning with the mount's file system nearly full")
	}
	devserver.SampleNow(s.srv)
	if len(warnings) > 0 {
		t.Errorf("warned again in the same episode, or for another file system: %s", (<-warnings).Text)
	}
	for _, c := range statusJSON(t, s).Charts {
		if c.ID != "disk" {
			continue
		}
		if len(c.Lines) != 2 || c.Lines[1].Label != "/vendor, /more" || c.Lines[1].V[len(c.Lines[1].V)-1] >= 1e6 {
			t.Errorf("the disk chart's lines are %+v, want the served folder's and the tmpfs's, nearly empty", c.Lines)
		}
		return
	}
	t.Error("no disk chart")
}
