//go:build linux

package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
)

// heapReport says where the start-up memory is, as the Go runtime sees it
// after a collection: the live heap (what the watcher keeps), the heap
// and stacks the runtime holds from the OS, and the peak resident set per
// path watched, the figure that should stay flat from 10k to 1M files. It
// writes a heap profile to memprofile when that is set.
func heapReport(paths int, memprofile string) error {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	hwm := statusKB("VmHWM")
	per := func(b uint64) string { return strconv.FormatFloat(float64(b)/float64(max(paths, 1)), 'f', 1, 64) }
	fmt.Printf("heap after start-up: live %s (%s B a path), in use %s, held %s, stacks %s, runtime total %s; VmHWM %s B a path\n",
		mb(m.HeapAlloc), per(m.HeapAlloc), mb(m.HeapInuse), mb(m.HeapSys-m.HeapReleased), mb(m.StackSys), mb(m.Sys), per(hwm<<10))
	if memprofile == "" {
		return nil
	}
	f, err := os.Create(memprofile)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func mb(b uint64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) + " MB" }

// statusKB reads one "Name: N kB" line of /proc/self/status; 0 if absent.
func statusKB(name string) uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			n, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}
