package devserver

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Opening an editor starts a program on this machine, so beyond the
// checks of serveOpen it is kept to the person at this machine and to the
// pace of clicks: only a request from a loopback address may ask (under
// --host a phone or another computer on the LAN is served pages, and so
// their token, but has no reason to open an editor here), one launch at a
// time, and openBurst at once then openRate a second. A flood is refused
// with 429 and said once in the terminal, not once per request.
const (
	openBurst = 8
	openRate  = 2 // launches a second, once the burst is spent
)

// openLimit is the pace of editor launches; its zero value is ready.
type openLimit struct {
	mu       sync.Mutex
	starting bool            // a launch is under way
	tokens   float64         // launches left now
	filled   time.Time       // when tokens was last topped up; zero: never
	said     map[string]bool // the refusals said in this flood
	refused  time.Time       // the flood's last refusal
}

// floodEnd is how long without a refusal ends a flood, so that the next
// refusal is said again.
const floodEnd = 10 * time.Second

// loopbackRemote reports whether r came from this machine.
func loopbackRemote(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return loopbackName(host)
}

// start takes a launch, or says why there is none now: "" when the
// launch may go ahead, and then done must be called once it has started.
func (l *openLimit) start(now time.Time) (why string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.filled.IsZero() {
		l.tokens = openBurst
	} else {
		l.tokens = min(openBurst, l.tokens+now.Sub(l.filled).Seconds()*openRate)
	}
	l.filled = now
	switch {
	case l.starting:
		return "another editor is being started; click again in a moment"
	case l.tokens < 1:
		return "more than a few in a second were asked for; click again in a moment"
	}
	l.tokens--
	l.starting = true
	return ""
}

// done ends the launch start allowed.
func (l *openLimit) done() {
	l.mu.Lock()
	l.starting = false
	l.mu.Unlock()
}

// firstTime reports whether why has not been said in this flood of
// refusals, so that a flood is one line in the terminal for each reason.
func (l *openLimit) firstTime(why string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.said == nil || now.Sub(l.refused) > floodEnd {
		l.said = make(map[string]bool)
	}
	l.refused = now
	if l.said[why] {
		return false
	}
	l.said[why] = true
	return true
}
