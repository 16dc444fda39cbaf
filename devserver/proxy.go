package devserver

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

// Limits of the proxy.
const (
	// holdTimeout bounds how long a request waits for a restarting
	// backend before it is sent anyway (and probably fails with 502).
	holdTimeout = 30 * time.Second
	// maxInject is the largest HTML body the client is injected into;
	// a bigger one passes through untouched.
	maxInject = 16 << 20
)

// proxy forwards requests to the backend with httputil.ReverseProxy and
// injects the client into its HTML pages. Streams (Server-Sent Events, any
// body without a length) are flushed as they come, which ReverseProxy does
// by itself, and WebSocket upgrades pass through.
type proxy struct {
	target *url.URL
	// m maps the paths of a route to the backend's and back; nil for
	// Proxy.URL, whose paths go as they are.
	m   *pathMap
	tag []byte // the client's script element
	rp  *httputil.ReverseProxy
	// ready, when set, returns a channel that is open while the backend
	// restarts; requests wait on it rather than fail.
	ready func() <-chan struct{}
	log   *slog.Logger
	// secureWarned is set once warnSecure has spoken.
	secureWarned atomic.Bool
	// kept keeps the pages it injects for the tabs' baselines, as the
	// files do (see baselinePath), so that a tab does not ask the
	// backend for its page a second time: a page with a per-request
	// token or counter would be another page.
	kept *baselines
	// mods learns the import maps of the pages it injects, for the
	// folder's modules they load (see modules.learnImportMap).
	mods *modules
}

// Proxy sends requests to the project's own server (see Config.Backend),
// which then sees its own Host, with X-Forwarded-Host/-Proto/-For saying
// where the request came from; HTML comes back with the client injected.
type Proxy struct {
	// URL is the backend's ("http://127.0.0.1:3000"). Requests that are
	// not for a file in Root go there. Default: none, no proxy.
	URL string
	// All sends every request to URL, files in Root included.
	// Default: false.
	All bool
	// Backend names the backend behind URL, as Route.Backend does.
	// Default: Config.Backend when there is one, else none.
	Backend string
}

// Context keys: the request as it arrived (ReverseProxy hands its error
// handler and ModifyResponse the rewritten one), and a mark on a request
// already retried.
type (
	inKey      struct{}
	retriedKey struct{}
)

// newProxy makes the proxy for the backend at target, an http:// URL,
// injecting tag into its pages.
func newProxy(target, tag string, ready func() <-chan struct{}, log *slog.Logger) (*proxy, error) {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &ConfigError{Field: "Proxy.URL", Value: strconv.Quote(target), Problem: "is not an http:// or https:// URL; use e.g. http://127.0.0.1:3000"}
	}
	p := &proxy{target: u, tag: []byte(tag), ready: ready, log: log}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// A browser loads a page's assets six at a time and more over HTTP/2:
	// keep that many connections to the backend open, not
	// DefaultTransport's two.
	tr.MaxIdleConnsPerHost = 32
	// The backend is the user's own server: never reach it through
	// HTTP_PROXY.
	tr.Proxy = nil
	// Pass on the Accept-Encoding the browser sent (see rewrite) rather
	// than have the transport ask for gzip and decode it behind our back.
	tr.DisableCompression = true
	p.rp = &httputil.ReverseProxy{
		Transport:      tr,
		Rewrite:        p.rewrite,
		ModifyResponse: p.modify,
		ErrorHandler:   p.fail,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		BufferPool:     copyBuffers{},
	}
	return p, nil
}

// ServeHTTP forwards r. The guard has already refused foreign hosts and
// WebSocket handshakes from foreign origins.
func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.ready != nil {
		p.hold(r) // else there is nothing to hold for or retry after
	}
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), inKey{}, r)))
}

// hold waits while the backend restarts, up to holdTimeout.
func (p *proxy) hold(r *http.Request) {
	if p.ready == nil {
		return
	}
	select {
	case <-p.ready(): // up: the common case needs no timer
		return
	default:
	}
	t := time.NewTimer(holdTimeout)
	defer t.Stop()
	select {
	case <-p.ready():
	case <-t.C:
	case <-r.Context().Done():
	}
}

// rewrite sends the request to the backend, whatever its URL or Host
// said. The backend sees its own Host, as if called directly, and
// X-Forwarded-Host/-Proto/-For say where the request came from; an Origin
// of ours becomes the backend's, so its same-origin checks (WebSocket
// handshakes, CSRF) pass. Only encodings the proxy can decode are offered,
// so that HTML can always be injected: no br, no zstd. A page the browser
// navigates to is asked for uncompressed: it would be decoded here to take
// the client anyway, so compressing it would only cost both ends CPU.
func (p *proxy) rewrite(pr *httputil.ProxyRequest) {
	pr.SetURL(p.target)
	pr.SetXForwarded()
	if p.m != nil {
		p.mapPath(pr)
	}
	if o := pr.In.Header.Get("Origin"); o != "" && sameOrigin(pr.In) {
		pr.Out.Header.Set("Origin", p.target.Scheme+"://"+p.target.Host)
	}
	if ae := pr.In.Header.Get("Accept-Encoding"); ae != "" {
		if kept := decodable(ae); kept != "" && !navigation(pr.In) {
			pr.Out.Header.Set("Accept-Encoding", kept)
		} else {
			pr.Out.Header.Set("Accept-Encoding", "identity")
		}
	}
}

// navigation reports whether r asks for a page to show, one that gets the
// client if it is HTML: a browser's navigation, or a request without
// Fetch metadata that accepts HTML.
func navigation(r *http.Request) bool {
	if !wantsClient(r) {
		return false
	}
	switch r.Header.Get("Sec-Fetch-Dest") {
	case "document", "iframe", "frame":
		return true
	case "":
		return strings.Contains(r.Header.Get("Accept"), "text/html")
	}
	return false
}

// decodable keeps the codings of an Accept-Encoding value that the proxy
// can decode, with their weights.
func decodable(ae string) string {
	var kept []string
	for part := range strings.SplitSeq(ae, ",") {
		name, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "gzip", "x-gzip", "deflate", "identity":
			kept = append(kept, strings.TrimSpace(part))
		}
	}
	return strings.Join(kept, ", ")
}

// modify rewrites the backend's cookies for our host and paths (see
// cookies.go), redirects to the backend's origin into ours, and injects
// the client into HTML pages. The page is read into a pooled buffer
// sized by Content-Length and sent on from there as the part before the
// insertion point, the tag and the rest, so that a page costs no
// allocation and no copy beyond the one read.
func (p *proxy) modify(resp *http.Response) error {
	if lines := resp.Header["Set-Cookie"]; lines != nil && p.cookies(resp, lines) {
		p.warnSecure(resp.Request)
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		if in := resp.Request.Header.Get("X-Forwarded-Host"); in != "" { // set by rewrite
			resp.Header.Set("Location", p.localLocation(loc, in, resp.Request.Header.Get("X-Forwarded-Proto")))
		}
		if p.m != nil && strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") {
			resp.Header.Set("Location", p.m.localRef(loc))
		}
	}
	if !injectable(resp) {
		return nil
	}
	if resp.Request.Method == http.MethodHead {
		// A GET gets the client injected and the page decoded, so its
		// length and encoding are not the backend's: say neither.
		resp.Header.Del("Content-Length")
		resp.Header.Del("Content-Encoding")
		resp.ContentLength = -1
		return nil
	}
	raw := getPage(resp.ContentLength)
	_, err := raw.ReadFrom(io.LimitReader(resp.Body, maxInject+1))
	if err != nil {
		putPage(raw)
		return err
	}
	if raw.Len() > maxInject {
		resp.Body = &pageBody{parts: [3][]byte{raw.Bytes()}, bufs: [2]*bytes.Buffer{raw}, rest: resp.Body}
		return nil
	}
	resp.Body.Close()
	page, err := decode(resp.Header.Get("Content-Encoding"), raw)
	if err != nil {
		// Say so, and pass on what the backend sent.
		p.log.Warn("cannot decode a backend page to inject the client", "path", resp.Request.URL.Path, "err", err)
		resp.Body = &pageBody{parts: [3][]byte{raw.Bytes()}, bufs: [2]*bytes.Buffer{raw}}
		return nil
	}
	body := &pageBody{bufs: [2]*bytes.Buffer{raw, page}}
	if page == raw {
		body.bufs[1] = nil
	}
	b := page.Bytes()
	n := len(b)
	if at := injectAt(b, p.tag); at < 0 {
		body.parts[0] = b
	} else {
		body.parts = [3][]byte{b[:at], p.tag, b[at:]}
		n += len(p.tag)
		p.keep(resp.Header, b)
		if in, ok := resp.Request.Context().Value(inKey{}).(*http.Request); ok && p.mods != nil {
			p.mods.learnImportMap(urlPath(in.URL.Path), b) // the page's URL path, as the browser resolves the map
		}
	}
	resp.Header.Add("Vary", fetchVary)
	resp.Body = body
	resp.ContentLength = int64(n)
	resp.Header.Set("Content-Length", strconv.Itoa(n))
	resp.Header.Del("Content-Encoding")
	resp.TransferEncoding = nil
	return nil
}

// keep keeps a copy of the backend's page b (b's buffer goes back to its
// pool), for the baseline of the tab it is injected for, and names it in
// the response's Server-Timing as a page from the folder is.
func (p *proxy) keep(h http.Header, b []byte) {
	if p.kept == nil || len(b) > baselineBytes {
		return
	}
	hash := pageHash(b)
	p.kept.keep(hash, bytes.Clone(b))
	h.Add("Server-Timing", `hotserve-page;desc="`+hash+`"`)
}

// injectable reports whether resp is an HTML page for a browser to show
// (not a fragment fetched by script: see wantsClient) in a body the proxy
// can decode.
func injectable(resp *http.Response) bool {
	req := resp.Request
	if resp.StatusCode < 200 || resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified {
		return false
	}
	if !htmlType(resp.Header.Get("Content-Type")) || !wantsClient(req) {
		return false
	}
	switch strings.ToLower(resp.Header.Get("Content-Encoding")) {
	case "", "identity", "gzip", "x-gzip", "deflate":
		return true
	}
	return false
}

// htmlType reports whether a Content-Type is text/html, whatever its case
// and parameters; mime.ParseMediaType would allocate a map for those.
func htmlType(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "text/html")
}

// decode undoes a Content-Encoding into a pooled buffer, or returns raw
// itself for an identity body. "deflate" is meant to be zlib-wrapped
// (RFC 9110) but some servers send raw deflate; both are accepted.
func decode(encoding string, raw *bytes.Buffer) (*bytes.Buffer, error) {
	var r io.Reader
	var err error
	switch strings.ToLower(encoding) {
	case "", "identity":
		return raw, nil
	case "gzip", "x-gzip":
		r, err = gzip.NewReader(bytes.NewReader(raw.Bytes()))
	case "deflate":
		r, err = zlib.NewReader(bytes.NewReader(raw.Bytes()))
		if err != nil {
			r, err = flate.NewReader(bytes.NewReader(raw.Bytes())), nil
		}
	}
	if err != nil {
		return nil, err
	}
	page := getPage(int64(4 * raw.Len()))
	if _, err := page.ReadFrom(io.LimitReader(r, maxInject)); err != nil {
		putPage(page)
		return nil, err
	}
	return page, nil
}

// pageBody is a response body held in pooled buffers: up to three parts
// sent in order (a page, or a page around the tag), then rest, what is
// left of a page too big to inject. Close gives the buffers back.
type pageBody struct {
	parts [3][]byte
	bufs  [2]*bytes.Buffer
	rest  io.ReadCloser
}

// Read fills p from as many parts as fit, so that a page is written to
// the browser in one piece.
func (b *pageBody) Read(p []byte) (int, error) {
	n := 0
	for i := range b.parts {
		c := copy(p[n:], b.parts[i])
		b.parts[i] = b.parts[i][c:]
		n += c
		if n == len(p) {
			return n, nil
		}
	}
	if n > 0 {
		return n, nil
	}
	if b.rest != nil {
		return b.rest.Read(p)
	}
	return 0, io.EOF
}

func (b *pageBody) Close() error {
	b.parts = [3][]byte{}
	for i, buf := range b.bufs {
		if buf != nil {
			putPage(buf)
			b.bufs[i] = nil
		}
	}
	if b.rest != nil {
		return b.rest.Close()
	}
	return nil
}

// pages holds the buffers pages are read and decoded into.
var pages = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// getPage returns an empty buffer with room for size bytes (when known)
// and the read that finds the end.
func getPage(size int64) *bytes.Buffer {
	buf := pages.Get().(*bytes.Buffer)
	if size > 0 {
		buf.Grow(int(min(size, maxInject)) + bytes.MinRead)
	}
	return buf
}

// putPage keeps buf for another page unless it grew past what pages
// usually need, so that one huge page is not held on to.
func putPage(buf *bytes.Buffer) {
	if buf.Cap() > 1<<20 {
		return
	}
	buf.Reset()
	pages.Put(buf)
}

// copyBuffers lends ReverseProxy the buffers it copies bodies through
// (32 KB each, by default allocated per request).
type copyBuffers struct{}

var copyPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (copyBuffers) Get() []byte { return *copyPool.Get().(*[]byte) }

func (copyBuffers) Put(b []byte) { copyPool.Put(&b) }

// localLocation turns a redirect to the backend's own origin (also when it
// names itself localhost rather than 127.0.0.1) into one to ours, host
// with scheme (X-Forwarded-Proto: https when the browser came over TLS).
// Behind TLS, a redirect to http://host, ours, as a backend that reads
// X-Forwarded-Host but not -Proto makes, becomes https:// too: the browser
// would otherwise leave the secure context, and the plain port only
// redirects back.
func (p *proxy) localLocation(loc, host, scheme string) string {
	u, err := url.Parse(loc)
	if err != nil || u.Host == "" {
		return loc
	}
	ours := scheme == "https" && u.Scheme == "http" && strings.EqualFold(u.Host, host)
	backend := u.Scheme == p.target.Scheme && u.Port() == p.target.Port() &&
		(u.Hostname() == p.target.Hostname() || loopbackName(u.Hostname()) && loopbackName(p.target.Hostname()))
	if !ours && !backend {
		return loc
	}
	if backend && p.m != nil {
		p.m.localURL(u)
	}
	u.Scheme, u.Host = scheme, host
	return u.String()
}

// fail answers when the backend could not be reached. A GET or HEAD that
// found it down while it was being restarted waits for it and is tried
// once more; anything else gets a 502 page that carries the client, so the
// tab reloads once the backend is back.
func (p *proxy) fail(w http.ResponseWriter, r *http.Request, err error) {
	if in, ok := r.Context().Value(inKey{}).(*http.Request); ok && p.ready != nil && retriable(r, err) {
		p.hold(in)
		p.rp.ServeHTTP(w, in.WithContext(context.WithValue(in.Context(), retriedKey{}, true)))
		return
	}
	if errors.Is(err, context.Canceled) {
		return // the browser went away
	}
	p.log.Warn("the backend did not answer", "path", r.URL.Path, "err", err)
	body := fmt.Sprintf(badGatewayPage, html.EscapeString(p.target.String()), p.tag) // the error itself is in the terminal
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusBadGateway)
	io.WriteString(w, body)
}

// retriable reports whether r can safely be sent again after err: it has
// no body, has not been retried, and never reached a backend.
func retriable(r *http.Request, err error) bool {
	if r.Context().Value(retriedKey{}) != nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) || websocket.IsWebSocketUpgrade(r) {
		return false
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF)
}

const badGatewayPage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Backend not answering</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:.1em .3em;word-break:break-all}</style>
</head>
<body>
<h1>The backend is not answering</h1>
<p>hotserve could not reach <code>%s</code>.</p>
<p>See the hotserve terminal. This page reloads when the backend is back.</p>
%s
</body>
</html>
`

// sameOrigin reports whether the request has no Origin or one naming this
// server's own Host.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}
