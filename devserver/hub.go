package devserver

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Timing of the connection to each tab. A tab that cannot take a frame
// within writeWait, or answer a ping within pongWait, is gone.
const (
	writeWait   = 5 * time.Second
	sendBuffer  = 16       // frames queued per tab before it counts as stuck
	maxFrameIn  = 16 << 10 // acknowledgements are tiny; a console message with its stack is cut to fit
	closeWait   = time.Second
	pongPerPing = 2 // a tab that misses a ping gets one more chance
)

// hub keeps the open tabs and fans messages out to them. Broadcasting never
// blocks: each tab has its own queue and writer goroutine, and a tab whose
// queue is full is dropped rather than waited for, so one slow or dead
// browser cannot delay the others.
type hub struct {
	hubOptions
	upgrader websocket.Upgrader
	// full is set while maxTabs is reached, so that it is logged once
	// rather than per refusal.
	full bool

	mu      sync.Mutex
	tabs    map[*tab]struct{}
	closed  bool
	writers sync.WaitGroup
}

// hubOptions are what differs between the hubs of one server (the tabs,
// the LiveReload clients, the status page's viewers).
type hubOptions struct {
	log          *slog.Logger
	pingInterval time.Duration
	// maxTabs caps the open connections (0: no cap), so that a runaway
	// script cannot take every file descriptor.
	maxTabs int
	// receive, when set, is given every text frame a tab sends.
	receive func(t *tab, frame []byte)
	// console, when set, is offered every text frame first, and takes
	// the page's console messages (see console.go).
	console func(t *tab, frame []byte) bool
	// checkOrigin admits a handshake by its Origin; nil keeps the
	// default, which refuses an Origin that is not this Host, so no other
	// site can listen in.
	checkOrigin func(*http.Request) bool
}

// tab is one open page's connection.
type tab struct {
	conn *websocket.Conn
	send chan []byte
	once sync.Once
	done chan struct{} // closed when the tab is dropped
	// page is the URL path of the page the tab shows, as its WebSocket
	// URL says (?page=), so that an update goes only where it matters;
	// "" (every update) for one too long to be a path (see tabPage).
	page string
	// host is the Host the tab connected to, which tells this server's
	// URLs in its stack frames from other sites'.
	host string
}

func newHub(o hubOptions) *hub {
	return &hub{
		hubOptions: o,
		tabs:       make(map[*tab]struct{}),
		upgrader:   websocket.Upgrader{HandshakeTimeout: writeWait, CheckOrigin: o.checkOrigin},
	}
}

// queue offers frame to the tab's writer and reports whether it took it;
// a full queue means the tab stopped reading.
func (t *tab) queue(frame []byte) bool {
	select {
	case t.send <- frame:
		return true
	default:
		return false
	}
}

// stop tells the tab's writer to say goodbye, once.
func (t *tab) stop() { t.once.Do(func() { close(t.done) }) }

// frames is a greeting of several frames, sent in order.
type frames []any

// serveWS upgrades the request and greets the tab with what greet returns,
// a frame struct encoded as JSON, or nothing when greet is nil. greet runs
// as the tab joins, so no broadcast falls between the greeting and the
// tab's first message.
func (h *hub) serveWS(w http.ResponseWriter, r *http.Request, greet func() any) {
	if !h.room() {
		http.Error(w, "503 service unavailable: hotserve has as many tabs connected as it accepts; close some and this one reconnects", http.StatusServiceUnavailable)
		return
	}
	conn, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		// Upgrade has already answered with a 4xx.
		h.log.Debug("websocket handshake refused", "err", err, "origin", r.Header.Get("Origin"))
		return
	}
	t := &tab{conn: conn, send: make(chan []byte, sendBuffer), done: make(chan struct{}), page: tabPage(r), host: r.Host}

	h.mu.Lock()
	if h.closed || h.maxTabs > 0 && len(h.tabs) >= h.maxTabs {
		// Closed, or the last free place was taken since room said yes.
		h.mu.Unlock()
		conn.Close()
		return
	}
	if greet != nil {
		g := greet()
		fs, ok := g.(frames)
		if !ok {
			fs = frames{g}
		}
		for _, f := range fs {
			greeting, _ := json.Marshal(f)
			t.send <- greeting // the queue is new, and longer than a greeting
		}
	}
	h.tabs[t] = struct{}{}
	h.writers.Add(1)
	h.mu.Unlock()

	go h.write(t)
	h.read(t)
}

// broadcast queues v, a frame struct encoded as JSON, for every tab and
// returns how many it reached.
func (h *hub) broadcast(v any) int { return h.sendTo(v, nil) }

// sendTo queues v for every tab that to accepts (every tab when to is
// nil) and returns how many it reached.
func (h *hub) sendTo(v any, to func(*tab) bool) int {
	frame, err := json.Marshal(v)
	if err != nil {
		panic(err) // frames are plain structs of strings and numbers
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for t := range h.tabs {
		if to != nil && !to(t) {
			continue
		}
		if t.queue(frame) {
			n++
		} else {
			h.log.Warn("dropped a tab that stopped reading", "remote", t.conn.RemoteAddr().String())
			h.dropLocked(t)
		}
	}
	return n
}

// room reports whether another tab may connect, and says so in the log
// the first time one may not.
func (h *hub) room() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.maxTabs == 0 || len(h.tabs) < h.maxTabs {
		return true
	}
	if !h.full {
		h.full = true
		h.log.Warn("refusing new tabs until some close: as many are connected as the most hotserve accepts (MaxTabs)", "tabs", h.maxTabs)
	}
	return false
}

// count returns the number of open tabs.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.tabs)
}

// pages lists the page each open tab shows, sorted.
func (h *hub) pages() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	pages := make([]string, 0, len(h.tabs))
	for t := range h.tabs {
		pages = append(pages, t.page)
	}
	slices.Sort(pages)
	return pages
}

// close says goodbye to every tab and waits for their writers to finish.
func (h *hub) close() {
	h.mu.Lock()
	h.closed = true
	for t := range h.tabs {
		h.dropLocked(t)
	}
	h.mu.Unlock()
	h.writers.Wait()
}

func (h *hub) drop(t *tab) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.dropLocked(t)
}

func (h *hub) dropLocked(t *tab) {
	delete(h.tabs, t)
	if len(h.tabs) < h.maxTabs {
		h.full = false
	}
	t.stop()
}

// read hands the tab's text frames to receive (acknowledgements, a
// LiveReload hello), sees pongs and close frames, and drops the tab when it
// goes away.
func (h *hub) read(t *tab) {
	defer h.drop(t)
	t.conn.SetReadLimit(maxFrameIn)
	deadline := func() { t.conn.SetReadDeadline(time.Now().Add(pongPerPing * h.pingInterval)) }
	deadline()
	t.conn.SetPongHandler(func(string) error { deadline(); return nil })
	for {
		kind, frame, err := t.conn.ReadMessage()
		if err != nil {
			return
		}
		deadline()
		if kind == websocket.TextMessage && h.console != nil && h.console(t, frame) {
			continue
		}
		if kind == websocket.TextMessage && h.receive != nil {
			h.receive(t, frame)
		}
	}
}

// write is the only goroutine that writes to the tab's connection.
func (h *hub) write(t *tab) {
	defer h.writers.Done()
	ping := time.NewTicker(h.pingInterval)
	defer ping.Stop()
	defer t.conn.Close()
	for {
		select {
		case frame := <-t.send:
			t.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := t.conn.WriteMessage(websocket.TextMessage, frame); err != nil {
				h.drop(t)
				return
			}
		case <-ping.C:
			if err := t.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				h.drop(t)
				return
			}
		case <-t.done:
			bye := websocket.FormatCloseMessage(websocket.CloseGoingAway, "closed by hotserve")
			t.conn.WriteControl(websocket.CloseMessage, bye, time.Now().Add(closeWait))
			return
		}
	}
}
