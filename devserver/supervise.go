package devserver

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hotserve/hotserve/devserver/backend"
	"github.com/hotserve/hotserve/watcher"
)

// DefaultRestartOn are the files whose change restarts the backend when
// Config.Restart.On is empty: configuration read at start-up, and the
// dependency manifests and lock files that change what the program links.
var DefaultRestartOn = []string{
	".env", ".env.*",
	"*.json", "*.toml", "*.yaml", "*.yml", "*.ini", "*.conf", "*.properties",
	"go.mod", "go.sum", "*.lock", "Gemfile", "requirements.txt",
}

// Restart says which changes restart Config.Backend. Patterns are matched
// against slash paths relative to Root as watcher.Globs matches them: one
// without "/" matches the base name at any depth ("*.json"), one with "/"
// the whole path ("config/**"). It applies only with a Backend.
type Restart struct {
	// On are the files whose change restarts the backend. A burst of
	// changes is one restart; the tabs reload once it answers.
	// Default: DefaultRestartOn (.env*, *.json, *.toml, *.yaml, …).
	On []string
	// BuildOn are the files whose change runs the backend's Build, then
	// restarts it (sources: "*.go"). Default: none.
	BuildOn []string
}

// supervision is the backend side of a server: the process supervisor,
// the proxy in front of it, and which changes restart it. Without a
// backend its supervisor is noBackend and its globs match nothing.
type supervision struct {
	proxy     *proxy // nil without Config.Proxy.URL
	all       bool   // Config.Proxy.All
	backend   *backend.Config
	sup       supervisor
	restartOn watcher.Globs
	buildOn   watcher.Globs

	mu      sync.Mutex
	failure *message // the build-error shown now, for tabs that connect later
	state   BackendState
}

// supervisor is what the server asks of the backend's supervisor.
type supervisor interface {
	Restart(build bool, reason string)
	Ready() <-chan struct{}
	Close() error
}

// noBackend is the supervisor of a server without a backend: there is
// nothing to restart, wait for or stop.
type noBackend struct{}

// up is the gate of noBackend, always open.
var up = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (noBackend) Restart(bool, string)   {}
func (noBackend) Ready() <-chan struct{} { return up }
func (noBackend) Close() error           { return nil }

// BackendState is what the status page shows of the backend.
type BackendState struct {
	// State is "starting", "running", "restarting", "exited" or
	// "build failed".
	State    string    `json:"state"`
	PID      int       `json:"pid,omitempty"`
	Restarts int       `json:"restarts"`
	Since    time.Time `json:"since"`
	// LastExit says how the backend last ended by itself, with its exit
	// status; "" if it never did.
	LastExit string `json:"lastExit,omitempty"`
}

// setState records a change of the backend's state.
func (sv *supervision) setState(f func(st *BackendState)) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	f(&sv.state)
	sv.state.Since = time.Now()
}

// backendState is the state now, or nil without a backend.
func (sv *supervision) backendState() *BackendState {
	if sv.backend == nil {
		return nil
	}
	sv.mu.Lock()
	defer sv.mu.Unlock()
	st := sv.state
	return &st
}

// newSupervision checks the backend and proxy fields of cfg and makes the
// proxy; start runs the backend.
func newSupervision(cfg Config, tag string) (*supervision, error) {
	sv := &supervision{sup: noBackend{}, all: cfg.Proxy.All}
	if cfg.Backend == nil {
		for _, f := range []struct {
			name  string
			given []string
		}{{"Restart.On", cfg.Restart.On}, {"Restart.BuildOn", cfg.Restart.BuildOn}} {
			if len(f.given) > 0 {
				return nil, &ConfigError{Field: f.name, Value: fmt.Sprintf("%q", f.given), Problem: "applies to a backend, and Backend is nil"}
			}
		}
	}
	if cfg.Proxy.All && cfg.Proxy.URL == "" {
		return nil, &ConfigError{Field: "Proxy.All", Value: "true", Problem: "needs Proxy.URL, the backend's URL"}
	}
	if cfg.Backend != nil {
		b := *cfg.Backend
		b.Dir = cmp.Or(b.Dir, cfg.Root)
		b.Ready = readyTarget(b.Ready, cfg.Proxy.URL)
		if b.Log == nil {
			b.Log = cfg.Log
		}
		sv.backend = &b
		restartOn := cfg.Restart.On
		if len(restartOn) == 0 {
			restartOn = DefaultRestartOn
		}
		var err error
		if sv.restartOn, err = newGlobs("Restart.On", restartOn); err != nil {
			return nil, err
		}
		if sv.buildOn, err = newGlobs("Restart.BuildOn", cfg.Restart.BuildOn); err != nil {
			return nil, err
		}
	}
	if cfg.Proxy.URL != "" {
		var ready func() <-chan struct{}
		if sv.backend != nil {
			ready = sv.ready
		}
		var err error
		if sv.proxy, err = newProxy(cfg.Proxy.URL, tag, ready, cfg.Log); err != nil {
			return nil, err
		}
	}
	return sv, nil
}

// newGlobs checks the patterns of field, naming it in the error.
func newGlobs(field string, patterns []string) (watcher.Globs, error) {
	g, err := watcher.NewGlobs(patterns...)
	if bad, ok := errors.AsType[*watcher.BadGlobError](err); ok {
		return g, &ConfigError{Field: field, Value: strconv.Quote(bad.Pattern), Problem: "is not a valid glob; use doublestar syntax such as \"*.toml\", \".env*\" or \"config/**\"", Err: err}
	}
	return g, err
}

// ready is the supervisor's gate (set by start, before any request).
func (sv *supervision) ready() <-chan struct{} { return sv.sup.Ready() }

// start runs the backend, if there is one, reporting to s.
func (sv *supervision) start(s *Server) error {
	if sv.backend == nil {
		return nil
	}
	b := *sv.backend
	b.Notify = s.backendEvent
	sup, err := backend.Start(b)
	if err != nil {
		return fmt.Errorf("devserver: %w", err)
	}
	sv.sup = sup
	sv.setState(func(st *BackendState) { st.State = "starting" })
	return nil
}

// readyTarget is what the supervisor probes: ready as given (a bare port
// means 127.0.0.1), else the proxy's target.
func readyTarget(ready, proxy string) string {
	if _, err := strconv.Atoi(ready); err == nil {
		return "127.0.0.1:" + ready
	}
	return cmp.Or(ready, proxy)
}

// close stops the backend and its process group.
func (sv *supervision) close() error { return sv.sup.Close() }

// proxies reports whether r goes to the backend: every request with
// Proxy.All; otherwise every one that is not for a file in the folder.
func (sv *supervision) proxies(r *http.Request, files *fileServer) bool {
	if sv.proxy == nil {
		return false
	}
	return sv.all || (r.Method != http.MethodGet && r.Method != http.MethodHead) || !files.has(r)
}

// restart asks for a backend restart if the batch touches a file that
// calls for one, and reports whether it did. The browsers then reload
// once the new backend answers, not now.
func (sv *supervision) restart(b watcher.Batch) bool {
	var build, restart []string
	for _, e := range b.Events {
		switch {
		case sv.buildOn.Match(e.Path) || e.Op == watcher.Rename && sv.buildOn.Match(e.From):
			build = append(build, e.Path)
		case sv.restartOn.Match(e.Path) || e.Op == watcher.Rename && sv.restartOn.Match(e.From):
			restart = append(restart, e.Path)
		}
	}
	if len(build)+len(restart) == 0 {
		return false
	}
	sv.sup.Restart(len(build) > 0, summary(append(build, restart...))+" changed")
	sv.setState(func(st *BackendState) { st.State = "restarting" })
	return true
}

// greet adds to a connecting tab's greeting the failure shown now, if
// any, so a tab opened after a crash shows the overlay too.
func (sv *supervision) greet(connected any) any {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if sv.failure == nil {
		return connected
	}
	return frames{connected, *sv.failure}
}

// backendEvent tells the terminal and the tabs what the backend did: up
// (reload, and clear an overlay), exited or failed to build (overlay).
func (s *Server) backendEvent(e backend.Event) {
	sv := s.sv
	defer s.pushStatus()
	switch e.Kind {
	case backend.Up:
		sv.mu.Lock()
		failed := sv.failure != nil
		sv.failure = nil
		sv.mu.Unlock()
		if failed {
			s.updates.tabs.broadcast(message{Type: msgBuildOK})
		}
		sv.setState(func(st *BackendState) {
			if st.PID != 0 {
				st.Restarts++
			}
			st.State, st.PID = "running", e.PID
		})
		tabs := s.Reload("backend restarted: " + e.Reason)
		s.cfg.Log.Info("backend ready", "reason", e.Reason, "pid", e.PID, "after", e.Took, "tabs", tabs)
	case backend.Exited, backend.BuildFailed:
		title := fmt.Sprintf("Backend exited (%s)", e.Status)
		line, attrs := "backend exited", []any{"status", e.Status, "restarts", e.Next}
		if e.Kind == backend.BuildFailed {
			title = fmt.Sprintf("Build failed (%s)", e.Status)
			line, attrs = "build failed; the last good backend keeps running, if any; fix and save to retry", []any{"status", e.Status}
		}
		sv.setState(func(st *BackendState) {
			if e.Kind == backend.BuildFailed {
				st.State = "build failed"
				return
			}
			st.State, st.LastExit = "exited", e.Status
		})
		m := message{Type: msgBuildError, Title: title, Text: e.Tail}
		sv.mu.Lock()
		sv.failure = &m
		sv.mu.Unlock()
		tabs := s.updates.tabs.broadcast(m)
		last := e.Tail[strings.LastIndexByte(e.Tail, '\n')+1:]
		s.cfg.Log.Error(line, append(attrs, "last", last, "tabs", tabs)...)
	}
}
