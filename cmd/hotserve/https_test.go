package main

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver/certs"
)

var httpsURLRE = regexp.MustCompile(`https://127\.0\.0\.1:\d+/`)

// startHTTPS runs hotserve --https on the demo site and returns its URL
// and a client that trusts the authority it made.
func startHTTPS(t *testing.T, args ...string) (url string, client *http.Client, ca *certs.CA) {
	t.Helper()
	p := start(t, append([]string{"--https", "--port", "0", "--strict-port", t.TempDir()}, args...)...)
	deadline := time.Now().Add(10 * time.Second)
	for url == "" {
		url = httpsURLRE.FindString(p.stdout.String())
		if time.Now().After(deadline) {
			t.Fatalf("no https URL within 10s\nstdout: %s\nstderr: %s", p.stdout, p.stderr)
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
	ca, err := certs.Load() // the test binary's data folder is hotserve's (isolateUserData)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true}
	client = &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	t.Cleanup(tr.CloseIdleConnections)
	return url, client, ca
}

func TestHTTPSOnePortForTLSAndPlain(t *testing.T) {
	url, client, _ := startHTTPS(t)
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Proto != "HTTP/2.0" {
		t.Fatalf("GET %s: %s over %s, want 200 over HTTP/2.0", url, resp.Status, resp.Proto)
	}
	plain := "http://" + strings.TrimPrefix(url, "https://")
	resp, err = client.Get(plain + "page?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != url+"page?x=1" {
		t.Fatalf("GET %spage?x=1: %s to %q, want 307 to %spage?x=1", plain, resp.Status, resp.Header.Get("Location"), url)
	}
	resp, err = client.Get(plain + "__hotserve/ca.crt")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "-----BEGIN CERTIFICATE-----") || strings.Contains(string(body), "PRIVATE") {
		t.Fatalf("GET %s__hotserve/ca.crt: %s\n%s", plain, resp.Status, body)
	}
}

// TestHTTPSSilentClientHoldsUpNoOne: a connection that never sends its
// first byte must not stop the next one from being served.
func TestHTTPSSilentClientHoldsUpNoOne(t *testing.T) {
	url, client, _ := startHTTPS(t)
	silent, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(url, "https://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	client.Timeout = 5 * time.Second
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("with a silent connection open: %v", err)
	}
	resp.Body.Close()
}

// TestHTTPSLeafNames: the leaf hotserve serves verifies for this
// machine's names, and the authority on disk is private.
func TestHTTPSLeafNames(t *testing.T) {
	url, _, ca := startHTTPS(t)
	conn, err := tls.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(url, "https://"), "/"), &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	leaf := conn.ConnectionState().PeerCertificates[0]
	conn.Close()
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	names := []string{"localhost", "127.0.0.1", "::1"}
	if host, err := os.Hostname(); err == nil {
		names = append(names, strings.Split(strings.ToLower(host), ".")[0]+".local")
	}
	for _, n := range names {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: n, Roots: roots}); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	if fi, err := os.Stat(filepath.Join(ca.Dir, certs.KeyFile)); err == nil && runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600", certs.KeyFile, fi.Mode().Perm())
	}
}

func TestHTTPSOwnCertificateNeedsBoth(t *testing.T) {
	p := start(t, "--cert", filepath.Join(t.TempDir(), "c.pem"), "--port", "0", t.TempDir())
	if code := p.exitCode(t); code != 1 || !strings.Contains(p.stderr.String(), "--cert and --key go together") {
		t.Fatalf("exit %d\nstderr: %s", code, p.stderr)
	}
}

func TestLeafNamesLeaveOutWhatTheAuthorityCannotVouchFor(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	o := options{host: "127.0.0.1"}
	o.security.AllowedHosts = []string{"mybox.lan", "Dev.Internal", "203.0.113.9"}
	names, left := leafNames(o, ln)
	for _, want := range []string{"localhost", "127.0.0.1", "::1", "dev.internal"} {
		if !slices.Contains(names, want) {
			t.Errorf("names %v lack %s", names, want)
		}
	}
	if !slices.Equal(left, []string{"mybox.lan", "203.0.113.9"}) {
		t.Errorf("left out %v, want [mybox.lan 203.0.113.9]", left)
	}
}

func TestPhoneURL(t *testing.T) {
	var plain *httpsSetup
	for _, c := range []struct {
		s         *httpsSetup
		want, url string
	}{
		{plain, "http://192.168.1.5:8080/", "http://192.168.1.5:8080/"},
		{&httpsSetup{ca: &certs.CA{}}, "http://192.168.1.5:8080/__hotserve/ca", "http://192.168.1.5:8080/"},
		{&httpsSetup{}, "https://192.168.1.5:8080/", "http://192.168.1.5:8080/"}, // --cert: nothing to install
	} {
		if got := c.s.phoneURL(c.url); got != c.want {
			t.Errorf("phoneURL(%s) = %s, want %s", c.url, got, c.want)
		}
	}
}
