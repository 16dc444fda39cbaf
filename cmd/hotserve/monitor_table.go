package main

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/hotserve/hotserve/devserver/monitor"
)

// monitorTable is [monitor] of hotserve.toml: the thresholds of the
// monitor's warnings. They only decide when hotserve speaks up, so the
// table is harmless.
func monitorTable(th *monitor.Thresholds) tableDef {
	return tableDef{
		name:  "monitor",
		usage: "when the monitor warns (see --monitor-interval): a backend's memory growth, the folder's disk space, hotserve's own CPU",
		example: `[monitor]
memory-growth = "500MB"    # a backend growing this much…
memory-window = "10m"      # …within this time looks like a leak
disk-free = "1GB"          # warn under this much free space…
disk-free-percent = 5      # …or under this share of the disk
cpu-percent = 80           # warn when hotserve uses this much of a core…
cpu-for = "2m"             # …for this long`,
		decode: func(v any) error { return decodeMonitor(v, th) },
		value:  func() string { return monitorText(*th) },
	}
}

// monitorKeys are [monitor]'s keys, in the order of the example.
var monitorKeys = []string{"memory-growth", "memory-window", "disk-free", "disk-free-percent", "cpu-percent", "cpu-for"}

func decodeMonitor(v any, th *monitor.Thresholds) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("[monitor] is one table; write it as [monitor] with keys %s", strings.Join(monitorKeys, ", "))
	}
	var t monitor.Thresholds
	for key, val := range m {
		var err error
		switch key {
		case "memory-growth":
			t.Growth, err = sizeValue(val)
		case "memory-window":
			t.GrowthWindow, err = durationValue(val)
		case "disk-free":
			t.DiskBytes, err = sizeValue(val)
		case "disk-free-percent":
			t.DiskPercent, err = percentValue(val, 100)
		case "cpu-percent":
			t.CPUPercent, err = percentValue(val, 100*runtime.NumCPU())
		case "cpu-for":
			t.CPUFor, err = durationValue(val)
		default:
			return fmt.Errorf("%q is not a setting of [monitor]; use %s", key, strings.Join(monitorKeys, ", "))
		}
		if err != nil {
			return fmt.Errorf("%s = %v: %v", key, tomlText(val), err)
		}
	}
	*th = t
	return nil
}

// sizeValue reads a size: a number of bytes, or a string such as "500MB",
// "1.5GB" (powers of 1000, as the warnings print them; KiB, MiB, GiB are
// powers of 1024).
func sizeValue(v any) (uint64, error) {
	switch n := v.(type) {
	case int64:
		if n > 0 {
			return uint64(n), nil
		}
	case string:
		s := strings.TrimSpace(n)
		i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if i < 0 {
			i = len(s)
		}
		mult, ok := sizeUnits[strings.ToUpper(strings.TrimSpace(s[i:]))]
		f, err := strconv.ParseFloat(s[:i], 64)
		if ok && err == nil && f > 0 && f*float64(mult) < 1<<63 {
			return uint64(f * float64(mult)), nil
		}
	}
	return 0, fmt.Errorf(`want a size over zero, such as "500MB", "2GB" or a number of bytes`)
}

var sizeUnits = map[string]uint64{"": 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30, "TIB": 1 << 40}

func durationValue(v any) (time.Duration, error) {
	if s, ok := v.(string); ok {
		if d, err := time.ParseDuration(s); err == nil && d > 0 {
			return d, nil
		}
	}
	return 0, fmt.Errorf(`want a duration over zero, such as "90s" or "10m"`)
}

// percentValue reads a percentage up to top: 100 for a share of a disk,
// 100 a core for a share of this machine's cores, which hotserve's CPU
// figure is counted in.
func percentValue(v any, top int) (float64, error) {
	var f float64
	switch n := v.(type) {
	case int64:
		f = float64(n)
	case float64:
		f = n
	}
	if f <= 0 || f > float64(top) {
		return 0, fmt.Errorf("want a percentage over 0 and at most %d, such as 5 or 80", top)
	}
	return f, nil
}

// monitorText is the thresholds in effect, defaults filled in, for the
// status page.
func monitorText(th monitor.Thresholds) string {
	t := th.WithDefaults()
	parts := []string{
		fmt.Sprintf("memory-growth %d bytes in %v", t.Growth, t.GrowthWindow),
		fmt.Sprintf("disk-free %d bytes or %g %%", t.DiskBytes, t.DiskPercent),
		fmt.Sprintf("cpu-percent %g for %v", t.CPUPercent, t.CPUFor),
	}
	return strings.Join(parts, " · ")
}
