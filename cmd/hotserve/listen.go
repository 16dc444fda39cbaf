package main

import (
	"fmt"
	"net"
	"strconv"
)

// portTries is how many ports above the asked-for one are tried when it is
// taken.
const portTries = 20

// listen binds host:port before anything else starts, so that a busy port
// fails fast. When the port is taken and strict is false, it moves up to the
// next free one and says so through moved.
func listen(host string, port int, strict bool) (ln net.Listener, moved string, err error) {
	for try := 0; ; try++ {
		ln, err = listenOn(host, port+try)
		if err == nil {
			if try > 0 {
				moved = fmt.Sprintf("port %d is in use, using %d instead", port, port+try)
			}
			return ln, moved, nil
		}
		if !addrInUse(err) {
			return nil, "", fmt.Errorf("cannot listen on %s: %w; check --host", net.JoinHostPort(host, strconv.Itoa(port)), err)
		}
		if strict || port == 0 {
			return nil, "", fmt.Errorf("port %d is in use (another hotserve or dev server?); choose another with --port, or drop --strict-port to take the next free one", port)
		}
		if try+1 >= portTries || port+try+1 > 65535 {
			return nil, "", fmt.Errorf("ports %d-%d are all in use; choose another with --port, or --port 0 for any free port", port, port+try)
		}
	}
}
