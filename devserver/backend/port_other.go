//go:build !linux && !windows

package backend

import (
	"net"
	"strconv"
	"time"
)

// unnamedHolder is any holder: macOS and the BSDs tell which process owns
// a socket only through libproc or kernel structures that need cgo.
const unnamedHolder = "a process this OS does not name (lsof -nP -iTCP:%d -sTCP:LISTEN names it)"

// dialTimeout bounds a connection to a listener whose backlog is full,
// which counts as held.
const dialTimeout = 200 * time.Millisecond

// portHolder cannot name the holder here; it tells whether something
// listens by connecting over loopback, IPv4 and IPv6, which any listener on
// a loopback or wildcard address accepts. (A bind probe would mislead: BSD
// lets a socket with SO_REUSEADDR bind 127.0.0.1 while another holds the
// wildcard address, and Go sets SO_REUSEADDR.)
func portHolder(port int) (pid int, name string, listening bool) {
	for _, host := range []string{"127.0.0.1", "::1"} {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(port)), dialTimeout)
		if err == nil {
			c.Close()
			return 0, "", true
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return 0, "", true
		}
	}
	return 0, "", false
}
