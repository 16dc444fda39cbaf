package devserver

import (
	"encoding/json"
	"net/http"
	"net/url"
)

// The LiveReload protocol, version 7, as spoken by livereload.js and the
// LiveReload browser extensions, so that pages hotserve did not inject
// (a backend's own pages, a snippet in a template, an extension) are kept
// up to date too. The client connects to /livereload on this server's port
// (livereload.js: ?port=N, or load it from here) and says hello; the server
// answers hello and then sends a reload command per change.
const (
	liveReloadPath  = "/livereload"
	liveReloadProto = "http://livereload.com/protocols/official-7"
)

// lrHello is the handshake, in both directions; a client's other
// commands (info) need no answer.
type lrHello struct {
	Command    string   `json:"command"`
	Protocols  []string `json:"protocols"`
	ServerName string   `json:"serverName,omitempty"`
}

// lrReload asks for a path to be refreshed. LiveCSS and LiveImg are always
// sent: livereload.js takes a missing one as true.
type lrReload struct {
	Command string `json:"command"` // "reload"
	Path    string `json:"path"`
	LiveCSS bool   `json:"liveCSS"`
	LiveImg bool   `json:"liveImg"`
}

// newLiveReload returns the hub of LiveReload clients: they have a hub of
// their own because they speak another protocol, never acknowledge, and
// send the first frame.
func newLiveReload(o hubOptions) *hub {
	o.checkOrigin = liveReloadOrigin
	o.receive = liveReloadHello
	return newHub(o)
}

// liveReloadHello answers a client's hello; its other commands (info) need
// no answer.
func liveReloadHello(t *tab, frame []byte) {
	var f lrHello
	if json.Unmarshal(frame, &f) != nil || f.Command != "hello" {
		return
	}
	hello, _ := json.Marshal(lrHello{Command: "hello", Protocols: []string{liveReloadProto}, ServerName: "hotserve"})
	t.queue(hello) // a client that floods hellos is not waited for
}

// liveReloadOrigin admits the handshakes of the pages LiveReload is for:
// no Origin (not a browser), a page on this machine (this server, or a
// backend on another port of localhost), and the browser extensions. A
// page from anywhere else could learn the names of the files being edited,
// so it is refused.
func liveReloadOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "chrome-extension", "moz-extension", "safari-web-extension":
		return true
	case "http", "https":
	default:
		return false
	}
	return loopbackName(u.Hostname())
}

// liveReloadFrames translates an update into reload commands: one per path
// for in-place updates, so that livereload.js swaps each stylesheet or
// image, and one for a reload (a path livereload.js takes for a page).
func liveReloadFrames(m message) []lrReload {
	if m.Type != msgCSSUpdate && m.Type != msgImgUpdate {
		p := "/"
		if len(m.Paths) > 0 {
			p = m.Paths[0]
		}
		return []lrReload{{Command: "reload", Path: p}}
	}
	out := make([]lrReload, len(m.Paths))
	for i, p := range m.Paths {
		out[i] = lrReload{Command: "reload", Path: p, LiveCSS: true, LiveImg: true}
	}
	return out
}
