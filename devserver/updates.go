package devserver

import (
	"encoding/json"
	"net/http"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// send tells the tabs about u, numbered with the next epoch: every tab when
// u.all is set, else the tabs whose page used a changed file, and every
// LiveReload client. It collects the acknowledgements that make the
// update's terminal line, which says how long it took from start, and
// returns how many tabs it reached.
func (s *Server) send(u update, start time.Time) int {
	s.updating.Lock() // epochs reach the tabs in order
	defer s.updating.Unlock()
	epoch := s.number(&u)
	s.acks.begin(epoch, &pendingUpdate{what: summary(u.msg.Paths), typ: u.msg.Type, start: start, sent: time.Now()})
	tabs, clients := s.deliver(u)
	s.acks.reached(epoch, tabs, clients)
	return tabs
}

// number gives u the next epoch and records it, so that a tab that is away
// learns when it comes back whether u concerned it.
func (s *Server) number(u *update) int64 {
	epoch := s.epoch.Add(1)
	u.msg.Epoch = epoch
	s.history.add(change{epoch: epoch, urls: changedURLs(u.msg.Paths), all: u.all})
	return epoch
}

// deliver sends u to the tabs it concerns and to every LiveReload client.
func (s *Server) deliver(u update) (tabs, clients int) {
	urls := changedURLs(u.msg.Paths)
	tabs = s.hub.sendTo(u.msg, func(t *tab) bool { return s.affects(t.page, urls, u.all) })
	for _, f := range liveReloadFrames(u.msg) {
		clients = s.lr.broadcast(f)
	}
	return tabs, clients
}

// greeting is the connected message for a tab that connects with r.
func (s *Server) greeting(r *http.Request) any {
	return message{Type: msgConnected, Server: s.id, Version: s.cfg.Version,
		Epoch: s.epoch.Load(), Stale: s.stale(r.URL.Query())}
}

// received takes a tab's acknowledgement; nothing else is expected.
func (s *Server) received(_ *tab, frame []byte) {
	var k ack
	if json.Unmarshal(frame, &k) == nil && k.Type == msgApplied {
		s.acks.applied(k)
	}
}

// observe notes what r says about which page uses which file (see deps),
// and tells a page that is being navigated to which server and epoch it
// is as of, in a Server-Timing header, the one response header a page's
// script can read: the client presents them when it connects, so a change
// that lands between the page's load and its connection is not missed.
func (s *Server) observe(w http.ResponseWriter, r *http.Request) {
	s.deps.observe(r)
	if real, ok := s.files.finalPath(path.Clean("/" + r.URL.Path)); ok && !filepath.IsAbs(real) {
		if strings.HasSuffix(r.URL.Path, "/") {
			real += "/"
		}
		s.deps.alias(urlPath(r.URL.Path), urlPath(real))
	}
	if wantsClient(r) {
		w.Header().Set("Server-Timing", `hotserve;desc="`+s.id+"."+strconv.FormatInt(s.epoch.Load(), 10)+`"`)
	}
}
