package devserver_test

import (
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/monitor"
	"github.com/hotserve/hotserve/internal/treegen"
	"github.com/hotserve/hotserve/watcher"
)

// BenchmarkMonitorSample is the cost of one sample on the 100,000-file
// tree, watched, with the test backend running (a shell and its child),
// and what it comes to at the default interval: "core-%" is the share of
// one core that sampling every 5 s takes.
func BenchmarkMonitorSample(b *testing.B) {
	dir := b.TempDir()
	if err := treegen.Generate(dir, 100000, 10000); err != nil {
		b.Fatal(err)
	}
	w, err := watcher.New(watcher.Options{Root: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	cfg := devserver.Config{WatchStats: w.Stats, Monitor: &monitor.Config{Interval: time.Hour}}
	bs := startBackendSite(b, dir, cfg, false)
	bs.readyAt(b, 1)
	b.ResetTimer()
	for b.Loop() {
		devserver.SampleOnly(bs.srv)
	}
	perSample := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(100*float64(perSample)/float64(monitor.DefaultInterval), "core-%")
}
