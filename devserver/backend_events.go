package devserver

import (
	"fmt"
	"strings"

	"github.com/hotserve/hotserve/devserver/backend"
)

// backendEvent tells the terminal and the tabs what the backend b did:
// up (reload, and clear its overlay), exited or failed to build (overlay
// naming it).
func (s *Server) backendEvent(b *supervised, e backend.Event) {
	defer s.pushStatus()
	switch e.Kind {
	case backend.Up:
		if b.fail(nil) {
			s.updates.tabs.broadcast(message{Type: msgBuildOK})
			s.reshowFailures() // another backend may still be down
		}
		b.setState(func(st *BackendState) {
			if st.PID != 0 {
				st.Restarts++
			}
			st.State, st.PID = "running", e.PID
		})
		tabs := s.settle(b, true, e.Reason)
		s.cfg.Log.Info(b.said("backend ready"), b.attrs("reason", e.Reason, "pid", e.PID, "after", e.Took, "tabs", tabs)...)
	case backend.Exited, backend.BuildFailed:
		m, line, attrs := b.failed(e)
		b.setState(func(st *BackendState) {
			if e.Kind == backend.BuildFailed {
				st.State = "build failed"
				return
			}
			st.State, st.LastExit = "exited", e.Status
		})
		b.fail(&m)
		tabs := s.updates.tabs.broadcast(m)
		s.settle(b, false, "")
		last := e.Tail[strings.LastIndexByte(e.Tail, '\n')+1:]
		s.cfg.Log.Error(line, b.attrs(append(attrs, "last", last, "tabs", tabs)...)...)
	}
}

// failed is the overlay's message for a failed backend, and the
// terminal's line with its attributes. A named backend is named in both.
func (b *supervised) failed(e backend.Event) (message, string, []any) {
	who := "Backend"
	if b.name != singleName {
		who = "Backend " + b.name
	}
	if e.Kind == backend.BuildFailed {
		title := fmt.Sprintf("Build failed (%s)", e.Status)
		if b.name != singleName {
			title = fmt.Sprintf("Build of %s failed (%s)", b.name, e.Status)
		}
		return message{Type: msgBuildError, Title: title, Text: e.Tail, Backend: b.name},
			b.said("build failed; the last good backend keeps running, if any; fix and save to retry"), []any{"status", e.Status}
	}
	return message{Type: msgBuildError, Title: fmt.Sprintf("%s exited (%s)", who, e.Status), Text: e.Tail, Backend: b.name},
		b.said("backend exited"), []any{"status", e.Status, "restarts", e.Next}
}

// said is a terminal line about b: as it is for the one backend, behind
// the name for one of several.
func (b *supervised) said(line string) string {
	if b.name == singleName {
		return line
	}
	return b.name + ": " + line
}

// attrs adds the backend's name to a log line's attributes, for one of
// several (--log json tells them apart by it).
func (b *supervised) attrs(a ...any) []any {
	if b.name == singleName {
		return a
	}
	return append(a, "backend", b.name)
}

// reshowFailures sends again the overlay of a backend still down, once
// another's build-ok has cleared the overlay.
func (s *Server) reshowFailures() {
	for _, b := range s.sv.backends {
		if m := b.shownFailure(); m != nil {
			s.updates.tabs.broadcast(*m)
		}
	}
}

// settle records that b is up (or failed) and reloads the tabs when that
// ends a round: every backend one change restarted is up again, or said
// it failed; the reload comes once, if any came up. An event outside a
// round (a backend restarted after a crash) reloads by itself. It returns
// how many tabs were reloaded.
func (s *Server) settle(b *supervised, isUp bool, reason string) int {
	sv := s.sv
	sv.mu.Lock()
	if !sv.round[b.name] {
		sv.mu.Unlock()
		if !isUp {
			return 0
		}
		return s.Reload(b.name + " restarted: " + reason)
	}
	delete(sv.round, b.name)
	sv.roundUp = sv.roundUp || isUp
	if sv.roundWhy == "" {
		sv.roundWhy = reason
	}
	done, anyUp, why := len(sv.round) == 0, sv.roundUp, strings.Join(sv.roundNames, ", ")+" restarted: "+sv.roundWhy
	if done {
		sv.round, sv.roundNames = nil, nil
	}
	sv.mu.Unlock()
	if !done || !anyUp {
		return 0
	}
	return s.Reload(why)
}
