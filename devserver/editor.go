package devserver

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// openPath is where a click in an overlay (a stack frame, a file:line in
// build output) asks for the file to be opened in the person's editor.
//
// It runs a program on this machine, so it asks more than any other
// request: POST, the page's token in X-Hotserve-Token (only hotserve's own
// pages have it), an Origin that is this server (a form or a fetch from
// another site is refused, and a JSON body makes any cross-site fetch a
// preflight that hotserve never grants), and a file that the folder serves
// (not a dotfile, not through a link out of the folder). Each refusal is
// said in the terminal, since the person who clicked is looking there.
const openPath = prefix + "open"

// maxOpenBody bounds the request: a path and two numbers.
const maxOpenBody = 4 << 10

// openRequest is the body of a POST to openPath. File is a path in the
// folder ("js/app.js"), a URL path ("/js/app.js"), a URL of this server
// or an absolute path inside the folder, as a stack or a build's output
// writes it. Backend names the backend whose build output File comes
// from: a relative File is then in its folder (see inBackend).
type openRequest struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Backend string `json:"backend,omitempty"`
}

func (s *Server) serveOpen(w http.ResponseWriter, r *http.Request) {
	refuse := func(status int, why string) {
		s.cfg.Log.Warn("did not open an editor: "+why, "remote", r.RemoteAddr)
		http.Error(w, "hotserve did not open an editor: "+why, status)
	}
	// Refusals anyone can repeat at will are said once (see openLimit).
	refuseQuietly := func(status int, why string) {
		if s.opens.firstTime(why, time.Now()) {
			s.cfg.Log.Warn("did not open an editor: "+why+" (said once; more such requests are refused silently)", "remote", r.RemoteAddr)
		}
		http.Error(w, "hotserve did not open an editor: "+why, status)
	}
	switch {
	case !loopbackRemote(r):
		refuseQuietly(http.StatusForbidden, "the request came from another machine; only a browser on the machine hotserve runs on may open its editor")
		return
	case r.Method != http.MethodPost:
		w.Header().Set("Allow", http.MethodPost)
		refuse(http.StatusMethodNotAllowed, "the request was a "+r.Method+", not a POST")
		return
	case subtle.ConstantTimeCompare([]byte(r.Header.Get("X-Hotserve-Token")), []byte(s.guard.token)) != 1:
		refuse(http.StatusForbidden, "the request had no valid token (only hotserve's own pages may ask; reload the page if hotserve restarted)")
		return
	case !s.guard.ownOrigin(r) || r.Header.Get("Sec-Fetch-Site") != "" && r.Header.Get("Sec-Fetch-Site") != "same-origin":
		refuse(http.StatusForbidden, fmt.Sprintf("the request came from another origin (%q)", r.Header.Get("Origin")))
		return
	}
	var req openRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, maxOpenBody)).Decode(&req); err != nil || req.File == "" || req.Line < 0 || req.Col < 0 {
		refuse(http.StatusBadRequest, "the request did not name a file and line")
		return
	}
	abs, shown, ok := s.openable(req, r.Host)
	if !ok {
		where := "the served folder"
		if s.backendDir(req.Backend) != "" {
			where += " or the folder of the backend " + req.Backend
		}
		refuse(http.StatusForbidden, fmt.Sprintf("%q is not a file in %s", clip(req.File, shownPath), where))
		return
	}
	if s.cfg.OpenEditor == nil {
		refuse(http.StatusNotImplemented, "no editor is set up")
		return
	}
	if why := s.opens.start(time.Now()); why != "" {
		refuseQuietly(http.StatusTooManyRequests, why)
		return
	}
	err := s.cfg.OpenEditor(abs, req.Line, req.Col)
	s.opens.done()
	if err != nil {
		// The command says why in the terminal itself.
		http.Error(w, "hotserve could not open an editor: "+err.Error(), http.StatusInternalServerError)
		return
	}
	s.cfg.Log.Info("opened in the editor", "file", shown, "line", req.Line)
	w.WriteHeader(http.StatusNoContent)
}

// openable returns the absolute path of the file that req names, as
// openRequest takes it, and the name the terminal shows for it, if the
// folder serves a file there, or, for a relative name from a backend's
// build, if that backend's folder holds one (see inBackend).
func (s *Server) openable(req openRequest, host string) (abs, shown string, ok bool) {
	name := req.File
	if u, err := url.Parse(name); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		if u.Host != host {
			return "", "", false
		}
		name = u.Path
	} else if filepath.IsAbs(name) {
		// A path on this machine, from a build's output; on Unix "/js/a.js"
		// may also be a URL path, which it is when it is not in the folder.
		if p, ok := s.files.urlOf(name); ok {
			name = p
		} else if dir := s.backendDir(req.Backend); dir != "" {
			if rel, err := filepath.Rel(dir, name); err == nil && filepath.IsLocal(rel) {
				return s.inBackend(dir, filepath.ToSlash(rel))
			}
		}
		if !strings.HasPrefix(name, "/") {
			return "", "", false
		}
	} else if name = slashName(name); !strings.HasPrefix(name, "/") {
		if dir := s.backendDir(req.Backend); dir != "" {
			return s.inBackend(dir, name)
		}
	}
	if !strings.HasPrefix(name, "/") {
		name = "/" + name
	}
	rel, ok := s.files.folderFile(name)
	if !ok {
		return "", "", false
	}
	return s.files.absPath(rel), rel, true
}

// urlOf returns the URL path of the file at the absolute path abs, if abs
// lies in the served folder or in a mount (the mount's, when both).
func (f *fileServer) urlOf(abs string) (string, bool) {
	for _, t := range append(slices.Clone(f.mounts), f) {
		if rel, err := filepath.Rel(t.dir, abs); err == nil && filepath.IsLocal(rel) {
			return t.url("/" + filepath.ToSlash(rel)), true
		}
	}
	return "", false
}
