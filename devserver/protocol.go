package devserver

// The browser protocol: JSON text frames on /__hotserve/ws.
// The script in client/ is the only peer; keep the two in step, and the table
// in README.md.
const (
	// Server → browser.
	msgConnected  = "connected"
	msgLiveReload = "live-reload"
	msgCSSUpdate  = "css-update"
	msgImgUpdate  = "img-update"
	msgBuildError = "build-error"
	msgBuildOK    = "build-ok"
	// msgRuntimeError answers a tab's uncaught error with what its
	// overlay shows (see console.go).
	msgRuntimeError = "runtime-error"

	// Browser → server.
	msgApplied = "applied"
	// msgConsole is an uncaught error, an unhandled rejection or a
	// console call in the page (see pageConsole).
	msgConsole = "console"
)

// message is one frame. Fields a type does not use are omitted.
type message struct {
	Type string `json:"type"`
	// Server is a fresh id at every server start (connected).
	Server  string `json:"server,omitempty"`
	Version string `json:"version,omitempty"`
	// Epoch numbers the changes this server has sent, 1, 2, …: the current
	// one (connected), or the one this message is (live-reload,
	// css-update, img-update), which the browser echoes in applied.
	Epoch int64 `json:"epoch,omitempty"`
	// Stale tells a tab that reconnected that something it shows changed
	// while it was away, or that the server restarted and cannot know
	// (connected). The tab reloads once; its fresh page connects without
	// a past, so this cannot loop.
	Stale bool `json:"stale,omitempty"`
	// Paths are URL paths ("/css/site.css") of what changed
	// (live-reload, css-update, img-update).
	Paths []string `json:"paths,omitempty"`
	// Reason is a short human sentence shown in the browser console
	// (live-reload).
	Reason string `json:"reason,omitempty"`
	// Morph tells the page that only pages (and stylesheets and images)
	// changed, so it may fetch itself and morph the live document into the
	// new one instead of reloading (live-reload). A peer that does not
	// know it reloads, which is always right. In connected it says that
	// this server offers morphs, so the page fetches the baseline its
	// first morph compares with.
	Morph bool `json:"morph,omitempty"`
	// Hot offers the tabs a hot update of the ES modules that changed
	// instead of a reload (live-reload): README, "Hot module
	// replacement". A peer that does not know it reloads.
	Hot *hotPayload `json:"hot,omitempty"`
	// Title and Text describe a failure to show as an overlay (build-error).
	Title string `json:"title,omitempty"`
	Text  string `json:"text,omitempty"`
	// Backend names the backend whose failure it is (build-error): the
	// page hands it back when a place in Text is clicked (openRequest).
	Backend string `json:"backend,omitempty"`
	// Console says which of the page's console events it sends
	// (connected): "errors" (errors and warnings), "all" or "off".
	Console string `json:"console,omitempty"`
	// NoOverlay tells the page not to cover itself with runtime errors
	// (connected).
	NoOverlay bool `json:"noOverlay,omitempty"`
	// Frames are the stack of a runtime-error, those in the folder with
	// the source lines around them.
	Frames []shownFrame `json:"frames,omitempty"`
}

// hotPayload is what a tab needs to apply a hot update: the changed
// modules and CSS module scripts, and who imports each module on the way
// up to the pages, for the walk to the modules that accept the change.
type hotPayload struct {
	Modules   []string            `json:"modules"`
	Styles    []string            `json:"styles"`
	Importers map[string][]string `json:"importers"`
	// Opaque are the modules that import one on the way by a specifier
	// hotserve cannot rewrite: they may accept the change as a
	// dependency, but not accept it themselves (see importersOf).
	Opaque []string `json:"opaque"`
	// Prune are the modules the changed ones no longer import, and that
	// nothing else imports, whose prune handlers run.
	Prune []string `json:"prune"`
}

// ack is what a tab sends back once it has applied an update and the
// result has been painted (applied).
type ack struct {
	Type  string `json:"type"`
	Epoch int64  `json:"epoch"`
	// Did says in a word what the tab did: "reloaded", "morphed",
	// "swapped", "imports", "all-styles", "images", "hot-update",
	// "hot-failed".
	Did string `json:"did"`
	// Boundaries are the modules that accepted a hot update (hot-update),
	// page text like Reason.
	Boundaries []string `json:"boundaries,omitempty"`
	// Reason says why a tab that was offered a morph or a hot update
	// reloaded instead ("script changed"), or why a hot update failed, for the terminal line; page text, so it is
	// cleaned before it is printed (see fallbackReason).
	Reason string `json:"reason,omitempty"`
	// MS is the time from the message's arrival in the page to the paint
	// that shows the result, by the page's clock (across the reload, for
	// a reload).
	MS float64 `json:"ms"`
}

// pageConsole is what a tab sends about its own console (console): an
// uncaught error, an unhandled promise rejection, or a console call. All
// of it is the page's text, so nothing in it is trusted: console.go bounds
// and escapes it before it is shown anywhere.
type pageConsole struct {
	Type string `json:"type"`
	// Level is "error", "warn", "info" or "log".
	Level string `json:"level"`
	// Kind is "uncaught", "rejection" or "console".
	Kind string `json:"kind"`
	// Text is the message: "TypeError: x is undefined".
	Text string `json:"text"`
	// Stack is the error's stack as the browser wrote it, or the
	// caller's for a console call.
	Stack string `json:"stack,omitempty"`
	// URL, Line and Col are where the browser says an uncaught error
	// was thrown, for one without a stack.
	URL  string `json:"url,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
	// Dropped, in a message of its own, counts the events the page had
	// no room to keep before its socket opened: they are said with those
	// the rate leaves out.
	Dropped int `json:"dropped,omitempty"`
}
