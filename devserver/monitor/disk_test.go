package monitor

import (
	"strings"
	"testing"
	"time"
)

// TestDiskLowFromRealFigures reads the space of a real folder's file
// system and sets the floor just above what is free, so the warning
// carries that file system's real figures on any OS.
func TestDiskLowFromRealFigures(t *testing.T) {
	dir := t.TempDir()
	d, err := DiskSpace(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Total == 0 || d.Free > d.Total {
		t.Fatalf("implausible figures for %s: %+v", dir, d)
	}
	warnings := make(chan Warning, 4)
	s := Start(Config{Interval: time.Hour, Thresholds: Thresholds{DiskBytes: d.Free + 100e6, DiskPercent: 0.001},
		Warn: func(w Warning) { warnings <- w }}, Sources{Root: dir})
	defer s.Close()
	select {
	case w := <-warnings:
		want := "free of " + formatBytes(d.Total) + " ("
		if w.Kind != "disk" || !strings.Contains(w.Text, want) || !strings.Contains(w.Text, dir) {
			t.Errorf("have %q, want it to say %q and the folder", w.Text, want)
		}
	default:
		t.Fatal("no warning with the floor above the free space")
	}
	s.Sample()
	if len(warnings) > 0 {
		t.Errorf("warned twice in one episode: %s", (<-warnings).Text)
	}
	quiet := Start(Config{Interval: time.Hour, Warn: func(w Warning) { warnings <- w },
		Thresholds: Thresholds{DiskBytes: 1, DiskPercent: 0.001}}, Sources{Root: dir})
	defer quiet.Close()
	if len(warnings) > 0 {
		t.Errorf("a warning with the floor at a byte: %s", (<-warnings).Text)
	}
}
