package devserver

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// updates is the path from a batch to the tabs. It numbers each update
// (the epoch) and keeps the recent ones (history), so that a tab that
// reconnects learns whether it missed one; it learns which page uses which
// file (deps) to choose the tabs an update is for; it fans the update out
// to them and to the LiveReload clients; and it collects the tabs'
// acknowledgements that make the update's terminal line (acks).
type updates struct {
	server, version string      // for the connected message
	morph           bool        // page edits are offered as morphs (connected says so)
	files           *fileServer // which URL path is a listing, or a link
	tabs            *hub        // the hotserve tabs, which acknowledge to acks
	liveReload      *hub
	deps            *deps
	contents        *contents // which files in a batch really changed
	acks            *acks
	history         history

	sending sync.Mutex   // held while an update is numbered and sent, so epochs reach the tabs in order
	epoch   atomic.Int64 // the number of the last update sent
}

// updatesOptions are what updates needs from the rest of the server.
type updatesOptions struct {
	// server is this server's id, and version its Config.Version, for
	// the connected message.
	server, version string
	// files tells which URL path is a folder listing, or a link inside
	// the root.
	files *fileServer
	log   *slog.Logger
	// hubs configure the tabs' hub and the LiveReload clients'.
	hubs hubOptions
	// morph is set unless Config.NoMorph.
	morph bool
}

func newUpdates(o updatesOptions) *updates {
	u := &updates{server: o.server, version: o.version, morph: o.morph, files: o.files,
		liveReload: newLiveReload(o.hubs), deps: newDeps(), contents: newContents(o.files.byURL()), acks: newAcks(o.log)}
	tabs := o.hubs
	tabs.receive = u.acks.received
	u.tabs = newHub(tabs)
	return u
}

// send tells the tabs about up, numbered with the next epoch (see
// deliver). It collects the acknowledgements that make the update's
// terminal line, which says how long it took from start, and returns how
// many tabs it reached.
func (u *updates) send(up update, start time.Time) int {
	u.sending.Lock()
	defer u.sending.Unlock()
	epoch := u.number(&up)
	if up.hot != nil {
		c := up.hot
		prune := u.files.modules().begin(epoch, *c, up.scans)
		up.msg.Hot = &hotPayload{Modules: nonNil(c.modules), Styles: nonNil(c.styles), Importers: c.importers, Opaque: nonNil(c.opaque), Prune: nonNil(prune)}
	}
	u.acks.begin(epoch, &pendingUpdate{what: summary(up.msg.Paths), typ: up.msg.Type, start: start, sent: time.Now()})
	tabs, clients := u.deliver(up)
	u.acks.reached(epoch, tabs, clients)
	return tabs
}

// reload tells every tab to reload, and returns how many it reached. It
// has no terminal line of its own: the caller prints one.
func (u *updates) reload(reason string) int {
	u.sending.Lock()
	defer u.sending.Unlock()
	up := update{msg: message{Type: msgLiveReload, Reason: reason}, all: true}
	u.number(&up)
	tabs, _ := u.deliver(up)
	return tabs
}

// number gives up the next epoch and records it, so that a tab that is
// away learns when it comes back whether up concerned it.
func (u *updates) number(up *update) int64 {
	epoch := u.epoch.Add(1)
	up.msg.Epoch = epoch
	u.history.add(change{epoch: epoch, urls: up.urls(), all: up.all})
	return epoch
}

// deliver sends up to every tab when up.all is set, else to the tabs
// whose page used a changed file, and to every LiveReload client.
func (u *updates) deliver(up update) (tabs, clients int) {
	urls := up.urls()
	tabs = u.tabs.sendTo(up.msg, func(t *tab) bool { return u.affects(t.page, urls, up.all) })
	for _, f := range liveReloadFrames(up.msg) {
		clients = u.liveReload.broadcast(f)
	}
	return tabs, clients
}

// nonNil is s, or an empty list: the page reads every list of hot.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// greeting is the connected message for a tab that connects with r.
func (u *updates) greeting(r *http.Request) message {
	return message{Type: msgConnected, Server: u.server, Version: u.version,
		Epoch: u.epoch.Load(), Stale: u.stale(r.URL.Query()), Morph: u.morph}
}

// observe notes what r says about which page uses which file (see deps),
// and tells a page that is being navigated to which server and epoch it
// is as of, in a Server-Timing header, the one response header a page's
// script can read: the client presents them when it connects, so a change
// that lands between the page's load and its connection is not missed.
func (u *updates) observe(w http.ResponseWriter, r *http.Request, lk lookup) {
	u.deps.observe(r, lk.found(r))
	if real, ok := lk.finalURL(); ok {
		if strings.HasSuffix(r.URL.Path, "/") {
			real += "/"
		}
		u.deps.alias(urlPath(r.URL.Path), urlPath(real))
	}
	if wantsClient(r) {
		w.Header().Set("Server-Timing", `hotserve;desc="`+u.server+"."+strconv.FormatInt(u.epoch.Load(), 10)+`"`)
	}
}

// close disconnects the tabs and the LiveReload clients and drops the
// lines not printed yet.
func (u *updates) close() {
	u.tabs.close()
	u.liveReload.close()
	u.acks.close()
}
