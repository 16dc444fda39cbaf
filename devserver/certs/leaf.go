package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"
)

// leafLifetime keeps a leaf well inside what every browser accepts (398
// days for public authorities, 825 for Apple's rules on local ones). Leaves
// are made at each start; Leaves.GetCertificate makes a new one before this
// runs out in a server that runs for weeks.
const leafLifetime = 30 * 24 * time.Hour

// Permits reports whether the authority's name constraints allow host, a
// DNS name or an IP address: a leaf naming anything else would be refused
// by every client that checks them.
func Permits(host string) bool {
	if ip := net.ParseIP(host); ip != nil {
		for _, r := range PermittedRanges {
			if _, n, _ := net.ParseCIDR(r); n.Contains(ip) {
				return true
			}
		}
		return false
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return slices.ContainsFunc(PermittedDomains, func(d string) bool {
		return host == d || strings.HasSuffix(host, "."+d)
	})
}

// Leaf makes a server certificate for names (DNS names and IP addresses),
// valid from now, with a new key. Names the constraints do not permit are
// an error, since no client would accept them.
func (ca *CA) Leaf(names []string, now time.Time) (*tls.Certificate, error) {
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{Organization: []string{"hotserve development certificate"}},
		NotBefore:    now.Add(-time.Hour), // a phone's clock may be a little behind
		NotAfter:     now.Add(leafLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if !Permits(n) {
			return nil, fmt.Errorf("certs: %s is outside the local names the authority may vouch for", n)
		}
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der, ca.Cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// Leaves hands out a leaf for a fixed set of names, and a new one when the
// current one is a day from running out.
type Leaves struct {
	ca    *CA
	names []string
	mu    sync.Mutex
	cur   *tls.Certificate
}

// NewLeaves makes the first leaf for names at once, so that a problem shows
// at start.
func (ca *CA) NewLeaves(names []string) (*Leaves, error) {
	l := &Leaves{ca: ca, names: names}
	_, err := l.GetCertificate(nil)
	return l, err
}

// GetCertificate is a tls.Config.GetCertificate.
func (l *Leaves) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.cur == nil || now.After(l.cur.Leaf.NotAfter.Add(-24*time.Hour)) {
		c, err := l.ca.Leaf(l.names, now)
		if err != nil {
			return nil, err
		}
		l.cur = c
	}
	return l.cur, nil
}
