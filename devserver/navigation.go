package devserver

import (
	"io"
	"net/http"
	"path"
	"strings"
)

// wantsClient reports whether the HTML answering r is a page a person
// navigated to, which gets the client, rather than a fragment that a
// script fetched (fetch, XMLHttpRequest, htmx) to insert into a page that
// already has one. Browsers say which in Fetch Metadata: Sec-Fetch-Mode is
// "navigate" for a document or a frame. They leave it out over plain HTTP
// to an address that is not localhost; then the tag rules of inject decide,
// except for htmx, which marks its requests with HX-Request.
func wantsClient(r *http.Request) bool {
	if r.Header.Get("HX-Request") != "" {
		return false
	}
	mode := r.Header.Get("Sec-Fetch-Mode")
	return mode == "" || mode == "navigate"
}

// fetchVary names the request headers that decide whether a page is
// injected, so that no cache serves a fragment's bytes to a navigation.
const fetchVary = "Sec-Fetch-Mode, HX-Request"

// noteUninjected says in the terminal, once per path, that a page a person
// navigated to will not update: it is HTML by its content, so the browser
// shows it as a page, but only .html and .htm files get the client.
func (f *fileServer) noteUninjected(r *http.Request, name string, file io.ReadSeeker) {
	if r.Header.Get("Sec-Fetch-Mode") != "navigate" || knownType(name) != "" {
		return
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(file, head)
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return // ServeContent will report it
	}
	if !strings.HasPrefix(http.DetectContentType(head[:n]), "text/html") {
		return
	}
	if _, seen := f.uninjected.LoadOrStore(name, true); !seen {
		f.log.Warn("a page is served without the live-reload script, so it will not update: it looks like HTML, but only .html and .htm files get the script; rename it",
			"path", name, "to", path.Base(name)+".html")
	}
}
