// Package devserver serves a folder to browsers and keeps them up to date:
// static files with the client script injected into every HTML page, the
// WebSocket hub that tells open tabs what changed, and the reload policy that
// turns a watcher.Batch into a message. It knows nothing of how changes are
// detected.
package devserver

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/hotserve/hotserve/client"
	"github.com/hotserve/hotserve/devserver/backend"
	"github.com/hotserve/hotserve/devserver/certs"
	"github.com/hotserve/hotserve/devserver/monitor"
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
	// Mounts serve more folders under URL prefixes, by the rules of Root
	// (see Mount and CheckMounts). Default: none.
	Mounts []Mount
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

	// MaxTabs is how many WebSocket connections may be open at once; more
	// are refused with 503 and one log line. Default: 1000.
	MaxTabs int
	// Security weakens what SECURITY.md promises; its zero value keeps
	// every promise.
	Security Security
	// Proxy sends requests to the project's own server. Default: none.
	Proxy Proxy
	// Backend runs the project's own server, in Root unless its Dir says
	// otherwise, and restarts it as Restart says. New sets its Notify;
	// its Log defaults to Log, its Ready to Proxy.URL, and a bare port in
	// Ready means 127.0.0.1. Default: nil, no backend.
	Backend *backend.Config
	// Restart says which changes restart Backend.
	Restart Restart
	// Routes send the requests under URL prefixes to backends, files or
	// not; the longest prefix wins. Default: none.
	Routes []Route
	// Backends are more backends, each with its own name, command and
	// restart files, supervised alone. Default: none.
	Backends []NamedBackend
	// NoMorph makes every page edit reload the tabs that show it, instead
	// of offering them a morph that keeps what the user did. Default:
	// false, pages are morphed.
	NoMorph bool
	// NoHMR serves ES modules byte for byte, without import.meta.hot, and
	// reloads the tabs for every module edit. Default: false, modules that
	// accept an update are hot-replaced.
	NoHMR bool

	// HTTPS says the server is served over TLS (the command's listener
	// tells TLS from plain HTTP on one port): a request that arrives in
	// plain HTTP is redirected to https://, except the CA page.
	// Default: false.
	HTTPS bool
	// SPA answers navigations to paths with no file with the app's page.
	// Default: off, they are not found.
	SPA SPA
	// Headers are set on the responses to the URL paths their globs
	// match, hotserve's own and the backend's included, later rules over
	// earlier ones (see HeaderRule and CheckHeader). Default: none.
	Headers []HeaderRule
	// Isolate sets Cross-Origin-Opener-Policy: same-origin and
	// Cross-Origin-Embedder-Policy: require-corp on every response, so
	// that pages are cross-origin isolated. Default: false.
	Isolate bool

	// CA is the local certificate authority whose public certificate
	// /__hotserve/ca offers to phones, with install steps. Default: nil,
	// that page is not found.
	CA *certs.CA

	// Console says which of the pages' console events reach Log and the
	// status page: ConsoleErrors (uncaught errors, unhandled rejections,
	// console.error and console.warn), ConsoleAll (console.log and
	// console.info too) or ConsoleOff. Default: ConsoleErrors.
	Console string
	// NoOverlay keeps uncaught errors out of the page: no runtime-error
	// overlay. Default: false, the overlay shows them.
	NoOverlay bool
	// OpenEditor opens the file at path (absolute, inside Root) at line
	// and col (0: unknown) in the person's editor, for a click in an
	// overlay (POST /__hotserve/open; see editor.go). Default: nil, such
	// clicks are answered that no editor is set up.
	OpenEditor func(path string, line, col int) error
	// Monitor samples what hotserve and its backends cost, for the status
	// page's charts, and warns when a threshold is crossed.
	// Default: nil, no sampling.
	Monitor *monitor.Config
}

// ConfigError is a Config field that New cannot use. Field names it as a
// selector on Config ("Proxy.URL", "Security.AllowedHosts"), Value is what
// it held as Go would print it, and Problem says what is wrong and what
// would do, worded to follow the value. A command can name its own flag
// for Field and keep the rest.
type ConfigError struct {
	Field, Value, Problem string
	Err                   error // the cause, if any
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("devserver: %s %s %s", e.Field, e.Value, e.Problem)
}

func (e *ConfigError) Unwrap() error { return e.Err }

// Server is an http.Handler for one served folder. Several can run in one
// process.
type Server struct {
	cfg     Config
	id      string // new at every start, so that a tab can tell a new server
	files   *fileServer
	guard   *guard
	opens   openLimit    // the pace of editor launches (editor_limit.go)
	sv      *supervision // the backend and proxy, or noBackend without one
	updates *updates     // from a batch to the tabs
	status  *status      // the status page
	console *console     // the pages' console messages
	spa     *spa         // the fallback for an app's routes, or nil
	headers *headerSet   // the headers to set on every response, or nil
	mon     *monitoring  // the monitor's counters and sampler

	closeOnce sync.Once
	closeErr  error
}

// New validates cfg and opens its root.
func New(cfg Config) (*Server, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	token := newID() + newID()
	g, err := newGuard(cfg.Security, token)
	if err != nil {
		return nil, err
	}
	headers, err := newHeaderSet(cfg)
	if err != nil {
		return nil, err
	}
	tag := clientTag(token, client.Version())
	files, err := newFileServer(cfg, tag)
	if err != nil {
		return nil, err
	}
	fallback, err := newSPA(cfg.SPA, files)
	if err != nil {
		files.Close()
		return nil, err
	}
	sv, err := newSupervision(cfg, tag)
	if err != nil {
		files.Close()
		return nil, err
	}
	sv.keepPages(files.kept(), files.modules())
	s := &Server{cfg: cfg, id: newID(), files: files, guard: g, sv: sv, spa: fallback, headers: headers}
	s.mon = startMonitoring(cfg.Monitor, s)
	hubs := hubOptions{log: cfg.Log, pingInterval: cfg.PingInterval, maxTabs: cfg.MaxTabs}
	s.updates = newUpdates(updatesOptions{server: s.id, version: cfg.Version, files: files, log: cfg.Log, hubs: hubs,
		morph: !cfg.NoMorph})
	s.status = newStatus(hubs, statusOptions{server: s.id, version: cfg.Version, root: cfg.Root, tabs: s.updates.tabs,
		backends: sv.infos, watch: cfg.WatchStats, settings: cfg.Settings, charts: s.mon.charts})
	s.console = newConsole(consoleOptions{level: cfg.Console, overlay: !cfg.NoOverlay, files: files, log: cfg.Log, record: s.status.recordConsole})
	s.updates.tabs.console = s.console.received // before any tab connects
	s.updates.acks.painted = s.mon.painted
	if err := sv.start(s); err != nil {
		s.mon.close()
		files.Close()
		return nil, err
	}
	s.status.start()
	return s, nil
}

// check validates the fields that need no opened folder or backend, and
// fills in their defaults.
func (cfg *Config) check() error {
	if cfg.Root == "" {
		return &ConfigError{Field: "Root", Value: `""`, Problem: "is required; give the folder to serve"}
	}
	if cfg.PingInterval < 0 {
		return &ConfigError{Field: "PingInterval", Value: cfg.PingInterval.String(), Problem: "is negative; use 0 for the default (20s) or a positive duration"}
	}
	if cfg.MaxTabs < 0 {
		return &ConfigError{Field: "MaxTabs", Value: strconv.Itoa(cfg.MaxTabs), Problem: "is negative; use 0 for the default (1000) or a positive number"}
	}
	cfg.Version = cmp.Or(cfg.Version, "dev")
	cfg.PingInterval = cmp.Or(cfg.PingInterval, 20*time.Second)
	cfg.MaxTabs = cmp.Or(cfg.MaxTabs, 1000)
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	mounts, err := CheckMounts(cfg.Root, cfg.Mounts, cfg.Security.Dotfiles)
	if err != nil {
		return err
	}
	cfg.Mounts = mounts
	if err := checkHiddenMounts(cfg.Mounts, cfg.Routes); err != nil {
		return err
	}
	return checkConsole(cfg)
}

// ServeHTTP routes hotserve's own paths and hands the rest to the files,
// once the guard has let the request through.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.headers != nil {
		hw := s.headers.writer(w, r)
		defer hw.finish()
		w = hw
	}
	if !s.guard.admit(w, r) || s.plainToHTTPS(w, r) {
		return
	}
	if r.URL.Path == liveReloadPath && websocket.IsWebSocketUpgrade(r) {
		s.updates.liveReload.serveWS(w, r, nil)
		return
	}
	if !strings.HasPrefix(r.URL.Path, prefix) {
		if s.sv.serve(w, r, s.files, s.spaTakes) {
			s.mon.proxied.Add(1)
			return
		}
		s.mon.requests.Add(1)
		lk := s.files.look(r)
		if s.serveSPA(w, r, lk) {
			return
		}
		s.updates.observe(w, r, lk)
		s.files.serve(w, r, lk)
		return
	}
	switch r.URL.Path {
	case prefix + "client.js":
		s.serveClient(w, r)
	case prefix + "ws":
		s.updates.tabs.serveWS(w, r, func() any { return s.sv.greet(s.console.greet(s.updates.greeting(r))) })
	case openPath:
		s.serveOpen(w, r)
	case baselinePath:
		s.serveBaseline(w, r)
	case prefix:
		serveStatusPage(w, s.guard.token)
	case caPath, caPEMPath, caiOSPath:
		s.serveCA(w, r)
	case prefix + "status":
		s.serveStatusJSON(w, r)
	case prefix + "status/ws":
		s.status.viewers.serveWS(w, r, func() any { return s.status.frame() })
	default:
		http.NotFound(w, r)
	}
}

// serveClient serves the browser script. Asked for by the version of the
// script it serves (the injected tag's URL), the browser may keep it for
// good, so a reloaded page runs it from the cache without a request;
// asked for otherwise (no version, an old one, or a script read from disk
// for development), it is revalidated by its hash.
//
// The cached URL holds the token, so it is private: no shared cache (a
// proxy between a LAN browser and hotserve) keeps it. The token still
// guards the socket, where guard checks it; a new server has a new token,
// hence a new URL, and its pages fetch the script once.
func (s *Server) serveClient(w http.ResponseWriter, r *http.Request) {
	body, etag, err := client.Script()
	if err != nil {
		s.cfg.Log.Error("cannot serve the client script", "err", err)
		http.Error(w, "hotserve: client script unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	if v := client.Version(); v != "" && r.URL.Query().Get("v") == v {
		w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", etag)
	// A tab whose socket was refused asks for this script to learn whether
	// the server it knew was replaced (then its token is stale) or is just
	// full: it reloads only in the first case.
	w.Header().Set("X-Hotserve-Server", s.id)
	http.ServeContent(w, r, "client.js", time.Time{}, bytes.NewReader(body))
}

// Update tells the open tabs whose pages a batch could affect about it,
// or restarts the backend when the batch calls for that, and returns what
// it did: a message type, "restart", or "" when the batch changed nothing a
// browser can see (files rewritten with the same bytes are no change; see
// contents). The terminal line follows once the tabs have
// acknowledged the message.
func (s *Server) Update(b watcher.Batch) string {
	if b = s.updates.contents.changed(b); len(b.Events) == 0 {
		return ""
	}
	if s.sv.restart(b) {
		s.pushStatus()
		return "restart"
	}
	if b = s.withoutBuildSources(b); len(b.Events) == 0 {
		return ""
	}
	u, ok := morphMessage(b, s.cfg.Security.Dotfiles, !s.cfg.NoMorph)
	if !ok {
		return ""
	}
	s.offerHot(&u, b)
	m := u.msg
	tabs := s.updates.send(u, b.Start)
	latency := time.Since(b.Start)
	sent := m.Type
	if u.hot != nil {
		sent = "hot-update"
	}
	s.status.record(updateRecord{At: time.Now(), What: summary(m.Paths), Sent: sent, Tabs: tabs, LatencyMS: float64(latency.Microseconds()) / 1000})
	s.pushStatus()
	return m.Type
}

// SetSettings replaces the settings the status page shows, when they
// changed without a new server.
func (s *Server) SetSettings(settings []Setting) {
	s.status.setSettings(settings)
}

// Reload tells every open tab to reload, and returns how many it reached.
// A tab that is away reloads when it comes back. The caller prints its own
// line.
func (s *Server) Reload(reason string) int {
	return s.updates.reload(reason)
}

// pushStatus sends the current figures to the status page's viewers.
func (s *Server) pushStatus() { s.status.push() }

// Tabs returns how many browser tabs are connected.
func (s *Server) Tabs() int { return s.updates.tabs.count() }

// Close disconnects every tab (they will reconnect to the next server on
// the same address) and releases the root.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		if err := s.sv.close(); err != nil {
			s.cfg.Log.Error("cannot stop the backend", "err", err)
		}
		s.mon.close()
		s.status.close()
		s.updates.close()
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
