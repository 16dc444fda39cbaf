package watcher

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/treegen"
)

// The whole-process figures (start-up from exec, RSS, idle CPU) come from
// go run ./internal/cmd/watchbench; these benchmarks pin the parts.

// bigTree generates the 100,000-file, 10,000-folder tree once per
// benchmark (about 3 s).
func bigTree(b *testing.B) string {
	b.Helper()
	root := b.TempDir()
	if err := treegen.Generate(root, 100000, 10000); err != nil {
		b.Fatal(err)
	}
	return root
}

// BenchmarkEventToBatch times a write until its batch arrives and reports
// the part beyond the default quiet period.
func BenchmarkEventToBatch(b *testing.B) {
	w := newWatcher(b, Options{})
	file := filepath.Join(w.src.(*nativeSource).sc.root, "f")
	var over time.Duration
	for b.Loop() {
		start := time.Now()
		if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
			b.Fatal(err)
		}
		if _, ok := nextBatch(b, w, 5*time.Second); !ok {
			b.Fatal("no batch within 5s")
		}
		over += time.Since(start) - DefaultDebounce
	}
	b.ReportMetric(float64(over.Microseconds())/float64(b.N), "µs-over-debounce/op")
}

// BenchmarkStartup times New (walk + a watch per folder) on 100,000 files
// in 10,000 folders.
func BenchmarkStartup(b *testing.B) {
	root := bigTree(b)
	var s Stats
	for b.Loop() {
		w, err := New(Options{Root: root})
		if err != nil {
			b.Fatal(err)
		}
		s = w.Stats()
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	if s.Files != 100000 || s.Dirs != 10001 {
		b.Fatalf("Stats() = %+v, want 100000 files, 10001 folders", s)
	}
}

// BenchmarkBurst writes 2,000 (a build's output, a checkout) and 10,000
// files without pause and reports how long after the last write the
// (single) batch arrives.
func BenchmarkBurst(b *testing.B) {
	for _, n := range []int{2000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchBurst(b, n) })
	}
}

func benchBurst(b *testing.B, files int) {
	w := newWatcher(b, Options{})
	root := w.src.(*nativeSource).sc.root
	var after time.Duration
	for i := 0; b.Loop(); i++ {
		dir := filepath.Join(root, "burst"+strconv.Itoa(i))
		if err := os.Mkdir(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		if _, ok := nextBatch(b, w, 5*time.Second); !ok {
			b.Fatal("no batch for the folder")
		}
		var gap time.Duration // the writer's longest pause
		first := time.Now()
		prev := first
		for j := range files {
			if err := os.WriteFile(filepath.Join(dir, "f"+strconv.Itoa(j)+".js"), []byte("x"), 0o644); err != nil { // not "4913": vim probes are ignored
				b.Fatal(err)
			}
			now := time.Now()
			gap, prev = max(gap, now.Sub(prev)), now
		}
		last := prev
		batch, ok := nextBatch(b, w, 10*time.Second)
		if !ok {
			b.Fatal("no batch within 10s")
		}
		after += time.Since(last)
		if len(batch.Events) != files {
			// The promise holds for writes without a pause longer than the
			// quiet period, within MaxDelay; on a loaded machine the writer
			// itself stalls, or takes longer than MaxDelay.
			if took := last.Sub(first); gap < DefaultDebounce && took < DefaultMaxDelay {
				b.Fatalf("batch of %d events, want all %d in one (writes took %v, longest pause %v)", len(batch.Events), files, took, gap)
			}
			b.Logf("writes took %v, longest pause %v: split at %d events", last.Sub(first), gap, len(batch.Events))
			for n := len(batch.Events); n < files; {
				more, ok := nextBatch(b, w, 10*time.Second)
				if !ok {
					b.Fatalf("rest of the burst missing: %d of %d events; %+v", n, files, w.Stats())
				}
				n += len(more.Events)
			}
		}
	}
	b.ReportMetric(float64(after.Microseconds())/1000/float64(b.N), "ms-after-last-write")
}

// BenchmarkPollScan times one scan of the polling backend over the
// 100,000-file tree, with nothing changed.
func BenchmarkPollScan(b *testing.B) {
	root := bigTree(b)
	w := newWatcher(b, Options{Root: root, Poll: true, PollInterval: time.Hour})
	s := w.src.(*pollSource)
	w.Close()                       // stop its goroutine; the tree stays for scanning here
	s.sc.done = make(chan struct{}) // never closed: scan to the end
	for b.Loop() {
		if acc := s.scan(nil); len(acc) != 0 {
			b.Fatalf("scan of an unchanged tree found %d changes", len(acc))
		}
	}
}
