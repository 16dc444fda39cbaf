package devserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"sync"
)

// baselinePath serves a page exactly as a tab's document was made from it,
// without the client: the baseline of the tab's first morph (README: "HTML
// edits applied in place"). The tab could fetch its own URL instead, but a
// save that lands between its navigation and that fetch would make the
// baseline the new page, and the morph would then change nothing.
const baselinePath = prefix + "page"

// Budget of the pages kept for baselinePath: the last baselineCount pages
// served to a navigation, at most baselineBytes together. A page evicted
// before its tab asks is answered 404, and the tab's first morph compares
// with the live document instead.
const (
	baselineCount = 64
	baselineBytes = 8 << 20
)

// baselines keeps the pages served to navigations by their hash, which the
// response names in its Server-Timing (hotserve-page), most recent last.
type baselines struct {
	mu    sync.Mutex
	pages map[string][]byte
	order []string // oldest first
	size  int
}

// keep remembers page, the bytes served without the client, as hash. The
// caller gives up page: it is kept, not copied.
func (b *baselines) keep(hash string, page []byte) {
	if len(page) > baselineBytes {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pages == nil {
		b.pages = map[string][]byte{}
	}
	if _, ok := b.pages[hash]; ok {
		b.drop(hash)
	}
	b.pages[hash] = page
	b.order = append(b.order, hash)
	b.size += len(page)
	for len(b.order) > baselineCount || b.size > baselineBytes {
		b.drop(b.order[0])
	}
}

// drop forgets hash; b.mu is held.
func (b *baselines) drop(hash string) {
	for i, h := range b.order {
		if h == hash {
			b.order = append(b.order[:i], b.order[i+1:]...)
			break
		}
	}
	b.size -= len(b.pages[hash])
	delete(b.pages, hash)
}

// page returns the page kept as hash.
func (b *baselines) page(hash string) ([]byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, ok := b.pages[hash]
	return p, ok
}

// serveBaseline answers GET baselinePath?v=HASH with the page kept as HASH.
// Only hotserve's own client asks, with the page's token, from the page's
// origin (a same-origin GET carries no Origin, so one that is there must
// be this server's): what it gets is a page it was served already, never a file the
// folder's rules would hide.
func (s *Server) serveBaseline(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "hotserve: a baseline is fetched with GET", http.StatusMethodNotAllowed)
		return
	case subtle.ConstantTimeCompare([]byte(r.Header.Get("X-Hotserve-Token")), []byte(s.guard.token)) != 1:
		http.Error(w, "hotserve: the request had no valid token; reload the page if hotserve restarted", http.StatusForbidden)
		return
	case r.Header.Get("Origin") != "" && !s.guard.ownOrigin(r) || r.Header.Get("Sec-Fetch-Site") != "" && r.Header.Get("Sec-Fetch-Site") != "same-origin":
		http.Error(w, "hotserve: the request came from another origin", http.StatusForbidden)
		return
	}
	page, ok := s.files.kept().page(r.URL.Query().Get("v"))
	if !ok {
		http.Error(w, "hotserve no longer holds that page; the first morph compares with the live document", http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodGet {
		w.Write(page)
	}
}

// kept is where f keeps the pages it served for baselinePath: the root's,
// for a mount, as the client asks the server, not a tree.
func (f *fileServer) kept() *baselines {
	if f.top != nil {
		return &f.top.baselines
	}
	return &f.baselines
}

// pageHash names page, the bytes a tab's document is made from (without
// the client), as the response's Server-Timing names it (hotserve-page).
func pageHash(page []byte) string {
	sum := sha256.Sum256(page)
	return fmt.Sprintf("%x", sum[:16])
}
