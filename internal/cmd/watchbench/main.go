//go:build linux

// Command watchbench measures the watcher the way a user meets it: a fresh
// process watching a large tree. It generates the tree (internal/treegen)
// in a temporary folder, then runs itself again on it, so that start-up
// time and memory are those of a process that did nothing else, and prints:
//
//   - start-up: from process start (the kernel's start time) to New
//     returning, with every folder watched;
//   - memory: peak and current resident set (VmHWM, VmRSS), per file,
//     and the Go runtime's own account of it (live heap after a
//     collection, heap and stacks held from the OS); -memprofile writes a
//     heap profile taken right after start-up;
//   - idle CPU: user+system time used while nothing changes;
//   - latency: one file written → its batch, beyond the quiet period;
//   - burst: many files written without pause → batches, and the time from
//     the last write to the batch;
//   - with -poll, the cost of one scan of the tree.
//
// Usage:
//
//	go run ./internal/cmd/watchbench -files 100000 -dirs 10000
//	go run ./internal/cmd/watchbench -files 1000000 -dirs 100000 -saves 0 -burst 0
//	go run ./internal/cmd/watchbench -dir ~/src/big-project -poll
//
// It reads its figures from Linux (/proc, getrusage), where BENCHMARKS.md
// measures, and builds there only.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hotserve/hotserve/internal/treegen"
	"github.com/hotserve/hotserve/watcher"
)

func main() {
	files := flag.Int("files", 100000, "files to generate")
	dirs := flag.Int("dirs", 10000, "folders to generate")
	dir := flag.String("dir", "", "watch this existing folder instead of generating one")
	poll := flag.Bool("poll", false, "use the polling backend")
	idle := flag.Duration("idle", 2*time.Second, "how long to measure idle CPU")
	saves := flag.Int("saves", 30, "single-file saves to time")
	burst := flag.Int("burst", 10000, "files in the burst")
	debounce := flag.Duration("debounce", 0, "quiet period (0: the watcher's default)")
	memprofile := flag.String("memprofile", "", "write a heap profile taken after start-up to this file")
	child := flag.Bool("child", false, "internal: measure in this process")
	flag.Parse()

	if *child {
		if *memprofile != "" {
			runtime.MemProfileRate = 512 // every allocation of note, for the profile's detail
		}
		if err := measure(*dir, *poll, *idle, *saves, *burst, *debounce, *memprofile); err != nil {
			fmt.Fprintln(os.Stderr, "watchbench:", err)
			os.Exit(1)
		}
		return
	}
	root := *dir
	if root == "" {
		tmp, err := os.MkdirTemp("", "watchbench")
		if err != nil {
			fatal(err)
		}
		defer os.RemoveAll(tmp)
		root = filepath.Join(tmp, "tree")
		if err := os.Mkdir(root, 0o755); err != nil {
			fatal(err)
		}
		start := time.Now()
		if err := treegen.Generate(root, *files, *dirs); err != nil {
			fatal(err)
		}
		fmt.Printf("generated %d files in %d folders in %v\n", *files, *dirs, time.Since(start).Round(time.Millisecond))
		// Let the page cache settle, as on a machine where the tree has been there a while.
		syscall.Sync()
	}
	args := []string{"-child", "-dir", root, "-idle", idle.String(), "-saves", strconv.Itoa(*saves),
		"-burst", strconv.Itoa(*burst), "-debounce", debounce.String(), "-memprofile", *memprofile}
	if *poll {
		args = append(args, "-poll")
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "watchbench:", err)
	os.Exit(1)
}

func measure(root string, poll bool, idle time.Duration, saves, burst int, debounce time.Duration, memprofile string) error {
	w, err := watcher.New(watcher.Options{Root: root, Poll: poll, Debounce: debounce})
	if err != nil {
		return err
	}
	ready := time.Now()
	defer w.Close()
	go func() {
		for err := range w.Errors() {
			fmt.Fprintln(os.Stderr, "  watcher:", err)
		}
	}()
	started, err := processStart()
	if err != nil {
		return err
	}
	s := w.Stats()
	fmt.Printf("mode %s (%s): %d folders, %d files; inotify watches %d used by us, %d by this user, limit %d\n",
		s.Mode, s.ModeReason, s.Dirs, s.Files, s.WatchesUsed, s.UserWatches, s.WatchesLimit)
	fmt.Printf("start-up: %v from process start to every folder watched\n", ready.Sub(started).Round(time.Millisecond))
	hwm, rss := memory()
	fmt.Printf("memory after start-up: VmHWM %s, VmRSS %s\n", hwm, rss)
	if err := heapReport(s.Files+s.Dirs, memprofile); err != nil {
		return err
	}

	before := cpuTime()
	time.Sleep(idle)
	used := cpuTime() - before
	fmt.Printf("idle: %v of CPU in %v (%.2f%%)\n", used, idle, 100*float64(used)/float64(idle))
	if poll {
		s := w.Stats()
		fmt.Printf("poll: last scan took %v, interval %v\n", s.PollScan, s.PollInterval)
	}

	quiet := debounce
	if quiet == 0 {
		quiet = watcher.DefaultDebounce
	}
	dir := filepath.Join(root, "watchbench")
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if _, err := next(w, 10*time.Second); err != nil {
		return err
	}
	var over []time.Duration
	file := filepath.Join(dir, "saved.css")
	for i := range saves {
		start := time.Now()
		if err := os.WriteFile(file, []byte(fmt.Sprintf("body { order: %d }\n", i)), 0o644); err != nil {
			return err
		}
		if _, err := next(w, 10*time.Second); err != nil {
			return err
		}
		over = append(over, time.Since(start)-quiet)
	}
	if saves > 0 {
		slices.Sort(over)
		fmt.Printf("save → batch beyond the %v quiet period: p50 %v, p90 %v, max %v (%d saves)\n", quiet,
			over[len(over)/2].Round(10*time.Microsecond), over[len(over)*9/10].Round(10*time.Microsecond),
			over[len(over)-1].Round(10*time.Microsecond), saves)
	}

	if burst > 0 {
		bdir := filepath.Join(dir, "burst")
		if err := os.Mkdir(bdir, 0o755); err != nil {
			return err
		}
		if _, err := next(w, 10*time.Second); err != nil {
			return err
		}
		first := time.Now()
		for i := range burst {
			if err := os.WriteFile(filepath.Join(bdir, "b"+strconv.Itoa(i)+".js"), []byte("x\n"), 0o644); err != nil {
				return err
			}
		}
		last := time.Now()
		var events, batches int
		var delivered time.Time
		for events < burst {
			b, err := next(w, 10*time.Second)
			if err != nil {
				return fmt.Errorf("burst: %d of %d files seen: %w", events, burst, err)
			}
			delivered = time.Now()
			events += len(b.Events)
			batches++
		}
		fmt.Printf("burst: %d files written in %v → %d batch(es), the last delivered %v after the last write\n",
			burst, last.Sub(first).Round(time.Millisecond), batches, delivered.Sub(last).Round(100*time.Microsecond))
	}
	hwm, rss = memory()
	fmt.Printf("memory at the end: VmHWM %s, VmRSS %s\n", hwm, rss)
	return nil
}

func next(w *watcher.Watcher, d time.Duration) (watcher.Batch, error) {
	select {
	case b := <-w.Batches():
		return b, nil
	case <-time.After(d):
		return watcher.Batch{}, fmt.Errorf("no batch within %v", d)
	}
}

// processStart is when the kernel started this process: field 22 of
// /proc/self/stat, in clock ticks since boot, against /proc/uptime.
func processStart() (time.Time, error) {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return time.Time{}, err
	}
	now := time.Now()
	up, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return time.Time{}, err
	}
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+2:]))
	ticks, err := strconv.ParseInt(fields[19], 10, 64) // field 22 overall
	if err != nil {
		return time.Time{}, err
	}
	uptime, err := strconv.ParseFloat(strings.Fields(string(up))[0], 64)
	if err != nil {
		return time.Time{}, err
	}
	const hz = 100 // USER_HZ on Linux
	age := time.Duration((uptime - float64(ticks)/hz) * float64(time.Second))
	return now.Add(-age), nil
}

func memory() (hwm, rss string) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "?", "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			hwm = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			rss = strings.TrimSpace(v)
		}
	}
	return hwm, rss
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
