package devserver

import (
	"bytes"
	_ "embed"
	"net/http"
	"sync"
	"time"

	"github.com/hotserve/hotserve/devserver/monitor"
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

// What a frame lists is capped, since it goes to every viewer every
// statusInterval and pages and paths come from requests: a person reads
// the first hundred tabs, not a thousand, and a path or a value longer
// than a line says nothing more.
const (
	listedPages = 100 // pages listed; the rest are counted
	shownPath   = 200 // bytes of a page or an update's paths
	shownValue  = 500 // bytes of a setting's value
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
	Pages    []string       `json:"pages"`               // the page each tab shows, the first listedPages
	More     int            `json:"morePages,omitempty"` // the tabs not in Pages
	Backends []BackendInfo  `json:"backends,omitempty"`  // one row each on the page
	Updates  []updateRecord `json:"updates"`
	Settings []Setting      `json:"settings"`
	Console  []consoleLine  `json:"console"`
	// Charts are the monitor's, absent when it is off.
	Charts []monitor.Chart `json:"charts,omitempty"`
}

// status keeps the timeline and feeds the viewers.
type status struct {
	statusOptions
	viewers *hub
	started time.Time
	stop    chan struct{}
	done    sync.WaitGroup

	// mu guards updates, and settings, which setSettings replaces.
	mu      sync.Mutex
	updates []updateRecord // newest last
	console []consoleLine  // newest last, at most keptConsole
}

// statusOptions are where the figures on the status page come from.
type statusOptions struct {
	server, version, root string
	tabs                  *hub
	backends              func() []BackendInfo // returns nil without a backend
	watch                 func() watcher.Stats // nil: none shown
	settings              []Setting            // Config.Settings, until setSettings

	charts func() []monitor.Chart // the monitor's; nil when it is off
}

func newStatus(viewers hubOptions, o statusOptions) *status {
	return &status{statusOptions: o, viewers: newHub(viewers), started: time.Now(), stop: make(chan struct{})}
}

// record adds an update to the timeline.
func (st *status) record(u updateRecord) {
	u.What = clip(u.What, shownPath)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.updates = append(st.updates, u)
	if len(st.updates) > keptUpdates {
		st.updates = st.updates[len(st.updates)-keptUpdates:]
	}
}

// setSettings replaces the settings shown.
func (st *status) setSettings(settings []Setting) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.settings = settings
}

// frame is what a viewer sees now.
func (st *status) frame() statusFrame {
	st.mu.Lock()
	updates := make([]updateRecord, len(st.updates)) // [], not null, in JSON
	copy(updates, st.updates)
	settings := shownSettings(st.settings)
	console := append([]consoleLine{}, st.console...)
	st.mu.Unlock()
	f := statusFrame{
		Type:     "status",
		Server:   st.server,
		Version:  st.version,
		Root:     st.root,
		Started:  st.started,
		Tabs:     st.tabs.count(),
		Backends: st.backends(),
		Updates:  updates,
		Settings: settings,
		Console:  console,
	}
	if st.charts != nil {
		f.Charts = st.charts()
	}
	f.Pages, f.More = listed(st.tabs.pages())
	for i := range f.Backends {
		f.Backends[i].LastExit = clip(redact(f.Backends[i].LastExit), shownValue)
	}
	if st.watch != nil {
		ws := st.watch()
		f.Watch = &ws
	}
	return f
}

// shownSettings is settings as a frame shows them: redacted (see redact),
// every value of a key that names a secret hidden, and clipped.
func shownSettings(settings []Setting) []Setting {
	shown := make([]Setting, len(settings))
	for i, kv := range settings {
		v := redact(kv.Value)
		if secretName(kv.Key) && v != "" {
			v = hidden
		}
		shown[i] = Setting{Key: clip(kv.Key, shownPath), Value: clip(v, shownValue)}
	}
	return shown
}

// listed returns the first listedPages of pages, each clipped, and how
// many it left out.
func listed(pages []string) ([]string, int) {
	more := max(0, len(pages)-listedPages)
	pages = pages[:len(pages)-more]
	for i, p := range pages {
		pages[i] = clip(p, shownPath)
	}
	return pages, more
}

// push sends the current figures to every viewer.
func (st *status) push() {
	if st.viewers.count() > 0 {
		st.viewers.broadcast(st.frame())
	}
}

// start pushes fresh figures to the viewers every statusInterval, until
// close.
func (st *status) start() {
	st.done.Add(1)
	go func() {
		defer st.done.Done()
		tick := time.NewTicker(statusInterval)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				st.push()
			case <-st.stop:
				return
			}
		}
	}()
}

// close stops the refreshing and disconnects the viewers.
func (st *status) close() {
	close(st.stop)
	st.done.Wait()
	st.viewers.close()
}

// serveStatusPage serves the page itself; it is hotserve's own page, so it
// gets no client injected, only the token its socket asks a browser for
// (see guard.admit), in a meta element its script reads. Other sites
// cannot read the page (Cross-Origin-Resource-Policy, no CORS), so they
// cannot learn the token from it.
func serveStatusPage(w http.ResponseWriter, token string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(bytes.Replace(statusPage, []byte(statusTokenMark), []byte(token), 1))
}

// statusTokenMark is where status.html takes the token; the token is hex,
// so it needs no escaping.
const statusTokenMark = "HOTSERVE_TOKEN"
