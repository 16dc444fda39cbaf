package main

import (
	"errors"
	"net"
	"os"
	"strconv"
	"sync"
	"time"
)

// listenOn binds host:port. "localhost" (the default) binds 127.0.0.1 and,
// where the machine has IPv6, ::1 on the same port: browsers may resolve
// localhost to either, and nothing beyond this machine can connect.
func listenOn(host string, port int) (net.Listener, error) {
	if host != "localhost" {
		return net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	}
	v4, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, err
	}
	v6, err := net.Listen("tcp6", net.JoinHostPort("::1", strconv.Itoa(v4.Addr().(*net.TCPAddr).Port)))
	switch {
	case err == nil:
		return newLoopback(v4, v6), nil
	case addrInUse(err):
		// Another server has the port on ::1: a browser could reach it
		// instead of us, so the port counts as taken.
		v4.Close()
		return nil, err
	default:
		return v4, nil // no IPv6 loopback here
	}
}

// loopback is one listener made of 127.0.0.1 and ::1. Addr is the IPv4
// one, so the printed URL is http://127.0.0.1:port/.
type loopback struct {
	lns   [2]net.Listener
	conns chan accepted
	done  chan struct{}
	once  sync.Once

	mu       sync.Mutex
	deadline time.Time
	changed  chan struct{} // closed and replaced by SetDeadline
}

type accepted struct {
	conn net.Conn
	err  error
}

func newLoopback(v4, v6 net.Listener) *loopback {
	l := &loopback{lns: [2]net.Listener{v4, v6}, conns: make(chan accepted), done: make(chan struct{}), changed: make(chan struct{})}
	for _, ln := range l.lns {
		go l.accept(ln)
	}
	return l
}

// accept hands ln's connections to Accept, one at a time, so that an
// http.Server's backoff on errors such as EMFILE still applies.
func (l *loopback) accept(ln net.Listener) {
	for {
		c, err := ln.Accept()
		select {
		case l.conns <- accepted{c, err}:
		case <-l.done:
			if c != nil {
				c.Close()
			}
			return
		}
		if errors.Is(err, net.ErrClosed) {
			return
		}
	}
}

func (l *loopback) Accept() (net.Conn, error) {
	for {
		l.mu.Lock()
		deadline, changed := l.deadline, l.changed
		l.mu.Unlock()
		var timeout <-chan time.Time
		if !deadline.IsZero() {
			t := time.NewTimer(time.Until(deadline))
			defer t.Stop()
			timeout = t.C
		}
		select {
		case a := <-l.conns:
			return a.conn, a.err
		case <-l.done:
			return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.Addr(), Err: net.ErrClosed}
		case <-timeout:
			return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.Addr(), Err: os.ErrDeadlineExceeded}
		case <-changed:
		}
	}
}

// SetDeadline makes Accept return a timeout at t (zero: never), as
// net.TCPListener does; the session uses it to hand the listener over.
func (l *loopback) SetDeadline(t time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.deadline = t
	close(l.changed)
	l.changed = make(chan struct{})
	return nil
}

func (l *loopback) Close() error {
	l.once.Do(func() { close(l.done) })
	return errors.Join(l.lns[0].Close(), l.lns[1].Close())
}

func (l *loopback) Addr() net.Addr { return l.lns[0].Addr() }
