package devserver

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/hotserve/hotserve/devserver/monitor"
	"github.com/hotserve/hotserve/watcher"
)

// monitoring is the server's side of the monitor (see package monitor):
// the counters it takes rates of, the save-to-paint times of the updates
// since the last sample, and the sampler, nil when Config.Monitor is.
type monitoring struct {
	sampler  *monitor.Sampler
	requests atomic.Uint64 // served from the folder
	proxied  atomic.Uint64 // sent to a backend

	mu     sync.Mutex
	paints []float64 // ms, since the last sample
}

// keptPaints caps the save-to-paint times held between two samples: a
// script saving in a loop must not grow them without bound.
const keptPaints = 1000

// startMonitoring starts sampling s as cfg says, or counts nothing
// without a cfg.
func startMonitoring(cfg *monitor.Config, s *Server) *monitoring {
	m := &monitoring{}
	if cfg == nil {
		return m
	}
	c := *cfg
	if c.Warn == nil {
		c.Warn = func(w monitor.Warning) { s.cfg.Log.Warn(w.Text) }
	}
	stats := s.cfg.WatchStats
	var mounts []monitor.Folder
	for _, mt := range s.cfg.Mounts {
		mounts = append(mounts, monitor.Folder{Name: mt.Prefix, Path: mt.Dir})
	}
	m.sampler = monitor.Start(c, monitor.Sources{
		Root:     s.cfg.Root,
		Mounts:   mounts,
		Backends: s.runningBackends,
		Counters: func() monitor.Counters {
			c := monitor.Counters{Requests: m.requests.Load(), Proxied: m.proxied.Load()}
			if stats != nil {
				w := stats()
				c.Events, c.Batches = w.Events, w.Batches
			}
			return c
		},
		Watches: func() (int, int) { return watches(stats) },
		Paints:  m.takePaints,
	})
	return m
}

// watches is the OS's watch budget in use, all of the user's programs'
// where the OS tells (inotify's limit is per user), and its limit.
func watches(stats func() watcher.Stats) (used, limit int) {
	if stats == nil {
		return 0, 0
	}
	w := stats()
	return max(w.UserWatches, w.WatchesUsed), w.WatchesLimit
}

// runningBackends are the backends running now, by name and pid: what the
// monitor samples.
func (s *Server) runningBackends() []monitor.Backend {
	var out []monitor.Backend
	for _, b := range s.sv.infos() {
		if b.PID != 0 && b.State != "exited" {
			out = append(out, monitor.Backend{Name: b.Name, PID: b.PID})
		}
	}
	return out
}

// painted records one update's save-to-paint time.
func (m *monitoring) painted(ms float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.paints) < keptPaints {
		m.paints = append(m.paints, ms)
	}
}

func (m *monitoring) takePaints() []float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.paints
	m.paints = nil
	return p
}

// charts are the status page's charts, nil when the monitor is off.
func (m *monitoring) charts() []monitor.Chart {
	if m.sampler == nil {
		return nil
	}
	return m.sampler.Charts()
}

func (m *monitoring) close() {
	if m.sampler != nil {
		m.sampler.Close()
	}
}

// serveStatusJSON answers /__hotserve/status with the status frame the
// page's socket sends, for tools and tests. It asks for the same token
// as the socket (?t=), in every request: the frame names the open pages
// and the settings, and a --cors origin may read responses.
func (s *Server) serveStatusJSON(w http.ResponseWriter, r *http.Request) {
	if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("t")), []byte(s.guard.token)) != 1 {
		http.Error(w, "403 forbidden: the hotserve token is missing or out of date; read it from the status page's hotserve-token meta element", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(s.status.frame())
}
