package watcher

import (
	"sync/atomic"
	"time"
)

// batcher turns a stream of raw events into batches: a batch is cut after
// debounce of quiet, and no later than maxDelay after its first event. It
// does no I/O, so its timing is tested with testing/synctest.
type batcher struct {
	debounce  time.Duration
	maxDelay  time.Duration
	delivered *atomic.Uint64 // counts batches handed to out
}

// run reads in until done is closed. The max-delay
// deadline is fixed once, at the first event of a batch; each event only
// moves the quiet-period timer, and never past that deadline.
//
// While a cut batch waits for a reader, later bursts are merged into it
// rather than queued, so a slow reader gets one up-to-date batch.
func (b *batcher) run(in <-chan rawEvent, out chan<- Batch, done <-chan struct{}) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()

	var (
		pending  []rawEvent // raw events of the burst being collected
		start    time.Time  // first event of pending
		deadline time.Time  // start + maxDelay
		ready    []rawEvent // raw events of the cut, undelivered batch
		readyAt  time.Time  // its Start
		batch    Batch      // coalesced ready
	)
	for {
		var send chan<- Batch
		if len(batch.Events) > 0 {
			send = out
		}
		select {
		case <-done:
			return
		case ev := <-in:
			now := time.Now()
			if len(pending) == 0 {
				start, deadline = now, now.Add(b.maxDelay)
			}
			pending = append(pending, ev)
			timer.Reset(min(b.debounce, deadline.Sub(now)))
		case <-timer.C:
			if len(ready) == 0 {
				readyAt = start
			}
			ready = append(ready, pending...)
			pending = pending[:0]
			batch = Batch{Events: coalesce(ready), Start: readyAt}
			if len(batch.Events) == 0 {
				ready = ready[:0]
			}
		case send <- batch:
			b.delivered.Add(1)
			batch, ready = Batch{}, ready[:0]
		}
	}
}
