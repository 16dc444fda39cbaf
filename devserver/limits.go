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

// HTTPServer returns an http.Server for s with the limits above. The
// WebSocket connections it hands over have limits of their own (a read
// limit, write deadlines, ping/pong; see hub), and no write timeout is
// set, so a large file can take as long as it needs on a slow link.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: ReadHeaderTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}
