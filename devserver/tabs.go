package devserver

import (
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
)

// Which tabs an update is for, and whether a tab that reconnects missed
// one. A tab names its page (location.pathname) and, when it reconnects,
// the server and epoch it last saw, in the WebSocket URL:
// /__hotserve/ws?page=/about/&server=…&epoch=12.

// affects reports whether a change to the URL paths changed, which is for
// every tab when all is set, could show in a tab on page.
func (u *updates) affects(page string, changed map[string]bool, all bool) bool {
	if all || page == "" || !u.deps.known(page) {
		return true
	}
	if u.deps.usesAny(page, changed) {
		return true
	}
	// A folder without an index.html is a listing, which shows the size
	// of every file in it.
	if dir := urlPath(page); dir[len(dir)-1] == '/' && u.isListing(dir) {
		for p := range changed {
			if d, _ := path.Split(p); d == dir {
				return true
			}
		}
	}
	return false
}

// isListing reports whether the folder at URL path dir ("/a/") is served
// as a listing.
func (u *updates) isListing(dir string) bool {
	_, err := u.files.byURL().Stat("." + dir + "index.html")
	return err != nil
}

// found reports whether r, looked up as lk, names something the folder
// serves as it is, which is all deps makes a node for: a regular file, or
// a folder (its index.html or its listing). A 404 has nothing behind it.
func (lk lookup) found(r *http.Request) bool {
	if lk.bad || lk.denied || lk.err != nil {
		return false
	}
	return lk.info.IsDir() || lk.info.Mode().IsRegular() && !strings.HasSuffix(r.URL.Path, "/")
}

// tabPage is the page a tab's handshake r names (?page=), or "" for one
// longer than any path deps records, which is a tab of unknown page: it
// gets every update.
func tabPage(r *http.Request) string {
	if page := r.URL.Query().Get("page"); len(page) <= maxPathLen {
		return page
	}
	return ""
}

// history keeps the recent changes, so that a tab that reconnects can be
// told whether one of them concerned it.
type history struct {
	mu      sync.Mutex
	changes []change // oldest first, at most historySize
}

// historySize bounds history; a tab that missed more changes than this is
// told to reload.
const historySize = 256

type change struct {
	epoch int64
	urls  map[string]bool
	all   bool
}

func (h *history) add(c change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.changes) == historySize {
		h.changes = append(h.changes[:0], h.changes[1:]...)
	}
	h.changes = append(h.changes, c)
}

// since returns the changes after epoch, and false when some of them are
// no longer kept.
func (h *history) since(epoch int64) ([]change, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.changes) > 0 && h.changes[0].epoch > epoch+1 {
		return nil, false
	}
	var out []change
	for _, c := range h.changes {
		if c.epoch > epoch {
			out = append(out, c)
		}
	}
	return out, true
}

// stale reports whether a tab that connects with the query q (see above)
// must reload: it saw another server (this one cannot know what changed
// while none was running), or a change since its epoch could show in it.
// A tab that connects for the first time is never stale.
func (u *updates) stale(q url.Values) bool {
	server := q.Get("server")
	if server == "" {
		return false
	}
	if server != u.server {
		return true
	}
	epoch, err := strconv.ParseInt(q.Get("epoch"), 10, 64)
	if err != nil {
		return true
	}
	missed, ok := u.history.since(epoch)
	if !ok {
		return true
	}
	page := q.Get("page")
	for _, c := range missed {
		if u.affects(page, c.urls, c.all) {
			return true
		}
	}
	return false
}
