package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"

	"github.com/hotserve/hotserve/devserver/certs"
)

// httpsOptions is what --https, --cert and --key ask for.
type httpsOptions struct {
	on        bool
	cert, key string // the person's own certificate, instead of the local authority's
}

// enabled reports whether the session serves TLS: --https, or a
// certificate of one's own.
func (h httpsOptions) enabled() bool { return h.on || h.cert != "" || h.key != "" }

// httpsSetup is a session's TLS: its configuration, and the local
// authority when the certificate comes from it.
type httpsSetup struct {
	tls   *tls.Config
	ca    *certs.CA // nil with --cert/--key
	notes []string  // for the banner
}

// setupHTTPS makes the session's TLS configuration, or nil without
// --https. The leaf is made now, in memory, for every name this server
// answers to on ln (see leafNames).
func setupHTTPS(o options, ln net.Listener) (*httpsSetup, error) {
	h := o.https
	if !h.enabled() {
		return nil, nil
	}
	s := &httpsSetup{tls: &tls.Config{MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}}}
	if h.cert != "" || h.key != "" {
		if h.cert == "" || h.key == "" {
			return nil, errors.New("--cert and --key go together: give the certificate file and its key file")
		}
		pair, err := tls.LoadX509KeyPair(h.cert, h.key)
		if err != nil {
			return nil, fmt.Errorf("cannot use --cert %s --key %s: %v", h.cert, h.key, err)
		}
		s.tls.Certificates = []tls.Certificate{pair}
		return s, nil
	}
	ca, created, err := certs.LoadOrCreate()
	if err != nil {
		return nil, fmt.Errorf("cannot set up the local certificate authority: %v", err)
	}
	if created {
		s.notes = append(s.notes, "made a local certificate authority in "+ca.Dir+"; run hotserve trust once so this machine's browsers trust it")
	}
	names, left := leafNames(o, ln)
	if len(left) > 0 {
		s.notes = append(s.notes, "HTTPS: the local authority may vouch only for local names and private addresses, not "+
			strings.Join(left, ", ")+"; use a .local name, or --cert and --key")
	}
	leaves, err := ca.NewLeaves(names)
	if err != nil {
		return nil, fmt.Errorf("cannot make the HTTPS certificate: %v", err)
	}
	s.tls.GetCertificate = leaves.GetCertificate
	s.ca = ca
	return s, nil
}

// leafNames are the names the leaf is for: this machine's loopback names,
// its host name and HOSTNAME.local, the addresses ln listens on (every
// interface's when it listens on all), --host and each --allowed-host.
// Those the authority may not vouch for are left out and returned in
// left, to say so.
func leafNames(o options, ln net.Listener) (names, left []string) {
	add := func(n string) {
		n = strings.ToLower(strings.TrimSuffix(n, "."))
		switch {
		case n == "" || slices.Contains(names, n) || slices.Contains(left, n):
		case certs.Permits(n):
			names = append(names, n)
		default:
			left = append(left, n)
		}
	}
	for _, n := range []string{"localhost", "127.0.0.1", "::1"} {
		add(n)
	}
	if host, err := os.Hostname(); err == nil {
		if certs.Permits(host) {
			add(host)
		}
		add(strings.Split(host, ".")[0] + ".local")
	}
	for _, n := range append([]string{o.host}, o.security.AllowedHosts...) {
		if n != "0.0.0.0" && n != "::" {
			add(n)
		}
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsUnspecified() {
		add(tcp.IP.String())
	} else if ok {
		addrs, _ := net.InterfaceAddrs()
		for _, a := range addrs {
			if ipnet, ok := a.(*net.IPNet); ok {
				add(ipnet.IP.String())
			}
		}
	}
	return names, left
}

// secureURL is url with https:// when the session serves TLS.
func (s *httpsSetup) secureURL(url string) string {
	if s == nil {
		return url
	}
	return "https://" + strings.TrimPrefix(url, "http://")
}

// phoneURL is what the banner's QR code opens: with the local authority,
// its page in plain HTTP, where a phone gets the certificate before it
// opens network over HTTPS; else network itself.
func (s *httpsSetup) phoneURL(network string) string {
	if s == nil || s.ca == nil {
		return s.secureURL(network)
	}
	return strings.TrimSuffix(network, "/") + "/__hotserve/ca"
}
