package main

import (
	"log/slog"
	"time"

	"github.com/hotserve/hotserve/devserver/monitor"
)

// monitorConfig is the monitor o asks for, nil with --monitor-interval 0.
// Its warnings go to the server's log, as the watcher's do; with --log
// json every sample is also a "metrics" object, for tools, even with
// --quiet (a tool that asked for JSON wants the figures).
// minMonitorInterval bounds what a sample every interval can cost: under
// 1 % of a core (a sample takes about 0.4 ms on a 100,000-file tree), even
// when an untrusted settings file asks for more, since the key is
// harmless.
const minMonitorInterval = 100 * time.Millisecond

func (o options) monitorConfig(out *term) *monitor.Config {
	if o.monitor.Interval <= 0 {
		return nil
	}
	c := o.monitor
	if out.json {
		log := slog.New(slog.NewJSONHandler(lockedWriter{out}, nil)).With("source", "monitor")
		c.Sampled = func(s monitor.Sample) { log.Info("metrics", metricsAttrs(s)...) }
	}
	return &c
}

// metricsAttrs are a sample's figures as a metrics event's fields, named
// as the status JSON names them.
func metricsAttrs(s monitor.Sample) []any {
	return []any{
		"self", s.Self, "heap", s.Heap, "goroutines", s.Goroutines, "backends", s.Backends,
		"events", s.Events, "batches", s.Batches, "requests", s.Requests, "proxied", s.Proxied,
		"updates", s.Updates, "paintMedianMs", s.PaintMedian, "paintMaxMs", s.PaintMax,
		"watchesUsed", s.WatchesUsed, "watchesLimit", s.WatchesLimit, "disks", s.Disks,
	}
}
