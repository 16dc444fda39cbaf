package devserver

import (
	"errors"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/hotserve/hotserve/devserver/backend"
	"github.com/hotserve/hotserve/watcher"
)

// DefaultRestartOn are the files whose change restarts the backend when
// Config.RestartOn is empty: configuration read at start-up, and the
// dependency manifests and lock files that change what the program links.
var DefaultRestartOn = []string{
	".env", ".env.*",
	"*.json", "*.toml", "*.yaml", "*.yml", "*.ini", "*.conf", "*.properties",
	"go.mod", "go.sum", "*.lock", "Gemfile", "requirements.txt",
}

// supervision is the backend side of a server: the process supervisor,
// the proxy in front of it, and which changes restart it.
type supervision struct {
	cfg       Config
	proxy     *proxy              // nil without Config.Proxy
	sup       *backend.Supervisor // nil without Config.Exec
	restartOn globs
	buildOn   globs

	mu      sync.Mutex
	failure *message // the build-error shown now, for tabs that connect later
	state   BackendState
}

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
	if sv == nil || sv.sup == nil {
		return nil
	}
	sv.mu.Lock()
	defer sv.mu.Unlock()
	st := sv.state
	return &st
}

// newSupervision checks the backend fields of cfg and makes the proxy;
// start runs the backend. It returns nil when cfg asks for neither.
func newSupervision(cfg Config, tag string) (*supervision, error) {
	if cfg.Exec == "" {
		for _, f := range []struct {
			set  bool
			name string
		}{
			{cfg.Build != "", "Build"}, {len(cfg.RestartOn) > 0, "RestartOn"}, {len(cfg.BuildOn) > 0, "BuildOn"},
			{cfg.StopSignal != "", "StopSignal"}, {cfg.StopTimeout != 0, "StopTimeout"},
			{cfg.RestartOnCrash, "RestartOnCrash"}, {cfg.Ready != "", "Ready"},
		} {
			if f.set {
				return nil, fmt.Errorf("devserver: %s applies to a backend, and Exec is empty; give the command that runs it (--exec 'go run .')", f.name)
			}
		}
	}
	if cfg.ProxyAll && cfg.Proxy == "" {
		return nil, errors.New("devserver: ProxyAll needs Proxy, the backend's URL (--proxy http://127.0.0.1:3000)")
	}
	if cfg.Exec == "" && cfg.Proxy == "" {
		return nil, nil
	}
	sv := &supervision{cfg: cfg}
	var err error
	if sv.restartOn, err = newGlobs("RestartOn", cfg.RestartOn, DefaultRestartOn); err != nil {
		return nil, err
	}
	if sv.buildOn, err = newGlobs("BuildOn", cfg.BuildOn, nil); err != nil {
		return nil, err
	}
	if cfg.StopSignal != "" {
		if _, err := backend.ParseSignal(cfg.StopSignal); err != nil {
			return nil, err
		}
	}
	if cfg.StopTimeout < 0 {
		return nil, fmt.Errorf("devserver: StopTimeout %v is negative; use 0 for the default (5s) or a positive duration", cfg.StopTimeout)
	}
	if cfg.Proxy != "" {
		var ready func() <-chan struct{}
		if cfg.Exec != "" {
			ready = sv.ready
		}
		if sv.proxy, err = newProxy(cfg.Proxy, tag, ready, cfg.Log); err != nil {
			return nil, err
		}
	}
	return sv, nil
}

// ready is the supervisor's gate (set by start, before any request).
func (sv *supervision) ready() <-chan struct{} { return sv.sup.Ready() }

// start runs the backend, if there is one, reporting to s.
func (sv *supervision) start(s *Server) error {
	if sv == nil || sv.cfg.Exec == "" {
		return nil
	}
	// "" gives 0, the default; anything else was checked in newSupervision.
	sig, _ := backend.ParseSignal(sv.cfg.StopSignal)
	sup, err := backend.Start(backend.Config{
		Command:        sv.cfg.Exec,
		Build:          sv.cfg.Build,
		Dir:            sv.cfg.Root,
		StopSignal:     sig,
		StopTimeout:    sv.cfg.StopTimeout,
		RestartOnCrash: sv.cfg.RestartOnCrash,
		Ready:          readyTarget(sv.cfg.Ready, sv.cfg.Proxy),
		Output:         sv.cfg.BackendOutput,
		Log:            sv.cfg.Log,
		Notify:         s.backendEvent,
	})
	if err != nil {
		return fmt.Errorf("devserver: %w", err)
	}
	sv.sup = sup
	sv.setState(func(st *BackendState) { st.State = "starting" })
	return nil
}

// readyTarget is what the supervisor probes: Ready as given (a bare port
// means 127.0.0.1), else the proxy's target.
func readyTarget(ready, proxy string) string {
	if _, err := strconv.Atoi(ready); err == nil {
		return "127.0.0.1:" + ready
	}
	if ready != "" {
		return ready
	}
	return proxy
}

// close stops the backend and its process group.
func (sv *supervision) close() error {
	if sv == nil || sv.sup == nil {
		return nil
	}
	return sv.sup.Close()
}

// proxies reports whether r goes to the backend: every request with
// ProxyAll; otherwise every one that is not for a file in the folder.
func (sv *supervision) proxies(r *http.Request, files *fileServer) bool {
	if sv == nil || sv.proxy == nil {
		return false
	}
	return sv.cfg.ProxyAll || (r.Method != http.MethodGet && r.Method != http.MethodHead) || !files.has(r)
}

// restart asks for a backend restart if the batch touches a file that
// calls for one, and reports whether it did. The browsers then reload
// once the new backend answers, not now.
func (sv *supervision) restart(b watcher.Batch) bool {
	if sv == nil || sv.sup == nil {
		return false
	}
	var build, restart []string
	for _, e := range b.Events {
		switch {
		case sv.buildOn.match(e.Path) || e.Op == watcher.Rename && sv.buildOn.match(e.From):
			build = append(build, e.Path)
		case sv.restartOn.match(e.Path) || e.Op == watcher.Rename && sv.restartOn.match(e.From):
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
	if sv == nil {
		return connected
	}
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
			s.hub.broadcast(message{Type: msgBuildOK})
		}
		sv.setState(func(st *BackendState) {
			if st.PID != 0 {
				st.Restarts++
			}
			st.State, st.PID = "running", e.PID
		})
		tabs := s.Reload("backend restarted: " + e.Reason)
		s.cfg.Log.Info("backend ready ("+e.Reason+")", "pid", e.PID, "after", e.Took, "tabs", tabs)
	case backend.Exited, backend.BuildFailed:
		title := fmt.Sprintf("Backend exited (%s)", e.Status)
		line := fmt.Sprintf("backend exited (%s); it restarts %s", e.Status, e.Next)
		if e.Kind == backend.BuildFailed {
			title = fmt.Sprintf("Build failed (%s)", e.Status)
			line = fmt.Sprintf("build failed (%s); the last good backend keeps running, if any; fix and save to retry", e.Status)
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
		tabs := s.hub.broadcast(m)
		last := e.Tail[strings.LastIndexByte(e.Tail, '\n')+1:]
		s.cfg.Log.Error(line, "last", last, "tabs", tabs)
	}
}

// globs match slash paths relative to the root: a pattern without "/"
// matches the base name at any depth ("*.json"), one with "/" the whole
// path ("config/**"), as --ignore does.
type globs struct{ base, full []string }

func newGlobs(field string, patterns, defaults []string) (globs, error) {
	if len(patterns) == 0 {
		patterns = defaults
	}
	var g globs
	for _, p := range patterns {
		if p == "" || !doublestar.ValidatePattern(p) {
			return g, fmt.Errorf("devserver: %s pattern %q is not a valid glob; use doublestar syntax such as \"*.toml\", \".env*\" or \"config/**\"", field, p)
		}
		if strings.Contains(p, "/") {
			g.full = append(g.full, p)
		} else {
			g.base = append(g.base, p)
		}
	}
	return g, nil
}

func (g globs) match(rel string) bool {
	if rel == "" {
		return false
	}
	base := path.Base(rel)
	for _, p := range g.base {
		if doublestar.MatchUnvalidated(p, base) {
			return true
		}
	}
	for _, p := range g.full {
		if doublestar.MatchUnvalidated(p, rel) {
			return true
		}
	}
	return false
}
