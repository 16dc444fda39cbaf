package devserver

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/hotserve/hotserve/internal/words"
)

// ackWait is how long an update waits for its tabs' acknowledgements
// before its terminal line is printed with what has arrived. A reload on a
// busy machine takes a second or two.
const ackWait = 3 * time.Second

// acks collects the browsers' acknowledgements (applied) of each update and
// prints one line for it, once every tab it reached has answered or
// ackWait has passed:
//
//	style.css → css-update · 3 tabs · 38 ms save-to-paint
//
// Save-to-paint is the time from the first event of the batch to the
// moment the slowest tab painted the result: the server's part by its
// clock, the page's part by the page's (from the message's arrival to the
// paint), so the two machines' clocks never need to agree.
type acks struct {
	log  *slog.Logger
	wait time.Duration
	// painted is told each update's save-to-paint, in ms, once a tab
	// has applied it (the monitor's latency chart). Default: nothing.
	painted func(ms float64)

	mu      sync.Mutex
	pending map[int64]*pendingUpdate
	closed  bool
}

// pendingUpdate is an update whose line is not printed yet.
type pendingUpdate struct {
	what, typ   string
	tabs        int       // hotserve tabs it was sent to
	liveReload  int       // LiveReload clients it was sent to (they never acknowledge)
	start, sent time.Time // the batch's first event; when it was sent
	applied     int
	slowest     float64 // ms, in the page
	timer       *time.Timer
	// applied counts the tabs that applied a live-reload in place by what
	// they did ("morphed", "hot-update (src/app.js)"), and fallbacks why
	// the others it offered that to reloaded instead (see outcome).
	inPlace   map[string]int
	fallbacks map[string]int
}

func newAcks(log *slog.Logger) *acks {
	return &acks{log: log, wait: ackWait, pending: make(map[int64]*pendingUpdate)}
}

// begin starts collecting the acknowledgements of update epoch, which is
// about to be sent; an early one is counted, not lost.
func (a *acks) begin(epoch int64, p *pendingUpdate) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.closed {
		p.tabs = -1 // not known yet: nothing is complete
		a.pending[epoch] = p
	}
}

// reached records how many tabs and LiveReload clients update epoch
// reached, and prints its line when nothing is left to wait for, or once
// a.wait has passed.
func (a *acks) reached(epoch int64, tabs, liveReload int) {
	a.mu.Lock()
	p, ok := a.pending[epoch]
	if ok {
		p.tabs, p.liveReload = tabs, liveReload
		p.timer = time.AfterFunc(a.wait, func() { a.flush(epoch) })
		ok = p.applied >= p.tabs
	}
	a.mu.Unlock()
	if ok {
		a.flush(epoch)
	}
}

// received takes a frame from a tab: an acknowledgement is counted, and
// nothing else is expected.
func (a *acks) received(_ *tab, frame []byte) {
	var k ack
	if json.Unmarshal(frame, &k) == nil && k.Type == msgApplied {
		a.applied(k)
	}
}

// applied counts one tab's acknowledgement.
func (a *acks) applied(k ack) {
	a.mu.Lock()
	p, ok := a.pending[k.Epoch]
	if ok {
		p.applied++
		if !math.IsNaN(k.MS) && k.MS > p.slowest {
			p.slowest = k.MS
		}
		p.count(k)
		ok = p.tabs >= 0 && p.applied >= p.tabs
	}
	a.mu.Unlock()
	if ok {
		a.flush(k.Epoch)
	}
}

// flush prints the line of update epoch, once.
func (a *acks) flush(epoch int64) {
	a.mu.Lock()
	p, ok := a.pending[epoch]
	delete(a.pending, epoch)
	a.mu.Unlock()
	if ok {
		p.timer.Stop()
		a.log.Info(p.line()) // one sentence, not attributes: README shows it so
		if p.applied > 0 && a.painted != nil {
			a.painted(p.saveToPaintMS())
		}
	}
}

// close drops what is pending: a server that stops has nothing more to say.
func (a *acks) close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	for e, p := range a.pending {
		if p.timer != nil {
			p.timer.Stop()
		}
		delete(a.pending, e)
	}
}

// line is the update's terminal line.
func (p *pendingUpdate) line() string {
	s := p.what + " → " + p.outcome()
	switch {
	case p.tabs == 0 && p.liveReload == 0:
		return s + " · no open tab shows it"
	case p.tabs == 0:
	case p.applied == 0:
		s += fmt.Sprintf(" · %s · none applied within %v", count(p.tabs, "tab"), ackWait)
	case p.applied < p.tabs:
		s += fmt.Sprintf(" · %d of %s applied · %s", p.applied, count(p.tabs, "tab"), p.saveToPaint())
	default:
		s += fmt.Sprintf(" · %s · %s", count(p.tabs, "tab"), p.saveToPaint())
	}
	if p.liveReload > 0 {
		s += " · " + count(p.liveReload, "LiveReload client")
	}
	return s
}

func (p *pendingUpdate) saveToPaint() string {
	return fmt.Sprintf("%.0f ms save-to-paint", p.saveToPaintMS())
}

func (p *pendingUpdate) saveToPaintMS() float64 {
	return float64(p.sent.Sub(p.start).Microseconds())/1000 + p.slowest
}

// count counts things in English: "1 tab", "3 tabs".
func count(n int, thing string) string {
	return fmt.Sprintf("%d %s", n, words.Plural(n, thing, thing+"s"))
}
