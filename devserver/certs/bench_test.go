package certs

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"testing"
	"time"
)

// BenchmarkStartCost is what --https adds to every start: reading the
// authority and making a leaf (a new P-256 key, one signature).
func BenchmarkStartCost(b *testing.B) {
	b.Setenv("XDG_DATA_HOME", b.TempDir())
	b.Setenv("HOME", b.TempDir())
	if _, _, err := LoadOrCreate(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ca, err := Load()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ca.NewLeaves([]string{"localhost", "127.0.0.1", "::1", "box.local", "192.168.1.20"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHandshake is the cost of one new connection over loopback: a
// full TLS 1.3 handshake with the leaf (no resumption), client and server
// both in this process, so ns/op is both ends' CPU.
func BenchmarkHandshake(b *testing.B) {
	b.Setenv("XDG_DATA_HOME", b.TempDir())
	b.Setenv("HOME", b.TempDir())
	ca, _, err := LoadOrCreate()
	if err != nil {
		b.Fatal(err)
	}
	leaves, err := ca.NewLeaves([]string{"localhost"})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	srvCfg := &tls.Config{GetCertificate: leaves.GetCertificate, NextProtos: []string{"h2", "http/1.1"}}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				tc := tls.Server(c, srvCfg)
				tc.Handshake()
				tc.Close()
			}()
		}
	}()
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	cliCfg := &tls.Config{RootCAs: roots, ServerName: "localhost", NextProtos: []string{"h2"}}
	b.Run("tls", func(b *testing.B) {
		for b.Loop() {
			c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", ln.Addr().String(), cliCfg)
			if err != nil {
				b.Fatal(err)
			}
			c.Close()
		}
	})
	// The same connection without TLS, for comparison: the server end
	// waits for a handshake that never comes and sees the close.
	b.Run("tcp", func(b *testing.B) {
		for b.Loop() {
			c, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
			if err != nil {
				b.Fatal(err)
			}
			c.Close()
		}
	})
}
