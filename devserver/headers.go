package devserver

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// HeaderRule sets response headers on the URL paths its glob matches:
// COOP and COEP for a WebAssembly app, a Content-Security-Policy to try
// out, a Content-Type for an extension hotserve does not know.
type HeaderRule struct {
	// For is a doublestar glob on the URL path ("/**/*.wasm", "/api/**").
	// Default: "", every path.
	For string
	// Header holds the names to set and their values. A name a rule may
	// not set is refused by New (see CheckHeader).
	Header http.Header
}

// isolation is what Config.Isolate sets: the two headers that make a page
// cross-origin isolated, so that crossOriginIsolated is true and
// SharedArrayBuffer and WebAssembly threads work. Everything hotserve
// serves is same-origin with Cross-Origin-Resource-Policy (see guard), so
// its own script and socket still load under require-corp.
var isolation = http.Header{
	"Cross-Origin-Opener-Policy":   {"same-origin"},
	"Cross-Origin-Embedder-Policy": {"require-corp"},
}

// guardHeaders are the headers that keep SECURITY.md's promises on every
// response, which no rule may change; perResponse are those hotserve (or
// net/http) works out for each response, which a fixed value would break.
var (
	guardHeaders = []string{"Cross-Origin-Resource-Policy", "X-Content-Type-Options"}
	perResponse  = []string{"Connection", "Content-Encoding", "Content-Length", "Content-Range", "Etag",
		"Keep-Alive", "Last-Modified", "Server-Timing", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}
)

// CheckHeader returns why a rule may not set the response header name to
// value, or nil if it may: the name or value is not valid HTTP, or the
// header is one hotserve sets itself. CORS headers are --cors's
// (Security.CORSOrigins), which lists origins one by one; a rule's
// Access-Control-Allow-Origin: * would let every site read every file.
func CheckHeader(name, value string) error {
	canon := http.CanonicalHeaderKey(name)
	switch {
	case !validHeaderName(name):
		return fmt.Errorf("%q is not a header name; use letters, digits and - only, such as Cross-Origin-Opener-Policy", name)
	case !validHeaderValue(value):
		return fmt.Errorf("the value of %s holds a line break or another control character, which HTTP does not allow in a header", canon)
	case strings.HasPrefix(canon, "Access-Control-Allow-"):
		return fmt.Errorf("%s may not be set by a header rule: it would let other sites read your files; to let one origin read them, use --cors ORIGIN", canon)
	case slices.Contains(guardHeaders, canon):
		return fmt.Errorf("%s may not be set by a header rule: hotserve sends it on every response to keep other sites out (see SECURITY.md)", canon)
	case slices.Contains(perResponse, canon):
		return fmt.Errorf("%s may not be set by a header rule: hotserve works it out for each response", canon)
	}
	return nil
}

// validHeaderName reports whether name is an HTTP token (RFC 9110).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := range len(name) {
		c := name[i]
		if c < '!' || c > '~' || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether value may be sent as a header's value:
// no control character but tab, which is where response splitting starts.
func validHeaderValue(value string) bool {
	for i := range len(value) {
		if c := value[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// headerSet is Config.Isolate and Config.Headers, checked, in the order
// they apply: isolation first, so that a rule can change it.
type headerSet struct {
	rules []headerRule
}

// headerRule is one HeaderRule with its names canonical.
type headerRule struct {
	glob   string // "" for every path
	header http.Header
	// own says the rule also applies to hotserve's own responses under
	// /__hotserve/: isolation does (a page is isolated only if all it
	// loads is), the person's rules do not, so that a strict
	// Content-Security-Policy meant for the project's pages cannot break
	// the status page.
	own bool
}

// newHeaderSet checks what cfg asks for; it returns nil when there is
// nothing to set, so that serving pays nothing for the feature unused.
func newHeaderSet(cfg Config) (*headerSet, error) {
	var s headerSet
	if cfg.Isolate {
		s.rules = append(s.rules, headerRule{header: isolation, own: true})
	}
	for i, r := range cfg.Headers {
		field := "Headers[" + strconv.Itoa(i) + "]"
		glob := r.For
		if glob == "/**" {
			glob = ""
		}
		if glob != "" && (!strings.HasPrefix(glob, "/") || !doublestar.ValidatePattern(glob)) {
			return nil, &ConfigError{Field: field + ".For", Value: strconv.Quote(r.For), Problem: "is not a glob on the URL path; give one that starts with /, such as /**/*.wasm or /api/**"}
		}
		h := make(http.Header, len(r.Header))
		for name, values := range r.Header {
			for _, v := range values {
				if err := CheckHeader(name, v); err != nil {
					return nil, &ConfigError{Field: field + ".Header", Value: strconv.Quote(name), Problem: "is refused: " + err.Error(), Err: err}
				}
			}
			h[http.CanonicalHeaderKey(name)] = slices.Clone(values)
		}
		s.rules = append(s.rules, headerRule{glob: glob, header: h})
	}
	if len(s.rules) == 0 {
		return nil, nil
	}
	return &s, nil
}

// apply sets on h, the header of a response with status to the request
// for the URL path p, what the rules matching p say, later rules over
// earlier ones. Content-Type is set only on a success, so that the 404
// page for a missing .wasm is still an HTML page. For a response from the
// backend, before is what hotserve had set before the backend answered:
// a header the backend set itself is its own, and kept.
func (s *headerSet) apply(h http.Header, p string, status int, before http.Header) {
	own := strings.HasPrefix(p, prefix)
	for _, rule := range s.rules {
		if own && !rule.own || rule.glob != "" && !doublestar.MatchUnvalidated(rule.glob, p) {
			continue
		}
		for name, values := range rule.header {
			if name == "Content-Type" && status >= 300 {
				continue
			}
			if before != nil && !slices.Equal(h[name], before[name]) {
				continue
			}
			h[name] = values
		}
	}
}

// writer returns w made to set the headers of s on the response to r
// once its status is known.
func (s *headerSet) writer(w http.ResponseWriter, r *http.Request) *headerWriter {
	return &headerWriter{ResponseWriter: w, set: s, path: urlPath(r.URL.Path)}
}

// headerWriter is the ResponseWriter of every request when there are
// headers to set: hotserve's own pages, errors, files and listings are
// written through it, and so are the backend's responses (see proxied).
type headerWriter struct {
	http.ResponseWriter
	set  *headerSet
	path string
	// before is a copy of the header as hotserve had it when the request
	// went to the backend; nil for hotserve's own responses.
	before http.Header
	done   bool
}

// proxied marks w, if it sets headers, as about to carry the backend's
// response, and returns it.
func proxied(w http.ResponseWriter) http.ResponseWriter {
	if hw, ok := w.(*headerWriter); ok {
		hw.before = hw.Header().Clone()
	}
	return w
}

func (w *headerWriter) WriteHeader(code int) {
	if !w.done && code >= 200 { // informational responses (103) go as they are
		w.done = true
		w.set.apply(w.Header(), w.path, code, w.before)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *headerWriter) Write(p []byte) (int, error) {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// ReadFrom keeps sendfile for files (see deadlineWriter.ReadFrom).
func (w *headerWriter) ReadFrom(src io.Reader) (int64, error) {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(struct{ io.Writer }{w.ResponseWriter}, src)
}

// FlushError sends the header, then what is buffered; the proxy flushes
// server-sent events through it.
func (w *headerWriter) FlushError() error {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack hands the connection to a WebSocket, whose handshake answer the
// rules do not concern; gorilla/websocket asks for http.Hijacker itself.
func (w *headerWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.done = true
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Unwrap lets http.ResponseController reach the connection's controls.
func (w *headerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish sets the headers of a response its handler ended without
// writing, which net/http sends as 200 once the handler returns.
func (w *headerWriter) finish() {
	if !w.done {
		w.done = true
		w.set.apply(w.Header(), w.path, http.StatusOK, w.before)
	}
}
