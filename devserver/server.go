// Package devserver serves a folder to browsers and keeps them up to date:
// static files with the client script injected into every HTML page, the
// WebSocket hub that tells open tabs what changed, and the reload policy that
// turns a watcher.Batch into a message. It knows nothing of how changes are
// detected.
package devserver

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hotserve/hotserve/client"
	"github.com/hotserve/hotserve/watcher"
)

// prefix is where everything hotserve itself serves lives, so that it
// cannot collide with the user's files.
const prefix = "/__hotserve/"

// Config describes one server. The zero value of every field but Root is
// the documented default.
type Config struct {
	// Root is the folder to serve. Required.
	Root string
	// Version is reported to browsers in the connected message.
	// Default: "dev".
	Version string
	// PingInterval is how often each tab is pinged; a tab that misses two
	// pings is dropped. Default: 20s.
	PingInterval time.Duration
	// Log receives what the server has to say: updates sent, tabs that
	// connect and go, errors. Default: discard.
	Log *slog.Logger
	// WatchStats reports the watcher's figures for the status page.
	// Default: none shown.
	WatchStats func() watcher.Stats
	// Settings is the effective configuration, shown on the status page.
	// Default: none shown.
	Settings []Setting
}

// Server is an http.Handler for one served folder. Several can run in one
// process.
type Server struct {
	cfg    Config
	id     string
	files  *fileServer
	hub    *hub
	status *status

	closeOnce sync.Once
	closeErr  error
}

// New validates cfg and opens its root.
func New(cfg Config) (*Server, error) {
	if cfg.Root == "" {
		return nil, errors.New("devserver: Config.Root is required")
	}
	if cfg.PingInterval < 0 {
		return nil, fmt.Errorf("devserver: PingInterval %v is negative; use 0 for the default (20s) or a positive duration", cfg.PingInterval)
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	if cfg.PingInterval == 0 {
		cfg.PingInterval = 20 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	files, err := newFileServer(cfg.Root, cfg.Log)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:    cfg,
		id:     newID(),
		files:  files,
		hub:    newHub(cfg.Log, cfg.PingInterval),
		status: newStatus(newHub(cfg.Log, cfg.PingInterval)),
	}
	s.status.done.Add(1)
	go s.refreshStatus()
	return s, nil
}

// ServeHTTP routes hotserve's own paths and hands the rest to the files.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, prefix) {
		s.files.ServeHTTP(w, r)
		return
	}
	switch r.URL.Path {
	case prefix + "client.js":
		s.serveClient(w, r)
	case prefix + "ws":
		s.hub.serveWS(w, r, message{Type: msgConnected, Server: s.id, Version: s.cfg.Version})
	case prefix:
		serveStatusPage(w, r)
	case prefix + "status/ws":
		s.status.viewers.serveWS(w, r, s.statusFrame())
	default:
		http.NotFound(w, r)
	}
}

// serveClient serves the browser script, revalidated by its hash.
func (s *Server) serveClient(w http.ResponseWriter, r *http.Request) {
	body, etag, err := client.Script()
	if err != nil {
		s.cfg.Log.Error("cannot serve the client script", "err", err)
		http.Error(w, "hotserve: client script unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", etag)
	http.ServeContent(w, r, "client.js", time.Time{}, bytes.NewReader(body))
}

// Update tells every open tab about a batch of changes and returns the
// message type sent ("" when the batch changed nothing a browser can see).
func (s *Server) Update(b watcher.Batch) string {
	m, ok := reloadMessage(b)
	if !ok {
		return ""
	}
	tabs := s.hub.broadcast(m)
	latency := time.Since(b.Start)
	s.cfg.Log.Info(summary(m.Paths)+" → "+m.Type, "tabs", tabs, "after", latency)
	s.status.record(updateRecord{At: time.Now(), What: summary(m.Paths), Sent: m.Type, Tabs: tabs, LatencyMS: float64(latency.Microseconds()) / 1000})
	s.pushStatus()
	return m.Type
}

// Reload tells every open tab to reload, and returns how many it reached.
func (s *Server) Reload(reason string) int {
	return s.hub.broadcast(message{Type: msgLiveReload, Reason: reason})
}

// Tabs returns how many browser tabs are connected.
func (s *Server) Tabs() int { return s.hub.count() }

// Close disconnects every tab (they will reconnect to the next server on
// the same address) and releases the root.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.status.stop)
		s.status.done.Wait()
		s.status.viewers.close()
		s.hub.close()
		s.closeErr = s.files.Close()
	})
	return s.closeErr
}

// newID returns a random id that is new at every server start.
func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
