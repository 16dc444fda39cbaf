package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/hotserve/hotserve/devserver/monitor"
	"github.com/hotserve/hotserve/internal/testenv"
)

// A leaking backend draws the growth warning in the terminal, with the
// thresholds of hotserve.toml's [monitor], which applies untrusted.
func TestMonitorWarnsInTheTerminal(t *testing.T) {
	tempUserData(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "hotserve.toml"), []byte("[monitor]\nmemory-growth = \"40MB\"\nmemory-window = \"5s\"\n"), 0o644)
	addr := testenv.FreeAddr(t)
	p := start(t, "--port", "0", "--monitor-interval", "100ms", "--exec", testenv.Backend(t)+" -addr "+addr+" -grow 25000000", dir)
	p.url(t)
	p.waitOutput(t, "leaking?")
	line := p.stdout.String()[strings.LastIndex(p.stdout.String()[:strings.Index(p.stdout.String(), "leaking?")], "\n")+1:]
	line = line[:strings.IndexByte(line, '\n')]
	if !strings.Contains(line, "backend │ memory ") || !strings.Contains(line, " MB in ") {
		t.Errorf("the warning reads %q", line)
	}
}

// With --log json every sample is a metrics object.
func TestMetricsEvents(t *testing.T) {
	p := start(t, "--port", "0", "--log", "json", "--quiet", "--monitor-interval", "100ms", t.TempDir())
	p.waitOutput(t, `"msg":"metrics"`)
	for _, line := range strings.Split(p.stdout.String(), "\n") {
		if !strings.Contains(line, `"msg":"metrics"`) {
			continue
		}
		var ev struct {
			Source string
			Self   monitor.Proc
			Disks  []monitor.Disk
			Heap   uint64
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if ev.Source != "monitor" || ev.Self.RSS < 1e6 || len(ev.Disks) != 1 || ev.Disks[0].Total == 0 || len(ev.Disks[0].Folders) != 1 || ev.Heap == 0 {
			t.Errorf("a metrics event without figures: %s", line)
		}
		return
	}
}

// --monitor-interval 0 turns the monitor off: the status page has no
// charts.
func TestMonitorOff(t *testing.T) {
	p := start(t, "--port", "0", "--monitor-interval", "0", t.TempDir())
	url := p.url(t)
	m := regexp.MustCompile(`name="hotserve-token" content="([0-9a-f]+)"`).FindStringSubmatch(get(t, url+"__hotserve/"))
	if m == nil {
		t.Fatal("no token in the status page")
	}
	if frame := get(t, url+"__hotserve/status?t="+m[1]); !strings.Contains(frame, `"settings"`) || strings.Contains(frame, `"charts"`) {
		t.Errorf("with the monitor off the status JSON is %s", frame)
	}
}

func TestMonitorTable(t *testing.T) {
	cases := []struct {
		name string
		v    any
		want string // the thresholds printed, or the error
	}{
		{"all", map[string]any{"memory-growth": "1.5GB", "memory-window": "30m", "disk-free": "2GiB", "disk-free-percent": int64(10), "cpu-percent": 50.5, "cpu-for": "90s"},
			"memory-growth 1500000000 bytes in 30m0s · disk-free 2147483648 bytes or 10 % · cpu-percent 50.5 for 1m30s"},
		{"defaults", map[string]any{}, "memory-growth 500000000 bytes in 10m0s · disk-free 1000000000 bytes or 5 % · cpu-percent 80 for 2m0s"},
		{"bytes", map[string]any{"memory-growth": int64(1000)}, "memory-growth 1000 bytes in 10m0s · disk-free 1000000000 bytes or 5 % · cpu-percent 80 for 2m0s"},
		{"unknown key", map[string]any{"cpu": 3}, `"cpu" is not a setting of [monitor]; use memory-growth, memory-window, disk-free, disk-free-percent, cpu-percent, cpu-for`},
		{"bad size", map[string]any{"disk-free": "lots"}, `disk-free = "lots": want a size over zero, such as "500MB", "2GB" or a number of bytes`},
		{"bad duration", map[string]any{"cpu-for": int64(5)}, `cpu-for = 5: want a duration over zero, such as "90s" or "10m"`},
		{"bad percent", map[string]any{"disk-free-percent": int64(120)}, "disk-free-percent = 120: want a percentage over 0 and at most 100, such as 5 or 80"},
		{"more than one core", map[string]any{"cpu-percent": float64(100*runtime.NumCPU()) - 0.5}, fmt.Sprintf("memory-growth 500000000 bytes in 10m0s · disk-free 1000000000 bytes or 5 %% · cpu-percent %g for 2m0s", float64(100*runtime.NumCPU())-0.5)},
		{"more than every core", map[string]any{"cpu-percent": int64(100*runtime.NumCPU() + 1)}, fmt.Sprintf("cpu-percent = %d: want a percentage over 0 and at most %d, such as 5 or 80", 100*runtime.NumCPU()+1, 100*runtime.NumCPU())},
		{"not one table", []map[string]any{{}}, "[monitor] is one table; write it as [monitor] with keys memory-growth, memory-window, disk-free, disk-free-percent, cpu-percent, cpu-for"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var th monitor.Thresholds
			got := ""
			if err := decodeMonitor(c.v, &th); err != nil {
				got = err.Error()
			} else {
				got = monitorText(th)
			}
			if got != c.want {
				t.Errorf("have %s\nwant %s", got, c.want)
			}
		})
	}
}

// A sample costs about 0.4 ms: an interval under 100ms, from the command
// line or from a settings file that anyone may have written (the key is
// harmless), is refused in one line instead of burning a core.
func TestMonitorIntervalFloor(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, configName), []byte("monitor-interval = \"1us\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--monitor-interval", "1ms", t.TempDir()}, {dir}} {
		var stderr strings.Builder
		if _, err := parseFlags(args, &stderr); err == nil || !strings.Contains(stderr.String(), "--monitor-interval") || !strings.Contains(stderr.String(), "too short") {
			t.Errorf("%v: %v, %q; want a usage error naming --monitor-interval", args, err, stderr.String())
		}
	}
	if _, err := parseFlags([]string{"--monitor-interval", "100ms", t.TempDir()}, io.Discard); err != nil {
		t.Errorf("--monitor-interval 100ms: %v", err)
	}
}
