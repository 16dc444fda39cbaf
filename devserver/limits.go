package devserver

import (
	"net/http"
	"time"
)

// Limits on every connection, so that a slow or hostile client holds
// nothing for long: Go's http.Server has no header or idle timeout unless
// one is set, and a client that sends one header byte at a time (slowloris)
// would hold its connection forever.
const (
	// ReadHeaderTimeout is how long a client may take to send its request
	// headers.
	ReadHeaderTimeout = 10 * time.Second
	// IdleTimeout closes keep-alive connections that send nothing more.
	IdleTimeout = 2 * time.Minute
	// MaxHeaderBytes bounds the request headers (431 above it). Browsers
	// send a few KiB.
	MaxHeaderBytes = 64 << 10
)

// writeIdle is how long a file, a listing or a 404 page may go without
// the browser taking any of it before its connection is closed (see
// withWriteDeadline). A live reader, however slow, takes some every few
// seconds.
const writeIdle = 30 * time.Second

// HTTPServer returns an http.Server for s with the limits above. It sets
// no WriteTimeout, which bounds a whole response, so that a large file can
// take as long as it needs on a slow link: instead the file server's
// responses must keep moving (writeIdle). The WebSocket connections it
// hands over have limits of their own (a read limit, write deadlines,
// ping/pong; see hub). The proxy has none: a backend's stream may
// rightly pause for minutes, and its pages are bounded (maxInject).
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: ReadHeaderTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}
