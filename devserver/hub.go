package devserver

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Timing of the connection to each tab. A tab that cannot take a frame
// within writeWait, or answer a ping within pongWait, is gone.
const (
	writeWait   = 5 * time.Second
	sendBuffer  = 16   // frames queued per tab before it counts as stuck
	maxFrameIn  = 4096 // the client only ever sends tiny frames
	closeWait   = time.Second
	pongPerPing = 2 // a tab that misses a ping gets one more chance
)

// hub keeps the open tabs and fans messages out to them. Broadcasting never
// blocks: each tab has its own queue and writer goroutine, and a tab whose
// queue is full is dropped rather than waited for, so one slow or dead
// browser cannot delay the others.
type hub struct {
	log          *slog.Logger
	pingInterval time.Duration
	upgrader     websocket.Upgrader

	mu      sync.Mutex
	tabs    map[*tab]struct{}
	closed  bool
	writers sync.WaitGroup
}

// tab is one open page's connection.
type tab struct {
	conn *websocket.Conn
	send chan []byte
	once sync.Once
	done chan struct{} // closed when the tab is dropped
}

func newHub(log *slog.Logger, pingInterval time.Duration) *hub {
	return &hub{
		log:          log,
		pingInterval: pingInterval,
		tabs:         make(map[*tab]struct{}),
		upgrader: websocket.Upgrader{
			// The default CheckOrigin refuses a handshake whose Origin is
			// not this Host, so no other site can listen in.
			HandshakeTimeout: writeWait,
		},
	}
}

// serveWS upgrades the request and greets the tab with first, a frame
// struct encoded as JSON.
func (h *hub) serveWS(w http.ResponseWriter, r *http.Request, first any) {
	conn, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		// Upgrade has already answered with a 4xx.
		h.log.Debug("websocket handshake refused", "err", err, "origin", r.Header.Get("Origin"))
		return
	}
	t := &tab{conn: conn, send: make(chan []byte, sendBuffer), done: make(chan struct{})}
	greeting, _ := json.Marshal(first)
	t.send <- greeting

	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		conn.Close()
		return
	}
	h.tabs[t] = struct{}{}
	h.writers.Add(1)
	h.mu.Unlock()

	go h.write(t)
	h.read(t)
}

// broadcast queues v, a frame struct encoded as JSON, for every tab and
// returns how many it reached.
func (h *hub) broadcast(v any) int {
	frame, err := json.Marshal(v)
	if err != nil {
		panic(err) // frames are plain structs of strings and numbers
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for t := range h.tabs {
		select {
		case t.send <- frame:
			n++
		default:
			h.log.Warn("dropped a tab that stopped reading", "remote", t.conn.RemoteAddr().String())
			h.dropLocked(t)
		}
	}
	return n
}

// count returns the number of open tabs.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.tabs)
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
	t.once.Do(func() { close(t.done) })
}

// read consumes what the tab sends (nothing yet but control frames) so that
// pongs and close frames are seen, and drops the tab when it goes away.
func (h *hub) read(t *tab) {
	defer h.drop(t)
	t.conn.SetReadLimit(maxFrameIn)
	deadline := func() { t.conn.SetReadDeadline(time.Now().Add(pongPerPing * h.pingInterval)) }
	deadline()
	t.conn.SetPongHandler(func(string) error { deadline(); return nil })
	for {
		if _, _, err := t.conn.NextReader(); err != nil {
			return
		}
		deadline()
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
