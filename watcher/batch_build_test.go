package watcher

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// paced writes n files gap apart into in, as a static site generator does
// while it renders, and returns the batches that out delivers until a
// second passes without one.
func paced(t *testing.T, n int, gap time.Duration) []Batch {
	in, out := startBatcher(t, DefaultDebounce, DefaultMaxDelay)
	var got []Batch
	take := func() {
		if b, ok := received(out); ok {
			got = append(got, b)
		}
	}
	for i := range n {
		if i > 0 {
			time.Sleep(gap)
		}
		take()
		in <- w(fmt.Sprintf("posts/p%03d.html", i))
	}
	for range 100 {
		time.Sleep(10 * time.Millisecond)
		take()
	}
	return got
}

func sizes(bs []Batch) []int {
	n := make([]int, len(bs))
	for i, b := range bs {
		n[i] = len(b.Events)
	}
	return n
}

func TestBatcherPacedBuild(t *testing.T) {
	// Each build is shorter than DefaultMaxDelay, which cuts a writer
	// that never stops (TestBatcherMaxDelay).
	for _, tc := range []struct {
		files int
		gap   time.Duration
		want  []int // files per batch
	}{
		// Pauses shorter than the quiet period: the first files make it
		// a build before it was ever quiet.
		{60, 5 * time.Millisecond, []int{60}},
		// Longer pauses: the first file looks like a save and goes at
		// once; the build resumes within buildQuiet and is one more.
		{60, 20 * time.Millisecond, []int{1, 59}},
		{30, 60 * time.Millisecond, []int{1, 29}},
		{20, 95 * time.Millisecond, []int{1, 19}},
	} {
		t.Run(tc.gap.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				got := paced(t, tc.files, tc.gap)
				if fmt.Sprint(sizes(got)) != fmt.Sprint(tc.want) {
					t.Fatalf("files per batch %v, want %v", sizes(got), tc.want)
				}
			})
		})
	}
}

func TestBatcherBuildEndsAfterBuildQuiet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startBatcher(t, DefaultDebounce, DefaultMaxDelay)
		for i := range buildFiles {
			in <- w(fmt.Sprintf("f%d", i))
		}
		time.Sleep(buildQuiet - time.Millisecond)
		if b, ok := received(out); ok {
			t.Fatalf("batch of %d before the build was quiet for %v", len(b.Events), buildQuiet)
		}
		time.Sleep(time.Millisecond)
		if b, ok := received(out); !ok || len(b.Events) != buildFiles {
			t.Fatalf("batch %q (ok=%v) %v after the build, want its %d files", b, ok, buildQuiet, buildFiles)
		}
	})
}

func TestBatcherSaveIsNotHeldForABuild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startBatcher(t, DefaultDebounce, DefaultMaxDelay)
		// An atomic save: the temp file, then the target.
		in <- c("index.html.tmp", 1)
		in <- m("index.html.tmp", 1)
		in <- ck("index.html", 1)
		time.Sleep(DefaultDebounce)
		if _, ok := received(out); !ok {
			t.Fatalf("no batch %v after a save", DefaultDebounce)
		}
		// A save well after the last cut is a save again, not a build.
		time.Sleep(buildQuiet)
		in <- w("index.html")
		time.Sleep(DefaultDebounce)
		if _, ok := received(out); !ok {
			t.Fatalf("no batch %v after a second save %v later", DefaultDebounce, buildQuiet)
		}
	})
}

func TestBatcherSavesOfOneFileAreNotABuild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startBatcher(t, DefaultDebounce, DefaultMaxDelay)
		// Saved again and again, 20ms apart: an autosave, a formatter
		// that rewrites the file after the editor, a benchmark.
		for i := range 10 {
			in <- w("index.html")
			time.Sleep(DefaultDebounce)
			if _, ok := received(out); !ok {
				t.Fatalf("save %d: no batch %v after it", i, DefaultDebounce)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

func TestBatcherLongDebounceCoversBuilds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startBatcher(t, 300*time.Millisecond, DefaultMaxDelay)
		for i := range 2 * buildFiles {
			in <- w(fmt.Sprintf("f%d", i))
			time.Sleep(250 * time.Millisecond)
		}
		b, ok := received(out)
		if !ok || strings.Count(b.String(), "\n")+1 != 2*buildFiles {
			t.Fatalf("batch %q (ok=%v), want all %d files in one: --debounce is never shortened", b, ok, 2*buildFiles)
		}
	})
}

// startSaving runs a batcher whose saved function answers with *done.
func startSaving(t *testing.T, done *atomic.Bool) (chan<- rawEvent, <-chan Batch) {
	in := make(chan rawEvent)
	out := make(chan Batch)
	stop := make(chan struct{})
	b := &batcher{debounce: DefaultDebounce, maxDelay: DefaultMaxDelay, delivered: new(atomic.Uint64),
		saved: func([]rawEvent) bool { return done.Load() }}
	go b.run(in, out, stop)
	t.Cleanup(func() { close(stop) })
	return in, out
}

func TestBatcherSendsAFinishedSaveAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var done atomic.Bool
		in, out := startSaving(t, &done)
		done.Store(true)
		in <- w("style.css")
		time.Sleep(fastQuiet)
		if _, ok := received(out); !ok {
			t.Fatalf("no batch %v after a finished save", fastQuiet)
		}
		// Still being written (or not one file's write): the quiet period.
		done.Store(false)
		time.Sleep(time.Second)
		in <- w("style.css")
		time.Sleep(DefaultDebounce - time.Millisecond)
		if b, ok := received(out); ok {
			t.Fatalf("batch %q before the quiet period, for a save not yet finished", b)
		}
		time.Sleep(time.Millisecond)
		if _, ok := received(out); !ok {
			t.Fatalf("no batch after the quiet period")
		}
		// A build is never a save.
		done.Store(true)
		time.Sleep(time.Second)
		for i := range buildFiles {
			in <- w(fmt.Sprintf("f%d", i))
		}
		time.Sleep(buildQuiet - time.Millisecond)
		if b, ok := received(out); ok {
			t.Fatalf("build of %d files cut before its quiet period", len(b.Events))
		}
	})
}

func TestBatcherSavesAfterABuildAreSaves(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startBatcher(t, DefaultDebounce, DefaultMaxDelay)
		in <- w("new/")
		time.Sleep(DefaultDebounce)
		if _, ok := received(out); !ok {
			t.Fatal("no batch for the first change")
		}
		// Another file right after: taken for the rest of a build.
		in <- w("saved.css")
		time.Sleep(buildQuiet)
		if _, ok := received(out); !ok {
			t.Fatal("no batch for the build")
		}
		// The same file saved again and again: saves, however soon.
		for i := range 5 {
			in <- w("saved.css")
			time.Sleep(DefaultDebounce)
			if _, ok := received(out); !ok {
				t.Fatalf("save %d after the build: no batch %v after it", i, DefaultDebounce)
			}
		}
	})
}
