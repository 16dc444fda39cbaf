package watcher

import (
	"sync/atomic"
	"time"
)

// lockHoldMax bounds how long .git/index.lock can hold a batch past its
// first event: a checkout of a large tree takes seconds, but a stale lock
// left by a crashed git must not stop reloads for good.
const lockHoldMax = 10 * time.Second

// The quiet period that ends a burst follows the shape of the activity. A
// save touches one file, or two with an editor's temp file, and is over
// within a millisecond: debounce (10ms) of quiet ends it. A build writes
// many files with pauses of 10 to 100ms between them while it renders the
// next one (Hugo, tsc, a bundler's chunks, tar x), and every peer's 100 to
// 200ms debounce covers those pauses; so once a burst has touched
// buildFiles paths, or starts within buildQuiet of the last cut with
// another file (a build whose first file was cut on its own), it ends only
// after buildQuiet of quiet. A build is then at most two updates, the first of them one file,
// and the file that looked like a save is still sent at once.
const (
	buildQuiet = 100 * time.Millisecond
	buildFiles = 8
)

// A save that is over needs no quiet period at all: once the burst is one
// finished write of one file (see batcher.saved), it is cut fastQuiet
// after its last event, which leaves the few raw events of an editor's
// atomic save the time to arrive together.
const fastQuiet = time.Millisecond

// batcher turns a stream of raw events into batches: a batch is cut after
// a quiet period (debounce, or buildQuiet for a build), and no later than
// maxDelay after its first event. It does no I/O itself, so its timing is
// tested with testing/synctest; the settle function it is given looks at
// the disk.
type batcher struct {
	debounce  time.Duration
	maxDelay  time.Duration
	delivered *atomic.Uint64 // counts batches handed to out
	// settle, when set, is asked whenever a batch is due whether the
	// activity is really over (last is when the latest event arrived).
	// holdWrite asks again after debounce, but never past maxDelay (a
	// writer that never stops still yields batches); holdLock waits past
	// maxDelay, up to lockHoldMax.
	settle func(pending []rawEvent, last time.Time) hold
	// saved, when set, reports whether pending is one finished save that
	// may be cut before the quiet period is over.
	saved func(pending []rawEvent) bool
}

// newBatcher makes the batcher for opts, which asks st about the disk
// unless the source is busy (still working: not quiet yet), and counts
// the batches it delivers in delivered.
func newBatcher(opts Options, st *settler, busy func() bool, delivered *atomic.Uint64) *batcher {
	b := &batcher{debounce: opts.Debounce, maxDelay: opts.MaxDelay, delivered: delivered,
		settle: func(pending []rawEvent, last time.Time) hold {
			if busy() {
				return holdWrite
			}
			return st.check(pending, last)
		}}
	if opts.Debounce <= DefaultDebounce {
		// A quiet period set longer by hand is kept for every save.
		b.saved = func(pending []rawEvent) bool { return !busy() && st.saved(pending) }
	}
	return b
}

// run reads in until done is closed. The max-delay deadline is fixed once,
// at the first event of a batch; each event only moves the quiet-period
// timer, and never past that deadline.
//
// While a cut batch waits for a reader, later bursts are merged into it
// rather than queued, so a slow reader gets one up-to-date batch.
func (b *batcher) run(in <-chan rawEvent, out chan<- Batch, done <-chan struct{}) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()

	var (
		p       burst      // the burst being collected
		ready   []rawEvent // raw events of the cut, undelivered batch
		readyAt time.Time  // its Start
		batch   Batch      // coalesced ready
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
			if len(p.events) == 0 {
				p.begin(ev, now, b.maxDelay, b.buildQuiet())
			}
			p.add(ev, now)
			timer.Reset(max(0, min(b.firstCheck(&p), p.deadline.Sub(now))))
		case <-timer.C:
			now := time.Now()
			if early := b.quiet(&p) - now.Sub(p.last); early > 0 && now.Before(p.deadline) && (b.saved == nil || !b.saved(p.events)) {
				timer.Reset(min(early, p.deadline.Sub(now)))
				continue
			}
			if wait := b.wait(&p, now); wait > 0 {
				timer.Reset(wait)
				continue
			}
			p.locked = false
			p.cutNow(time.Now())
			if len(ready) == 0 {
				readyAt = p.start
			}
			ready = append(ready, p.events...)
			p.events = p.events[:0]
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

// burst is the raw events being collected, and their times.
type burst struct {
	events   []rawEvent
	start    time.Time // first event
	last     time.Time // latest event
	deadline time.Time // start + maxDelay, or start + lockHoldMax while locked
	locked   bool      // held by the git lock
	// build is set once the burst looks like a build (see buildQuiet);
	// paths holds the first buildFiles distinct paths it touched.
	build bool
	paths map[string]struct{}
	// cut is when the last burst was cut, and cutPaths the paths it
	// touched (up to buildFiles).
	cut      time.Time
	cutPaths map[string]struct{}
}

// begin starts a burst at its first event ev. It continues a build when
// it starts within window of the last cut with a path the last burst did
// not touch: the next file of a generator, not the same file saved again
// (an autosave, a formatter after the editor), which is a save.
func (p *burst) begin(ev rawEvent, now time.Time, maxDelay, window time.Duration) {
	_, again := p.cutPaths[ev.Path]
	p.start, p.deadline = now, now.Add(maxDelay)
	p.build = !p.cut.IsZero() && now.Sub(p.cut) < window && !again
	clear(p.paths)
}

// cutNow records that the burst was cut at now.
func (p *burst) cutNow(now time.Time) {
	p.cut = now
	p.paths, p.cutPaths = p.cutPaths, p.paths
}

// add records ev, seen at now. The first buildFiles paths are kept even
// in a build, for the next burst to tell a save of the same file.
func (p *burst) add(ev rawEvent, now time.Time) {
	p.events, p.last = append(p.events, ev), now
	if len(p.paths) >= buildFiles {
		return
	}
	if p.paths == nil {
		p.paths = make(map[string]struct{}, buildFiles)
	}
	p.paths[ev.Path] = struct{}{}
	p.build = p.build || len(p.paths) >= buildFiles
}

// buildQuiet is the quiet period that ends a build: buildQuiet, or the
// debounce when that was set longer.
func (b *batcher) buildQuiet() time.Duration { return max(buildQuiet, b.debounce) }

// firstCheck is how long after an event the batcher first looks at p: at
// fastQuiet whether it is a finished save, else at the end of its quiet
// period.
func (b *batcher) firstCheck(p *burst) time.Duration {
	if b.saved != nil && !p.build {
		return min(fastQuiet, b.debounce)
	}
	return b.quiet(p)
}

// quiet is the quiet period that ends p.
func (b *batcher) quiet(p *burst) time.Duration {
	if p.build {
		return b.buildQuiet()
	}
	return b.debounce
}

// wait asks settle, when the quiet period is over, whether the activity
// really is: it returns how long to wait before asking again, or 0 to cut
// the batch now. holdWrite waits up to the burst's deadline; holdLock
// first moves the deadline to lockHoldMax.
func (b *batcher) wait(p *burst, now time.Time) time.Duration {
	if b.settle == nil {
		return 0
	}
	switch b.settle(p.events, p.last) {
	case holdLock:
		if !p.locked {
			p.locked, p.deadline = true, p.start.Add(max(lockHoldMax, b.maxDelay))
		}
	case holdWrite:
	default:
		return 0
	}
	if now.Before(p.deadline) {
		// Asked again after the short quiet period, even in a build: a
		// hold waits for a writer to close or for events still on their
		// way, and the build's quiet period is over already.
		return min(b.debounce, p.deadline.Sub(now))
	}
	return 0
}
