package watcher

import (
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// startBatcher runs a batcher in the current synctest bubble and returns
// its input and output.
func startBatcher(t *testing.T, debounce, maxDelay time.Duration) (chan<- rawEvent, <-chan Batch) {
	in := make(chan rawEvent)
	out := make(chan Batch)
	done := make(chan struct{})
	b := &batcher{debounce: debounce, maxDelay: maxDelay, delivered: new(atomic.Uint64)}
	go b.run(in, out, done)
	t.Cleanup(func() { close(done) })
	return in, out
}

// received returns the batch waiting on out, if any, once every goroutine
// of the bubble is blocked.
func received(out <-chan Batch) (Batch, bool) {
	synctest.Wait()
	select {
	case b := <-out:
		return b, true
	default:
		return Batch{}, false
	}
}

func TestBatcherQuietPeriod(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startBatcher(t, 25*time.Millisecond, 2*time.Second)
		start := time.Now()
		in <- w("a")
		time.Sleep(20 * time.Millisecond)
		in <- w("b") // restarts the quiet period
		time.Sleep(24 * time.Millisecond)
		if b, ok := received(out); ok {
			t.Fatalf("batch before the quiet period ended: %s", b)
		}
		time.Sleep(time.Millisecond)
		b, ok := received(out)
		if !ok {
			t.Fatal("no batch after the quiet period")
		}
		if have, want := b.String(), "write a\nwrite b"; have != want {
			t.Errorf("\nhave:\n%s\nwant:\n%s", indent(have), indent(want))
		}
		if !b.Start.Equal(start) {
			t.Errorf("Start = %v, want the first event's time %v", b.Start, start)
		}
	})
}

func TestBatcherMaxDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startBatcher(t, 25*time.Millisecond, 300*time.Millisecond)
		var cuts []time.Duration
		start := time.Now()
		// An event every 10ms for 1s never leaves 25ms of quiet.
		for i := 0; i < 100; i++ {
			in <- w("log")
			if _, ok := received(out); ok {
				cuts = append(cuts, time.Since(start))
			}
			time.Sleep(10 * time.Millisecond)
		}
		// The cap holds: a batch every 300ms (as observed at the 10ms ticks).
		if len(cuts) != 3 {
			t.Fatalf("batches at %v, want 3, each 300ms after the last", cuts)
		}
		prev := time.Duration(0)
		for _, cut := range cuts {
			if gap := cut - prev; gap < 290*time.Millisecond || gap > 310*time.Millisecond {
				t.Errorf("batches at %v, want one every 300ms", cuts)
			}
			prev = cut
		}
	})
}

func TestBatcherDropsEmptyBatches(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startBatcher(t, 25*time.Millisecond, 2*time.Second)
		in <- c("tmp", 1)
		in <- r("tmp")
		time.Sleep(time.Second)
		if b, ok := received(out); ok {
			t.Fatalf("have batch %q, want none for create+remove", b)
		}
	})
}

func TestBatcherMergesWhileUnread(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startBatcher(t, 25*time.Millisecond, 2*time.Second)
		start := time.Now()
		in <- w("a")
		time.Sleep(100 * time.Millisecond) // first batch cut, nobody reads
		in <- w("b")
		time.Sleep(100 * time.Millisecond)
		b, ok := received(out)
		if !ok {
			t.Fatal("no batch")
		}
		if have, want := b.String(), "write a\nwrite b"; have != want {
			t.Errorf("\nhave:\n%s\nwant:\n%s", indent(have), indent(want))
		}
		if !b.Start.Equal(start) {
			t.Errorf("Start = %v, want %v", b.Start, start)
		}
		if b, ok := received(out); ok {
			t.Errorf("second batch %q, want the two merged", b)
		}
	})
}
