package devserver

// The browser protocol: JSON text frames sent on /__hotserve/ws.
// client/hotserve.js is the only reader; keep the two in step.
const (
	msgConnected  = "connected"
	msgLiveReload = "live-reload"
	msgCSSUpdate  = "css-update"
	msgBuildError = "build-error"
	msgBuildOK    = "build-ok"
)

// message is one frame. Fields a type does not use are omitted.
type message struct {
	Type string `json:"type"`
	// Server is a fresh id at every server start, so that a tab that
	// reconnects to a restarted server knows to reload (connected).
	Server  string `json:"server,omitempty"`
	Version string `json:"version,omitempty"`
	// Paths are URL paths ("/css/site.css") of what changed
	// (live-reload, css-update).
	Paths []string `json:"paths,omitempty"`
	// Reason is a short human sentence shown in the browser console
	// (live-reload).
	Reason string `json:"reason,omitempty"`
	// Title and Text describe a failure to show as an overlay (build-error).
	Title string `json:"title,omitempty"`
	Text  string `json:"text,omitempty"`
}
