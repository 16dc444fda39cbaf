package devserver

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver/certs"
	"github.com/hotserve/hotserve/internal/testenv"
)

// startHTTPS serves cfg with HTTPS set over TLS with a leaf of a new local
// authority, and the same server in plain HTTP on a second listener, as
// cmd/hotserve's one port does for connections that do not start with a
// TLS handshake.
func startHTTPS(t *testing.T, cfg Config) (tlsAddr, plainAddr string, roots *x509.CertPool, ca *certs.CA) {
	t.Helper()
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv("LOCALAPPDATA", t.TempDir())
	ca, _, err := certs.LoadOrCreate()
	if err != nil {
		t.Fatal(err)
	}
	leaves, err := ca.NewLeaves([]string{"localhost", "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.HTTPS, cfg.CA = true, ca
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tlsLn, plainLn := testenv.Listen(t), testenv.Listen(t)
	hs := srv.HTTPServer()
	hs.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)
	hs.TLSConfig = &tls.Config{GetCertificate: leaves.GetCertificate, NextProtos: []string{"h2", "http/1.1"}}
	go hs.ServeTLS(tlsLn, "", "")
	go hs.Serve(plainLn)
	t.Cleanup(func() {
		srv.Close()
		hs.Close()
	})
	roots = x509.NewCertPool()
	roots.AddCert(ca.Cert)
	return tlsLn.Addr().String(), plainLn.Addr().String(), roots, ca
}

// tlsRequest writes req to addr over TLS, checked against roots, and reads
// one response.
func tlsRequest(t *testing.T, addr string, roots *x509.CertPool, req string) response {
	t.Helper()
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots, ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: "GET"})
	if err != nil {
		t.Fatalf("%.60q: %v", req, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(body)}
}

// TestSecurityOverHTTPS runs the catalogue's Host, Origin and WebSocket
// cases over TLS: the guard must not care how the request came.
func TestSecurityOverHTTPS(t *testing.T) {
	_, root := securityFixture(t)
	addr, _, roots, _ := startHTTPS(t, Config{Root: root, Security: Security{AllowedHosts: []string{"mybox.lan"}}})
	_, port, _ := net.SplitHostPort(addr)
	page := tlsRequest(t, addr, roots, "GET / HTTP/1.1\r\nHost: "+addr+"\r\nConnection: close\r\n\r\n").body
	m := servedTagRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no client script tag in the page:\n%s", page)
	}
	ws, own := prefix+"ws?t="+m[1], "https://"+addr
	wsh := func(h ...string) []string { return append(append([]string(nil), upgrade...), h...) }
	for _, a := range []struct {
		name, host, target string
		header             []string
		status             int
	}{
		{"H1 foreign host", "attacker.example:" + port, "/", nil, 403},
		{"H2 localhost", "localhost:" + port, "/", nil, 200},
		{"H3 localhost.foo", "localhost.foo", "/", nil, 403},
		{"H7 foreign host, WebSocket", "attacker.example:" + port, ws, wsh("Origin", "https://attacker.example:"+port), 403},
		{"H7 foreign host, CA page", "attacker.example:" + port, caPath, nil, 403},
		{"H8 X-Forwarded-Host is not trusted", "attacker.example", "/", []string{"X-Forwarded-Host", "localhost"}, 403},
		{"H9 allowed host", "mybox.lan:" + port, "/", nil, 200},
		{"W1 foreign origin", addr, ws, wsh("Origin", "https://evil.example"), 403},
		{"W3 null origin", addr, ws, wsh("Origin", "null"), 403},
		{"W4 another port of localhost", "localhost:" + port, ws, wsh("Origin", "https://localhost:1"), 403},
		{"W5 own origin with the token", addr, ws, wsh("Origin", own), 101},
		{"W5 own origin, localhost", "localhost:" + port, ws, wsh("Origin", "https://localhost:"+port), 101},
		{"W6 DNS rebinding", "attacker.example:" + port, ws, wsh("Origin", "https://attacker.example:"+port), 403},
		{"W7 wrong token", addr, prefix + "ws?t=abc", wsh("Origin", own), 403},
		{"W status socket, foreign origin", addr, prefix + "status/ws", wsh("Origin", "https://evil.example"), 403},
		{"N no HSTS", addr, "/", nil, 200},
	} {
		t.Run(a.name, func(t *testing.T) {
			var req strings.Builder
			fmt.Fprintf(&req, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n", a.target, a.host)
			for i := 0; i+1 < len(a.header); i += 2 {
				fmt.Fprintf(&req, "%s: %s\r\n", a.header[i], a.header[i+1])
			}
			req.WriteString("\r\n")
			resp := tlsRequest(t, addr, roots, req.String())
			if resp.status != a.status {
				t.Fatalf("status %d, want %d\n%s", resp.status, a.status, resp.body)
			}
			if h := resp.header.Get("Strict-Transport-Security"); h != "" {
				t.Fatalf("Strict-Transport-Security: %s; a dev server must never pin a name to HTTPS", h)
			}
		})
	}
}

// TestPlainHTTPRedirectsButTheCAPage: on a TLS server, plain HTTP gets a
// redirect, not the folder, and the CA page gets the public certificate
// only, behind the Host guard.
func TestPlainHTTPRedirectsButTheCAPage(t *testing.T) {
	_, root := securityFixture(t)
	_, plain, _, ca := startHTTPS(t, Config{Root: root})
	key, err := os.ReadFile(filepath.Join(ca.Dir, certs.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	secret := strings.Split(string(key), "\n")[1] // a line of the key itself
	for _, c := range []struct {
		name, host, target string
		status             int
		body, hdr, hval    string
	}{
		{name: "page redirects", host: plain, target: "/sub/a.txt?x=1", status: 307, hdr: "Location", hval: "https://" + plain + "/sub/a.txt?x=1"},
		{name: "socket redirects", host: plain, target: prefix + "ws", status: 307, hdr: "Location", hval: "https://" + plain + prefix + "ws"},
		{name: "redirect is not cached", host: plain, target: "/", status: 307, hdr: "Cache-Control", hval: "no-store"},
		{name: "foreign host is refused, not redirected", host: "attacker.example", target: "/", status: 403},
		{name: "CA page", host: plain, target: caPath, status: 200, body: ca.Fingerprint()},
		{name: "CA page links the HTTPS site", host: plain, target: caPath, status: 200, body: `href="https://` + plain + `/"`},
		{name: "certificate", host: plain, target: caPEMPath, status: 200, body: string(ca.CertPEM()), hdr: "Content-Type", hval: "application/x-x509-ca-cert"},
		{name: "iOS profile", host: plain, target: caiOSPath, status: 200, body: "com.apple.security.root", hdr: "Content-Type", hval: "application/x-apple-aspen-config"},
		{name: "CA page behind the Host guard", host: "attacker.example", target: caPath, status: 403},
		{name: "a path under the CA page redirects", host: plain, target: caPath + "/x", status: 307},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := rawRequest(t, plain, fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", c.target, c.host))
			if resp.status != c.status {
				t.Fatalf("status %d, want %d\n%s", resp.status, c.status, resp.body)
			}
			if !strings.Contains(resp.body, c.body) {
				t.Fatalf("body lacks %q:\n%s", c.body, resp.body)
			}
			if c.hdr != "" && resp.header.Get(c.hdr) != c.hval {
				t.Fatalf("%s: %q, want %q", c.hdr, resp.header.Get(c.hdr), c.hval)
			}
			if strings.Contains(resp.body, "PRIVATE") || strings.Contains(resp.body, secret) {
				t.Fatal("the answer holds the authority's key")
			}
		})
	}
}
