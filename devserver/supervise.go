package devserver

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"

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

// supervision is the backend side of a server: the backends, each
// supervised alone, and the proxies in front of them.
type supervision struct {
	rest     *proxy // Config.Proxy.URL's, nil without
	all      bool   // Config.Proxy.All
	routes   routeTable
	backends []*supervised // Config.Backend first, then Config.Backends

	mu sync.Mutex
	// round is the backends one change restarted, and not yet up or
	// failed: the tabs reload once, when it is empty (see backendEvent).
	round map[string]bool
	// roundUp says some backend of the round came up; roundWhy is what
	// the round was for.
	roundUp    bool
	roundWhy   string
	roundNames []string
}

// supervisor is what the server asks of a backend's supervisor.
type supervisor interface {
	Restart(build bool, reason string)
	Ready() <-chan struct{}
	Close() error
}

// noBackend is the supervisor of a backend not started yet: there is
// nothing to restart, wait for or stop.
type noBackend struct{}

// up is the gate of noBackend, always open.
var up = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (noBackend) Restart(bool, string)   {}
func (noBackend) Ready() <-chan struct{} { return up }
func (noBackend) Close() error           { return nil }

// newSupervision checks the backend, route and proxy fields of cfg and
// makes the proxies; start runs the backends.
func newSupervision(cfg Config, tag string) (*supervision, error) {
	sv := &supervision{all: cfg.Proxy.All}
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
	if err := sv.addBackends(cfg); err != nil {
		return nil, err
	}
	if err := sv.addProxies(cfg, tag); err != nil {
		return nil, err
	}
	for _, b := range sv.backends {
		b.cfg.Ready = readyTarget(b.cfg.Ready, b.proxied)
	}
	return sv, nil
}

// addBackends checks Config.Backend, named "backend", and Config.Backends.
func (sv *supervision) addBackends(cfg Config) error {
	if cfg.Backend != nil {
		b, err := newSupervised(cfg, NamedBackend{Name: singleName, Backend: *cfg.Backend, Restart: cfg.Restart}, "")
		if err != nil {
			return err
		}
		sv.backends = append(sv.backends, b)
	}
	for i, nb := range cfg.Backends {
		field := "Backends[" + strconv.Itoa(i) + "]"
		if !validName(nb.Name) {
			return &ConfigError{Field: field + ".Name", Value: strconv.Quote(nb.Name), Problem: "is not a backend name; use letters, digits, - and _, e.g. api"}
		}
		if sv.backend(nb.Name) != nil {
			return &ConfigError{Field: field + ".Name", Value: strconv.Quote(nb.Name), Problem: "names two backends; give each its own name"}
		}
		b, err := newSupervised(cfg, nb, field+".")
		if err != nil {
			return err
		}
		sv.backends = append(sv.backends, b)
	}
	return nil
}

// addProxies makes the proxy of Config.Proxy and one per route, each
// held while the backend behind it restarts.
func (sv *supervision) addProxies(cfg Config, tag string) error {
	if cfg.Proxy.URL != "" {
		b, err := sv.behind("Proxy.Backend", cfg.Proxy.Backend)
		if err != nil {
			return err
		}
		if sv.rest, err = newProxy(cfg.Proxy.URL, tag, b.gate(), cfg.Log); err != nil {
			return err
		}
		b.proxies(cfg.Proxy.URL)
	}
	for i, r := range cfg.Routes {
		field := "Routes[" + strconv.Itoa(i) + "]"
		b, err := sv.behind(field+".Backend", r.Backend)
		if err != nil {
			return err
		}
		p, err := newProxy(r.Target, tag, b.gate(), cfg.Log)
		if ce, ok := errors.AsType[*ConfigError](err); ok {
			ce.Field = field + ".Target"
		}
		if err != nil {
			return err
		}
		if p.m, err = newPathMap(i, r.Prefix, p.target); err != nil {
			return err
		}
		sv.routes = append(sv.routes, route{m: p.m, p: p})
		b.proxies(r.Target)
	}
	var err error
	sv.routes, err = sortRoutes(sv.routes)
	return err
}

// behind finds the backend a proxy names: "" is Config.Backend, when
// there is one; nil means none, which is no error.
func (sv *supervision) behind(field, name string) (*supervised, error) {
	if name == "" {
		return sv.backend(singleName), nil
	}
	if b := sv.backend(name); b != nil {
		return b, nil
	}
	return nil, &ConfigError{Field: field, Value: strconv.Quote(name), Problem: "names no backend; use the name of one in Backends (or \"backend\" for Backend)"}
}

// backend is the backend named name, or nil.
func (sv *supervision) backend(name string) *supervised {
	for _, b := range sv.backends {
		if b.name == name {
			return b
		}
	}
	return nil
}

// start runs every backend, reporting to s. Their first start is one
// round: the tabs left from an earlier hotserve reload once, when all are
// up.
func (sv *supervision) start(s *Server) error {
	sv.begin(sv.backends, "start")
	for i, b := range sv.backends {
		if err := b.start(s); err != nil {
			for _, started := range sv.backends[:i] {
				started.close()
			}
			return fmt.Errorf("devserver: %w", err)
		}
	}
	return nil
}

// close stops every backend and its process tree, all at once, so that
// hotserve is gone after the longest stop timeout, not their sum.
func (sv *supervision) close() error {
	errs := make([]error, len(sv.backends))
	var wg sync.WaitGroup
	for i, b := range sv.backends {
		wg.Go(func() { errs[i] = b.close() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// serve sends r to a backend and reports whether it did: to the route
// that owns its path, whatever the folder holds there; else to
// Proxy.URL, with Proxy.All every request, otherwise what is not a file
// in the folder and not a navigation that the SPA fallback answers
// (spaTakes).
func (sv *supervision) serve(w http.ResponseWriter, r *http.Request, files *fileServer, spaTakes func(*http.Request) bool) bool {
	if ro, rest, ok := sv.routes.match(r); ok {
		ro.serveRoute(proxied(w), r, rest)
		return true
	}
	if to, ok := sv.routes.canonicalRoute(r); ok {
		http.Redirect(w, r, to, http.StatusTemporaryRedirect)
		return true
	}
	if sv.rest == nil {
		return false
	}
	if sv.all || (r.Method != http.MethodGet && r.Method != http.MethodHead) || !files.has(r) && !spaTakes(r) {
		sv.rest.ServeHTTP(proxied(w), r)
		return true
	}
	return false
}

// restart asks for a restart of each backend the batch touches a file of,
// and reports whether it did. The browsers then reload once every one of
// them answers again, not now.
func (sv *supervision) restart(b watcher.Batch) bool {
	var restarted []*supervised
	var asks []restartAsk
	for _, sb := range sv.backends {
		if c, ok := sb.changeFor(b); ok {
			restarted, asks = append(restarted, sb), append(asks, c)
		}
	}
	if len(restarted) == 0 {
		return false
	}
	// The round opens before any restart is asked for: a backend back up
	// at once must find itself in it, or it would reload the tabs alone
	// and leave the round open for good.
	sv.begin(restarted, "")
	for i, sb := range restarted {
		sb.restart(asks[i])
	}
	return true
}

// begin opens a round of the backends bs; a round still open takes them
// in, so that the tabs wait for all.
func (sv *supervision) begin(bs []*supervised, why string) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if sv.round == nil {
		sv.round, sv.roundUp, sv.roundWhy = map[string]bool{}, false, why
	}
	for _, b := range bs {
		if !sv.round[b.name] {
			sv.round[b.name] = true
			sv.roundNames = append(sv.roundNames, b.name)
		}
	}
}

// greet adds to a connecting tab's greeting the failures shown now, if
// any, so a tab opened after a crash shows the overlay too.
func (sv *supervision) greet(connected any) any {
	var failed []any
	for _, b := range sv.backends {
		if m := b.shownFailure(); m != nil {
			failed = append(failed, *m)
		}
	}
	if len(failed) == 0 {
		return connected
	}
	return append(frames{connected}, failed...)
}

// readyTarget is what the supervisor probes: ready as given (a bare port
// means 127.0.0.1), else the first URL proxied to the backend.
func readyTarget(ready, proxy string) string {
	if _, err := strconv.Atoi(ready); err == nil {
		return "127.0.0.1:" + ready
	}
	if ready == "" {
		return proxy
	}
	return ready
}

// newGlobs checks the patterns of field, naming it in the error.
func newGlobs(field string, patterns []string) (watcher.Globs, error) {
	g, err := watcher.NewGlobs(patterns...)
	if bad, ok := errors.AsType[*watcher.BadGlobError](err); ok {
		return g, &ConfigError{Field: field, Value: strconv.Quote(bad.Pattern), Problem: "is not a valid glob; use doublestar syntax such as \"*.toml\", \".env*\" or \"config/**\"", Err: err}
	}
	return g, err
}

// notify is the Notify of the backend b: its events, named.
func (s *Server) notify(b *supervised) func(backend.Event) {
	return func(e backend.Event) { s.backendEvent(b, e) }
}

// keepPages has every proxy keep the pages it injects in kept, the
// files' (see baselinePath), and tell mods their import maps.
func (sv *supervision) keepPages(kept *baselines, mods *modules) {
	if sv.rest != nil {
		sv.rest.kept, sv.rest.mods = kept, mods
	}
	for _, r := range sv.routes {
		r.p.kept, r.p.mods = kept, mods
	}
}
