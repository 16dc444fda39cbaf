package testenv

import (
	"net"
	"testing"
)

// FreeAddr returns a loopback address, 127.0.0.1:port, whose port nobody
// listened on a moment ago: for a process the test starts, which must
// listen there itself.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln := Listen(t)
	defer ln.Close()
	return ln.Addr().String()
}

// Listen listens on a free loopback port until the test ends (or until
// the caller, or a server it is handed to, closes it first).
func Listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}
