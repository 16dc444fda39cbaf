package watcher

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestOverflowRescans overflows the kernel's queue for real (S20): the
// source stops reading while more files are written than
// fs.inotify.max_queued_events plus fsnotify's buffer can hold. Every file
// must still be reported, exactly once, with one warning.
func TestOverflowRescans(t *testing.T) {
	lim := readLimits()
	files := (lim.queue+notifierBuffer)/2 + 5000 // two events (create, write) a file
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "old"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	// MaxDelay is long: under -race the rescan takes seconds, and a batch
	// cut at MaxDelay in the middle of it would split a file's create from
	// the write that follows it in the kernel's queue.
	w, err := start(Options{Root: root, Debounce: 100 * time.Millisecond, MaxDelay: 20 * time.Second}, hooks{beforeRun: release})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		errs []string
	)
	logged := make(chan struct{})
	go func() {
		defer close(logged)
		for err := range w.Errors() {
			mu.Lock()
			errs = append(errs, err.Error())
			mu.Unlock()
		}
	}()
	defer func() {
		w.Close()
		<-logged
	}()

	for i := range files {
		if err := os.WriteFile(filepath.Join(root, fmt.Sprintf("f%05d", i)), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(root, "old")); err != nil {
		t.Fatal(err)
	}
	close(release)

	seen := make(map[string]int)
	where := make(map[string][]int)
	nb := 0
	deadline := time.Now().Add(30 * time.Second)
	for len(seen) < files+1 {
		b, ok := nextBatch(t, w, time.Until(deadline))
		if !ok {
			t.Fatalf("%d of %d changes reported within 30s", len(seen), files+1)
		}
		nb++
		for _, e := range b.Events {
			seen[e.String()]++
			where[e.String()] = append(where[e.String()], nb)
		}
	}
	if b, ok := nextBatch(t, w, 300*time.Millisecond); ok {
		t.Errorf("more batches after every change was seen: %d events, first %q", len(b.Events), b.Events[0])
	}
	for e, n := range seen {
		if n != 1 || !strings.HasPrefix(e, "create f") && e != "remove old" {
			p := strings.TrimPrefix(e, "write ")
			t.Errorf("%q reported %d times, in batches %v; create in %v; %d batches", e, n, where[e], where["create "+p], nb)
		}
	}
	if s := w.Stats(); s.Rescans != 1 || s.Files != files {
		t.Errorf("Stats() = %+v, want 1 rescan and %d files", s, files)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(errs) != 1 || !strings.Contains(errs[0], "queue overflowed") || !strings.Contains(errs[0], "fs.inotify.max_queued_events") {
		t.Errorf("errors %q, want one overflow warning naming the sysctl", errs)
	}
}
