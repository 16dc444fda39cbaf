package devserver

import (
	"cmp"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/hotserve/hotserve/devserver/backend"
	"github.com/hotserve/hotserve/watcher"
)

// singleName is the name of Config.Backend, the one backend of the
// command's flags, in logs, the status page and Backends.
const singleName = "backend"

// NamedBackend is one of several backends (Config.Backends): each is
// supervised alone, so a change to its files restarts it and no other.
type NamedBackend struct {
	// Name says which backend it is in the terminal, on the status page
	// and in the overlay: letters, digits, - and _. Required, and
	// different for each.
	Name string
	// Backend runs it, in Root unless its Dir says otherwise (a Dir that
	// is not absolute is taken from Root); New sets its Notify, its Log
	// defaults to Config.Log with the backend's name, its Ready to the
	// first route or proxy whose Backend names it.
	Backend backend.Config
	// Restart says which of the folder's changes restart it. Its On
	// defaults to DefaultRestartOn inside Dir, when Dir is a folder of
	// Root, else to DefaultRestartOn.
	Restart Restart
}

// validName is the shape of a backend's name: it is shown in terminal
// lines and JSON logs, so nothing that needs escaping.
var validName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`).MatchString

// supervised is one backend: its supervisor, which changes restart it,
// and what it is doing now.
type supervised struct {
	name      string
	cfg       backend.Config
	sup       supervisor // noBackend until start
	restartOn watcher.Globs
	buildOn   watcher.Globs
	proxied   string // the first URL proxied to it, its default Ready

	mu      sync.Mutex
	failure *message // the build-error shown now, for tabs that connect later
	state   BackendState
}

// BackendState is what the status page shows of a backend.
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

// BackendInfo is one running backend, as Server.Backends lists it.
type BackendInfo struct {
	// Name is its name: "backend" for Config.Backend, else its
	// NamedBackend.Name.
	Name string `json:"name"`
	// BackendState says what it does now; its PID is its process tree's
	// root (the shell that runs the command), which is also the id of
	// its process group on unix. 0 while none runs.
	BackendState
}

// Backends lists every backend the server supervises, in the order they
// were configured, with their state now; nil without one.
func (s *Server) Backends() []BackendInfo { return s.sv.infos() }

// infos is what Backends returns.
func (sv *supervision) infos() []BackendInfo {
	var out []BackendInfo
	for _, b := range sv.backends {
		b.mu.Lock()
		out = append(out, BackendInfo{Name: b.name, BackendState: b.state})
		b.mu.Unlock()
	}
	return out
}

// newSupervised checks nb; field prefixes the Config field errors name
// ("Backends[1].").
func newSupervised(cfg Config, nb NamedBackend, field string) (*supervised, error) {
	b := &supervised{name: nb.Name, cfg: nb.Backend, sup: noBackend{}}
	restartOn := nb.Restart.On
	if len(restartOn) == 0 {
		restartOn = DefaultRestartOn
		if field != "" {
			restartOn = defaultRestartOn(cfg.Root, nb.Backend.Dir)
		}
	}
	if b.cfg.Dir != "" && !filepath.IsAbs(b.cfg.Dir) && field != "" {
		b.cfg.Dir = filepath.Join(cfg.Root, b.cfg.Dir)
	}
	b.cfg.Dir = cmp.Or(b.cfg.Dir, cfg.Root)
	if b.cfg.Log == nil {
		b.cfg.Log = cfg.Log
		if field != "" {
			b.cfg.Log = cfg.Log.With("backend", nb.Name)
		}
	}
	var err error
	if b.restartOn, err = newGlobs(field+"Restart.On", restartOn); err != nil {
		return nil, err
	}
	if b.buildOn, err = newGlobs(field+"Restart.BuildOn", nb.Restart.BuildOn); err != nil {
		return nil, err
	}
	return b, nil
}

// defaultRestartOn is DefaultRestartOn inside dir when dir is a folder
// of root, so that the API's package.json restarts the API only.
func defaultRestartOn(root, dir string) []string {
	if dir == "" {
		return DefaultRestartOn
	}
	if filepath.IsAbs(dir) {
		rel, err := filepath.Rel(root, dir)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			return DefaultRestartOn
		}
		dir = rel
	}
	dir = path.Clean(filepath.ToSlash(dir))
	if dir == "." || strings.HasPrefix(dir, "../") {
		return DefaultRestartOn
	}
	out := make([]string, len(DefaultRestartOn))
	for i, p := range DefaultRestartOn {
		out[i] = dir + "/**/" + p
	}
	return out
}

// gate is the function a proxy holds requests on while b restarts; nil
// for no backend, whose proxy never holds.
func (b *supervised) gate() func() <-chan struct{} {
	if b == nil {
		return nil
	}
	return func() <-chan struct{} { return b.sup.Ready() }
}

// proxies records url as proxied to b: the first is its default Ready.
func (b *supervised) proxies(url string) {
	if b != nil && b.proxied == "" {
		b.proxied = url
	}
}

// start runs the backend, reporting to s.
func (b *supervised) start(s *Server) error {
	c := b.cfg
	c.Notify = s.notify(b)
	sup, err := backend.Start(c)
	if err != nil {
		return err
	}
	b.sup = sup
	b.setState(func(st *BackendState) { st.State = "starting" })
	return nil
}

// close stops the backend and its process tree.
func (b *supervised) close() error { return b.sup.Close() }

// restartAsk is what a batch asks of one backend: a build first or not, and
// the files that changed, for its output.
type restartAsk struct {
	build bool
	why   string
}

// changeFor says whether the batch touches a file that calls for a
// restart of b, and what.
func (b *supervised) changeFor(batch watcher.Batch) (restartAsk, bool) {
	var build, restart []string
	for _, e := range batch.Events {
		switch {
		case b.buildOn.Match(e.Path) || e.Op == watcher.Rename && b.buildOn.Match(e.From):
			build = append(build, e.Path)
		case b.restartOn.Match(e.Path) || e.Op == watcher.Rename && b.restartOn.Match(e.From):
			restart = append(restart, e.Path)
		}
	}
	if len(build)+len(restart) == 0 {
		return restartAsk{}, false
	}
	return restartAsk{build: len(build) > 0, why: summary(append(build, restart...)) + " changed"}, true
}

// restart asks the supervisor for the restart c calls for.
func (b *supervised) restart(c restartAsk) {
	b.sup.Restart(c.build, c.why)
	b.setState(func(st *BackendState) { st.State = "restarting" })
}

// setState records a change of the backend's state.
func (b *supervised) setState(f func(st *BackendState)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f(&b.state)
	b.state.Since = time.Now()
}

// shownFailure is the failure the overlay shows now, or nil.
func (b *supervised) shownFailure() *message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.failure
}

// fail records the failure m, or clears it (nil), and reports whether
// one was shown before.
func (b *supervised) fail(m *message) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	was := b.failure != nil
	b.failure = m
	return was
}
