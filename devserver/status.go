package devserver

import (
	_ "embed"
	"net/http"
	"sync"
	"time"

	"github.com/hotserve/hotserve/watcher"
)

// The status page at /__hotserve/ shows what hotserve is doing: what it
// watches, the open tabs, recent updates with their latencies and the
// effective settings. It is one self-contained HTML file that follows a
// second hub of its own, so its viewers are never counted as tabs and
// never receive reloads.

//go:embed status.html
var statusPage []byte

const (
	keptUpdates    = 50              // updates the timeline remembers
	statusInterval = 2 * time.Second // how often figures are refreshed
)

// Setting is one line of the effective configuration on the status page.
type Setting struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// updateRecord is one row of the timeline.
type updateRecord struct {
	At        time.Time `json:"at"`
	What      string    `json:"what"`
	Sent      string    `json:"sent"`
	Tabs      int       `json:"tabs"`
	LatencyMS float64   `json:"latencyMs"`
}

// statusFrame is the one frame type sent to status viewers.
type statusFrame struct {
	Type     string         `json:"type"` // always "status"
	Server   string         `json:"server"`
	Version  string         `json:"version"`
	Root     string         `json:"root"`
	Started  time.Time      `json:"started"`
	Watch    *watcher.Stats `json:"watch,omitempty"`
	Tabs     int            `json:"tabs"`
	Pages    []string       `json:"pages"` // the page each tab shows
	Backend  *BackendState  `json:"backend,omitempty"`
	Updates  []updateRecord `json:"updates"`
	Settings []Setting      `json:"settings"`
}

// status keeps the timeline and feeds the viewers.
type status struct {
	viewers *hub
	started time.Time
	stop    chan struct{}
	done    sync.WaitGroup

	mu      sync.Mutex
	updates []updateRecord // newest last
}

func newStatus(h *hub) *status {
	return &status{viewers: h, started: time.Now(), stop: make(chan struct{})}
}

// record adds an update to the timeline.
func (st *status) record(u updateRecord) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.updates = append(st.updates, u)
	if len(st.updates) > keptUpdates {
		st.updates = st.updates[len(st.updates)-keptUpdates:]
	}
}

// frame is what a viewer sees now.
func (s *Server) statusFrame() statusFrame {
	st := s.status
	st.mu.Lock()
	updates := make([]updateRecord, len(st.updates))
	copy(updates, st.updates)
	st.mu.Unlock()
	f := statusFrame{
		Type:     "status",
		Server:   s.id,
		Version:  s.cfg.Version,
		Root:     s.cfg.Root,
		Started:  st.started,
		Tabs:     s.hub.count(),
		Pages:    s.hub.pages(),
		Backend:  s.sv.backendState(),
		Updates:  updates,
		Settings: s.settings(),
	}
	if s.cfg.WatchStats != nil {
		ws := s.cfg.WatchStats()
		f.Watch = &ws
	}
	return f
}

func (s *Server) settings() []Setting {
	s.settingsMu.Lock()
	defer s.settingsMu.Unlock()
	return s.cfg.Settings
}

// pushStatus sends the current figures to every viewer.
func (s *Server) pushStatus() {
	if s.status.viewers.count() > 0 {
		s.status.viewers.broadcast(s.statusFrame())
	}
}

// refreshStatus pushes fresh figures to the viewers every statusInterval,
// until Close.
func (s *Server) refreshStatus() {
	defer s.status.done.Done()
	tick := time.NewTicker(statusInterval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			s.pushStatus()
		case <-s.status.stop:
			return
		}
	}
}

// serveStatusPage serves the page itself; it is hotserve's own page, so it
// gets no client injected.
func serveStatusPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(statusPage)
}
