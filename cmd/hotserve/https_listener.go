package main

import (
	"crypto/tls"
	"net"
	"sync"
	"time"
)

// sniffTimeout is how long a new connection has to send its first byte
// before it is dropped.
const sniffTimeout = 10 * time.Second

// tlsRecordHandshake is the first byte of every TLS connection: a
// handshake record. No HTTP method starts with it.
const tlsRecordHandshake = 0x16

// sniffListener serves TLS and plain HTTP on one port: it reads the first
// byte of each connection and hands the connection on as a *tls.Conn
// (which http.Server then treats as TLS, HTTP/2 included) or as it is, to
// be redirected. The first byte is read in a goroutine of its own, so that
// a client that connects and says nothing holds up no one else.
//
// It does not close the listener it wraps: a session stops serving it by
// its deadline (keepOpen), and stop ends the goroutines.
type sniffListener struct {
	net.Listener
	tls   *tls.Config
	conns chan net.Conn
	errs  chan error
	done  chan struct{}
	// looped is closed when acceptLoop has returned.
	looped chan struct{}
	stopO  sync.Once
}

func newSniffListener(ln net.Listener, cfg *tls.Config) *sniffListener {
	l := &sniffListener{Listener: ln, tls: cfg, conns: make(chan net.Conn), errs: make(chan error),
		done: make(chan struct{}), looped: make(chan struct{})}
	go l.acceptLoop()
	return l
}

// Accept returns the next connection whose first byte has come.
func (l *sniffListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case err := <-l.errs:
		return nil, err
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// acceptLoop accepts connections until stop, passing Accept's errors on
// (http.Server retries the temporary ones and stops at its own
// shutdown).
func (l *sniffListener) acceptLoop() {
	defer close(l.looped)
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			select {
			case l.errs <- err:
				continue
			case <-l.done:
				return
			}
		}
		go l.sniff(c)
	}
}

// sniff reads c's first byte and hands c to Accept.
func (l *sniffListener) sniff(c net.Conn) {
	var first [1]byte
	c.SetReadDeadline(time.Now().Add(sniffTimeout))
	_, err := c.Read(first[:])
	c.SetReadDeadline(time.Time{})
	if err != nil {
		c.Close()
		return
	}
	var conn net.Conn = &peekedConn{Conn: c, first: first[:]}
	if first[0] == tlsRecordHandshake {
		conn = tls.Server(conn, l.tls)
	}
	select {
	case l.conns <- conn:
	case <-l.done:
		c.Close()
	}
}

// SetDeadline lets keepOpen interrupt Accept without closing the
// listener.
func (l *sniffListener) SetDeadline(t time.Time) error {
	if d, ok := l.Listener.(interface{ SetDeadline(time.Time) error }); ok {
		return d.SetDeadline(t)
	}
	return nil
}

// stop ends the goroutines, once the server no longer accepts, and waits
// for the accepting one: left blocked in Accept, it would take the next
// session's first connection.
func (l *sniffListener) stop() {
	l.stopO.Do(func() {
		l.SetDeadline(time.Now())
		close(l.done)
		<-l.looped
	})
}

// peekedConn gives back the byte read to tell TLS from plain HTTP.
type peekedConn struct {
	net.Conn
	first []byte
}

func (c *peekedConn) Read(p []byte) (int, error) {
	if len(c.first) > 0 && len(p) > 0 {
		n := copy(p, c.first)
		c.first = c.first[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}
